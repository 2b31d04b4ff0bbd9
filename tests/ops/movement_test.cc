// Data-movement reference kernels: RESHAPE, SQUEEZE, EXPAND_DIMS, STRIDED_SLICE, SLICE, PACK,
// UNPACK, GATHER, GATHER_ND, TRANSPOSE, SHAPE, SPLIT, CONCATENATION. Expected values are
// hand-computed (and agree with NumPy's slicing for the strided-slice cases).
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <vector>

#include "tests/ops/misc_test_util.h"

using namespace eir;
using eir::testing::OpTester;
using eir::testing::misc::run;

namespace {

template <class T = float>
std::vector<T> iota(int n, T start = 0) {
  std::vector<T> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), start);
  return v;
}

}  // namespace

// ---------------------------------------------------------------- RESHAPE / SQUEEZE / EXPAND_DIMS

TEST_CASE("RESHAPE from a constant shape tensor infers one -1", "[ops][movement]") {
  OpTester t(BuiltinOp::kReshape);
  t.add_input(DType::kF32, {2, 3}, iota(6));
  t.add_constant(DType::kI32, {2}, std::vector<int32_t>{3, -1});
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{3, 2});
  CHECK(t.output_values<float>(y) == iota(6));
}

TEST_CASE("RESHAPE from options, legacy [0] scalar, and errors", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kReshape);
    t.add_input(DType::kI8, {2, 3}, std::vector<int8_t>{1, 2, 3, 4, 5, 6});
    int y = t.add_output(DType::kI8);
    t.node().params = ReshapeParams{{6}, true};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{6});
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{1, 2, 3, 4, 5, 6});
  }
  {
    OpTester t(BuiltinOp::kReshape);
    t.add_input(DType::kF32, {1, 1}, std::vector<float>{7});
    int y = t.add_output(DType::kF32);
    t.node().params = ReshapeParams{{0}, true};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{});
  }
  {
    OpTester t(BuiltinOp::kReshape);  // two -1
    t.add_input(DType::kF32, {2, 3}, iota(6));
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{-1, -1});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kReshape);  // element count mismatch
    t.add_input(DType::kF32, {2, 3}, iota(6));
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{4, 2});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kReshape);  // a dynamic shape tensor is refused
    t.add_input(DType::kF32, {2, 3}, iota(6));
    t.add_input(DType::kI32, {1}, std::vector<int32_t>{6});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kReshape);  // empty input: -1 becomes 0
    t.add_input(DType::kF32, {0, 3}, std::vector<float>{});
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{-1, 3});
    int y = t.add_output(DType::kF32);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{0, 3});
  }
}

TEST_CASE("SQUEEZE all size-1 dims or the listed ones", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kSqueeze);
    t.add_input(DType::kF32, {1, 3, 1}, iota(3));
    int y = t.add_output(DType::kF32);
    t.node().params = SqueezeParams{};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{3});
  }
  {
    OpTester t(BuiltinOp::kSqueeze);
    t.add_input(DType::kF32, {1, 3, 1}, iota(3));
    int y = t.add_output(DType::kF32);
    t.node().params = SqueezeParams{{-1}};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{1, 3});
    CHECK(t.output_values<float>(y) == iota(3));
  }
  {
    OpTester t(BuiltinOp::kSqueeze);  // dim 1 has size 3
    t.add_input(DType::kF32, {1, 3, 1}, iota(3));
    t.add_output(DType::kF32);
    t.node().params = SqueezeParams{{1}};
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("EXPAND_DIMS with positive and negative axes", "[ops][movement]") {
  auto expand = [](int64_t axis, Shape* out) {
    OpTester t(BuiltinOp::kExpandDims);
    t.add_input(DType::kI32, {2, 3}, iota<int32_t>(6));
    t.add_constant(DType::kI64, {1}, std::vector<int64_t>{axis});
    int y = t.add_output(DType::kI32);
    Status s = run(t);
    if (s.ok()) {
      *out = t.shape(y);
      CHECK(t.output_values<int32_t>(y) == iota<int32_t>(6));
    }
    return s;
  };
  Shape out;
  REQUIRE(expand(0, &out).ok());
  CHECK(out == Shape{1, 2, 3});
  REQUIRE(expand(-1, &out).ok());
  CHECK(out == Shape{2, 3, 1});
  REQUIRE(expand(2, &out).ok());
  CHECK(out == Shape{2, 3, 1});
  CHECK_FALSE(expand(3, &out).ok());
  CHECK_FALSE(expand(-4, &out).ok());
}

// ---------------------------------------------------------------- STRIDED_SLICE / SLICE

namespace {

struct SliceCase {
  Shape in_shape;
  std::vector<int32_t> begin, end, strides;
  StridedSliceParams params;
};

template <class T = float>
Status strided_slice(const SliceCase& c, Shape* out_shape, std::vector<T>* out, DType dt = DType::kF32) {
  OpTester t(BuiltinOp::kStridedSlice);
  const int n = static_cast<int>(shape_num_elements(c.in_shape));
  t.add_input(dt, c.in_shape, iota<T>(n));
  const int32_t k = static_cast<int32_t>(c.begin.size());
  t.add_constant(DType::kI32, {k}, c.begin);
  t.add_constant(DType::kI32, {k}, c.end);
  t.add_constant(DType::kI32, {k}, c.strides);
  int y = t.add_output(dt);
  t.node().params = c.params;
  Status s = run(t);
  if (s.ok()) {
    *out_shape = t.shape(y);
    *out = t.output_values<T>(y);
  }
  return s;
}

StridedSliceParams masks(int begin, int end, int shrink = 0, int new_axis = 0, int ellipsis = 0, bool offset = false) {
  StridedSliceParams p;
  p.begin_mask = begin;
  p.end_mask = end;
  p.shrink_axis_mask = shrink;
  p.new_axis_mask = new_axis;
  p.ellipsis_mask = ellipsis;
  p.offset = offset;
  return p;
}

}  // namespace

TEST_CASE("STRIDED_SLICE: ranges, negative indices and negative strides", "[ops][movement][strided_slice]") {
  Shape s;
  std::vector<float> y;
  // a[1:3, -1:0:-1] on a 3x4 iota
  REQUIRE(strided_slice({{3, 4}, {1, -1}, {3, 0}, {1, -1}, masks(0, 0)}, &s, &y).ok());
  CHECK(s == Shape{2, 3});
  CHECK(y == std::vector<float>{7, 6, 5, 11, 10, 9});
  // a[:, ::2] via begin/end masks
  REQUIRE(strided_slice({{3, 4}, {0, 0}, {0, 0}, {1, 2}, masks(3, 3)}, &s, &y).ok());
  CHECK(s == Shape{3, 2});
  CHECK(y == std::vector<float>{0, 2, 4, 6, 8, 10});
  // c[::-1]
  REQUIRE(strided_slice({{5}, {0}, {0}, {-1}, masks(1, 1)}, &s, &y).ok());
  CHECK(y == std::vector<float>{4, 3, 2, 1, 0});
  // Out-of-range begin/end are clamped: c[-10:10] and c[10:-10:-2]
  REQUIRE(strided_slice({{5}, {-10}, {10}, {1}, masks(0, 0)}, &s, &y).ok());
  CHECK(y == std::vector<float>{0, 1, 2, 3, 4});
  REQUIRE(strided_slice({{5}, {10}, {-10}, {-2}, masks(0, 0)}, &s, &y).ok());
  CHECK(y == std::vector<float>{4, 2, 0});
  // Empty result: begin after end with a positive stride.
  REQUIRE(strided_slice({{5}, {3}, {1}, {1}, masks(0, 0)}, &s, &y).ok());
  CHECK(s == Shape{0});
  // d[:, 1:, ::-2] on 2x3x4 (begin_mask 0b101, end_mask 0b111)
  REQUIRE(strided_slice({{2, 3, 4}, {0, 1, 0}, {0, 0, 0}, {1, 1, -2}, masks(5, 7)}, &s, &y).ok());
  CHECK(s == Shape{2, 2, 2});
  CHECK(y == std::vector<float>{7, 5, 11, 9, 19, 17, 23, 21});
  // Fewer spec entries than dims: the rest are taken whole.
  REQUIRE(strided_slice({{3, 4}, {1}, {2}, {1}, masks(0, 0)}, &s, &y).ok());
  CHECK(s == Shape{1, 4});
  CHECK(y == std::vector<float>{4, 5, 6, 7});
}

TEST_CASE("STRIDED_SLICE: shrink, new axis, ellipsis, offset", "[ops][movement][strided_slice]") {
  Shape s;
  std::vector<float> y;
  // a[1, 0:4]
  REQUIRE(strided_slice({{3, 4}, {1, 0}, {2, 4}, {1, 1}, masks(0, 0, 1)}, &s, &y).ok());
  CHECK(s == Shape{4});
  CHECK(y == std::vector<float>{4, 5, 6, 7});
  // a[-1, :] (a negative shrink index counts from the end; end is ignored)
  REQUIRE(strided_slice({{3, 4}, {-1, 0}, {0, 0}, {1, 1}, masks(0, 2, 1)}, &s, &y).ok());
  CHECK(s == Shape{4});
  CHECK(y == std::vector<float>{8, 9, 10, 11});
  // Shrink both dims: a scalar.
  REQUIRE(strided_slice({{3, 4}, {2, 3}, {3, 4}, {1, 1}, masks(0, 0, 3)}, &s, &y).ok());
  CHECK(s == Shape{});
  CHECK(y == std::vector<float>{11});
  // x[newaxis, 0:3]
  REQUIRE(strided_slice({{3}, {0, 0}, {0, 3}, {1, 1}, masks(0, 0, 0, 1)}, &s, &y).ok());
  CHECK(s == Shape{1, 3});
  CHECK(y == std::vector<float>{0, 1, 2});
  // b[..., 1] on 2x3x4
  REQUIRE(strided_slice({{2, 3, 4}, {0, 1}, {0, 2}, {1, 1}, masks(0, 0, 2, 0, 1)}, &s, &y).ok());
  CHECK(s == Shape{2, 3});
  CHECK(y == std::vector<float>{1, 5, 9, 13, 17, 21});
  // a[..., newaxis] on 2x3
  REQUIRE(strided_slice({{2, 3}, {0, 0}, {0, 0}, {1, 1}, masks(0, 0, 0, 2, 1)}, &s, &y).ok());
  CHECK(s == Shape{2, 3, 1});
  CHECK(y == iota(6));
  // offset = true: end holds sizes relative to begin -> a[1:3, 1:3]
  REQUIRE(strided_slice({{3, 4}, {1, 1}, {2, 2}, {1, 1}, masks(0, 0, 0, 0, 0, true)}, &s, &y).ok());
  CHECK(s == Shape{2, 2});
  CHECK(y == std::vector<float>{5, 6, 9, 10});
}

TEST_CASE("STRIDED_SLICE on int16 data and its errors", "[ops][movement][strided_slice]") {
  Shape s;
  std::vector<int16_t> y;
  REQUIRE(strided_slice<int16_t>({{2, 4}, {0, 1}, {2, 4}, {1, 2}, masks(0, 0)}, &s, &y, DType::kI16).ok());
  CHECK(s == Shape{2, 2});
  CHECK(y == std::vector<int16_t>{1, 3, 5, 7});
  std::vector<float> f;
  CHECK_FALSE(strided_slice({{5}, {0}, {5}, {0}, masks(0, 0)}, &s, &f).ok());          // zero stride
  CHECK_FALSE(strided_slice({{5}, {7}, {8}, {1}, masks(0, 0, 1)}, &s, &f).ok());       // shrink out of range
  // TFLite clamps a too-negative shrink index to 0 (TensorFlow would refuse it): element 0.
  REQUIRE(strided_slice({{5}, {-6}, {0}, {1}, masks(0, 0, 1)}, &s, &f).ok());
  CHECK(s == Shape{});
  CHECK(f == std::vector<float>{0});
  CHECK_FALSE(strided_slice({{5}, {0, 0}, {1, 1}, {1, 1}, masks(0, 0, 0, 0, 3)}, &s, &f).ok());  // two ellipses
  {
    OpTester t(BuiltinOp::kStridedSlice);  // begin and end lengths differ
    t.add_input(DType::kF32, {5}, iota(5));
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{0});
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{1, 1});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{1});
    t.add_output(DType::kF32);
    t.node().params = StridedSliceParams{};
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("SLICE with size -1 and bounds errors", "[ops][movement]") {
  auto slice = [](std::vector<int64_t> begin, std::vector<int64_t> size, Shape* s, std::vector<float>* y) {
    OpTester t(BuiltinOp::kSlice);
    t.add_input(DType::kF32, {3, 4}, iota(12));
    t.add_constant(DType::kI64, {2}, begin);
    t.add_constant(DType::kI64, {2}, size);
    int out = t.add_output(DType::kF32);
    Status st = run(t);
    if (st.ok()) {
      *s = t.shape(out);
      *y = t.output_values<float>(out);
    }
    return st;
  };
  Shape s;
  std::vector<float> y;
  REQUIRE(slice({1, 1}, {2, -1}, &s, &y).ok());
  CHECK(s == Shape{2, 3});
  CHECK(y == std::vector<float>{5, 6, 7, 9, 10, 11});
  CHECK_FALSE(slice({1, 1}, {3, 1}, &s, &y).ok());
  CHECK_FALSE(slice({-1, 0}, {1, 1}, &s, &y).ok());
  CHECK_FALSE(slice({0, 0}, {1, -2}, &s, &y).ok());
}

// ---------------------------------------------------------------- PACK / UNPACK

TEST_CASE("PACK along axis 0 and 1", "[ops][movement]") {
  for (int axis : {0, 1, -1}) {
    OpTester t(BuiltinOp::kPack);
    t.add_input(DType::kI32, {2}, std::vector<int32_t>{1, 2});
    t.add_input(DType::kI32, {2}, std::vector<int32_t>{3, 4});
    int y = t.add_output(DType::kI32);
    t.node().params = PackParams{2, axis};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{2, 2});
    CHECK(t.output_values<int32_t>(y) == (axis == 0 ? std::vector<int32_t>{1, 2, 3, 4} : std::vector<int32_t>{1, 3, 2, 4}));
  }
}

TEST_CASE("PACK refuses different shapes and different quantization", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kPack);
    t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
    t.add_input(DType::kF32, {3}, std::vector<float>{3, 4, 5});
    t.add_output(DType::kF32);
    t.node().params = PackParams{2, 0};
    CHECK_FALSE(run(t).ok());
  }
  {
    using eir::testing::qp;
    OpTester t(BuiltinOp::kPack);
    t.add_input(DType::kI8, {1}, std::vector<int8_t>{1}, qp(0.5f, 0));
    t.add_input(DType::kI8, {1}, std::vector<int8_t>{1}, qp(0.25f, 0));
    t.add_output(DType::kI8, qp(0.5f, 0));
    t.node().params = PackParams{2, 0};
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("UNPACK along axis 1", "[ops][movement]") {
  OpTester t(BuiltinOp::kUnpack);
  t.add_input(DType::kF32, {2, 3}, iota(6));
  int y0 = t.add_output(DType::kF32);
  int y1 = t.add_output(DType::kF32);
  int y2 = t.add_output(DType::kF32);
  t.node().params = UnpackParams{3, 1};
  REQUIRE(run(t).ok());
  CHECK(t.shape(y0) == Shape{2});
  CHECK(t.output_values<float>(y0) == std::vector<float>{0, 3});
  CHECK(t.output_values<float>(y1) == std::vector<float>{1, 4});
  CHECK(t.output_values<float>(y2) == std::vector<float>{2, 5});
}

TEST_CASE("UNPACK refuses num different from the axis dim", "[ops][movement]") {
  OpTester t(BuiltinOp::kUnpack);
  t.add_input(DType::kF32, {2, 3}, iota(6));
  t.add_output(DType::kF32);
  t.add_output(DType::kF32);
  t.node().params = UnpackParams{2, 1};
  CHECK_FALSE(run(t).ok());
}

// ---------------------------------------------------------------- GATHER / GATHER_ND

TEST_CASE("GATHER along axis 0 and 1", "[ops][movement][gather]") {
  {
    OpTester t(BuiltinOp::kGather);
    t.add_input(DType::kF32, {3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6});
    t.add_input(DType::kI32, {2}, std::vector<int32_t>{2, 0});
    int y = t.add_output(DType::kF32);
    t.node().params = GatherParams{0, 0};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{2, 2});
    CHECK(t.output_values<float>(y) == std::vector<float>{5, 6, 1, 2});
  }
  {
    OpTester t(BuiltinOp::kGather);
    t.add_input(DType::kF32, {3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6});
    t.add_input(DType::kI64, {1, 1}, std::vector<int64_t>{1});
    int y = t.add_output(DType::kF32);
    t.node().params = GatherParams{-1, 0};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{3, 1, 1});
    CHECK(t.output_values<float>(y) == std::vector<float>{2, 4, 6});
  }
}

TEST_CASE("GATHER with batch_dims", "[ops][movement][gather]") {
  OpTester t(BuiltinOp::kGather);
  t.add_input(DType::kI32, {2, 3}, std::vector<int32_t>{1, 2, 3, 4, 5, 6});
  t.add_input(DType::kI32, {2, 2}, std::vector<int32_t>{0, 2, 1, 1});
  int y = t.add_output(DType::kI32);
  t.node().params = GatherParams{1, 1};
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{2, 2});
  CHECK(t.output_values<int32_t>(y) == std::vector<int32_t>{1, 3, 5, 5});
}

TEST_CASE("GATHER out-of-range and negative indices are run-time errors", "[ops][movement][gather]") {
  for (int32_t bad : {3, -1}) {
    OpTester t(BuiltinOp::kGather);
    t.add_input(DType::kF32, {3, 2}, std::vector<float>{1, 2, 3, 4, 5, 6});
    t.add_input(DType::kI32, {2}, std::vector<int32_t>{0, bad});
    t.add_output(DType::kF32);
    t.node().params = GatherParams{0, 0};
    Status s = run(t);
    CHECK_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
  }
  OpTester t(BuiltinOp::kGather);  // float indices are refused at prepare
  t.add_input(DType::kF32, {3}, std::vector<float>{1, 2, 3});
  t.add_input(DType::kF32, {1}, std::vector<float>{0});
  t.add_output(DType::kF32);
  CHECK_FALSE(run(t).ok());
}

TEST_CASE("GATHER_ND of elements and of rows, with range errors", "[ops][movement][gather]") {
  {
    OpTester t(BuiltinOp::kGatherNd);
    t.add_input(DType::kF32, {2, 2}, std::vector<float>{1, 2, 3, 4});
    t.add_input(DType::kI32, {2, 2}, std::vector<int32_t>{0, 1, 1, 0});
    int y = t.add_output(DType::kF32);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{2});
    CHECK(t.output_values<float>(y) == std::vector<float>{2, 3});
  }
  {
    OpTester t(BuiltinOp::kGatherNd);
    t.add_input(DType::kU8, {2, 2}, std::vector<uint8_t>{1, 2, 3, 4});
    t.add_input(DType::kI64, {1, 1}, std::vector<int64_t>{1});
    int y = t.add_output(DType::kU8);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{1, 2});
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{3, 4});
  }
  {
    OpTester t(BuiltinOp::kGatherNd);
    t.add_input(DType::kF32, {2, 2}, std::vector<float>{1, 2, 3, 4});
    t.add_input(DType::kI32, {1, 2}, std::vector<int32_t>{0, 2});
    t.add_output(DType::kF32);
    Status s = run(t);
    CHECK_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
  }
  {
    OpTester t(BuiltinOp::kGatherNd);  // index depth 3 > params rank 2
    t.add_input(DType::kF32, {2, 2}, std::vector<float>{1, 2, 3, 4});
    t.add_input(DType::kI32, {1, 3}, std::vector<int32_t>{0, 0, 0});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
}

// ---------------------------------------------------------------- TRANSPOSE / SHAPE / SPLIT

TEST_CASE("TRANSPOSE 2-D and 3-D", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kTranspose);
    t.add_input(DType::kF32, {2, 3}, iota(6));
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{1, 0});
    int y = t.add_output(DType::kF32);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{3, 2});
    CHECK(t.output_values<float>(y) == std::vector<float>{0, 3, 1, 4, 2, 5});
  }
  {
    OpTester t(BuiltinOp::kTranspose);
    t.add_input(DType::kI16, {2, 3, 4}, iota<int16_t>(24));
    t.add_constant(DType::kI32, {3}, std::vector<int32_t>{-1, 0, 1});  // == {2, 0, 1}
    int y = t.add_output(DType::kI16);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{4, 2, 3});
    auto v = t.output_values<int16_t>(y);
    // out[k][i][j] = in[i][j][k] = 12 i + 4 j + k
    CHECK(std::vector<int16_t>(v.begin(), v.begin() + 8) == std::vector<int16_t>{0, 4, 8, 12, 16, 20, 1, 5});
    CHECK(v[3 * 6 + 1 * 3 + 2] == 23);
  }
  {
    OpTester t(BuiltinOp::kTranspose);  // not a permutation
    t.add_input(DType::kF32, {2, 3}, iota(6));
    t.add_constant(DType::kI32, {2}, std::vector<int32_t>{0, 0});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("SHAPE yields int32 or int64 dims", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kShape);
    t.add_input(DType::kF32, {2, 3, 5}, std::vector<float>(30));
    int y = t.add_output(DType::kI32);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{3});
    CHECK(t.output_values<int32_t>(y) == std::vector<int32_t>{2, 3, 5});
  }
  {
    OpTester t(BuiltinOp::kShape);
    t.add_input(DType::kU8, {4}, std::vector<uint8_t>(4));
    int y = t.add_output(DType::kI64);
    t.node().params = ShapeParams{static_cast<int>(DType::kI64)};
    REQUIRE(run(t).ok());
    CHECK(t.output_values<int64_t>(y) == std::vector<int64_t>{4});
  }
}

TEST_CASE("SPLIT evenly along an axis", "[ops][movement]") {
  OpTester t(BuiltinOp::kSplit);
  t.add_constant(DType::kI32, {}, std::vector<int32_t>{1});
  t.add_input(DType::kF32, {2, 4}, iota(8));
  int y0 = t.add_output(DType::kF32);
  int y1 = t.add_output(DType::kF32);
  t.node().params = SplitParams{2};
  REQUIRE(run(t).ok());
  CHECK(t.shape(y0) == Shape{2, 2});
  CHECK(t.output_values<float>(y0) == std::vector<float>{0, 1, 4, 5});
  CHECK(t.output_values<float>(y1) == std::vector<float>{2, 3, 6, 7});

  OpTester bad(BuiltinOp::kSplit);  // 4 does not split into 3
  bad.add_constant(DType::kI32, {}, std::vector<int32_t>{1});
  bad.add_input(DType::kF32, {2, 4}, iota(8));
  for (int i = 0; i < 3; ++i) bad.add_output(DType::kF32);
  bad.node().params = SplitParams{3};
  CHECK_FALSE(run(bad).ok());
}

// ---------------------------------------------------------------- CONCATENATION

TEST_CASE("CONCATENATION along the last axis", "[ops][movement]") {
  for (int axis : {1, -1}) {
    OpTester t(BuiltinOp::kConcatenation);
    t.add_input(DType::kF32, {2, 1}, std::vector<float>{1, 2});
    t.add_input(DType::kF32, {2, 2}, std::vector<float>{3, 4, 5, 6});
    int y = t.add_output(DType::kF32);
    t.node().params = ConcatParams{axis, Activation::kNone};
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{2, 3});
    CHECK(t.output_values<float>(y) == std::vector<float>{1, 3, 4, 2, 5, 6});
  }
}

TEST_CASE("CONCATENATION of int64 and bool along axis 0", "[ops][movement]") {
  OpTester t(BuiltinOp::kConcatenation);
  t.add_input(DType::kBool, {1, 2}, std::vector<uint8_t>{1, 0});
  t.add_input(DType::kBool, {2, 2}, std::vector<uint8_t>{0, 1, 1, 1});
  int y = t.add_output(DType::kBool);
  t.node().params = ConcatParams{0, Activation::kNone};
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{3, 2});
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{1, 0, 0, 1, 1, 1});

  OpTester t2(BuiltinOp::kConcatenation);
  t2.add_input(DType::kI64, {1}, std::vector<int64_t>{int64_t{1} << 40});
  t2.add_input(DType::kI64, {2}, std::vector<int64_t>{-1, 2});
  int y2 = t2.add_output(DType::kI64);
  t2.node().params = ConcatParams{0, Activation::kNone};
  REQUIRE(run(t2).ok());
  CHECK(t2.output_values<int64_t>(y2) == std::vector<int64_t>{int64_t{1} << 40, -1, 2});
}

TEST_CASE("CONCATENATION errors", "[ops][movement]") {
  {
    OpTester t(BuiltinOp::kConcatenation);  // non-axis dims differ
    t.add_input(DType::kF32, {2, 1}, std::vector<float>{1, 2});
    t.add_input(DType::kF32, {3, 1}, std::vector<float>{3, 4, 5});
    t.add_output(DType::kF32);
    t.node().params = ConcatParams{1, Activation::kNone};
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kConcatenation);  // fused activation
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_input(DType::kF32, {1}, std::vector<float>{2});
    t.add_output(DType::kF32);
    t.node().params = ConcatParams{0, Activation::kRelu};
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kConcatenation);  // axis out of range
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_output(DType::kF32);
    t.node().params = ConcatParams{1, Activation::kNone};
    CHECK_FALSE(run(t).ok());
  }
}
