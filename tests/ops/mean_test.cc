// MEAN reference kernel (float32 / int32 / int64): axes, keep_dims, integer truncation, errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::mean_kernel;

template <class T>
Status mean(DType dtype, Shape shape, std::vector<T> in, std::vector<int32_t> axes, bool keep_dims,
            std::vector<T>* out, Shape* out_shape, bool axes_constant = true) {
  OpTester t(BuiltinOp::kMean);
  t.add_input(dtype, shape, in);
  if (axes_constant) t.add_constant(DType::kI32, {static_cast<int32_t>(axes.size())}, axes);
  else t.add_input(DType::kI32, {static_cast<int32_t>(axes.size())}, axes);
  int y = t.add_output(dtype);
  ReducerParams p;
  p.keep_dims = keep_dims;
  t.node().params = p;
  EIR_RETURN_IF_ERROR(t.run(mean_kernel()));
  *out = t.output_values<T>(y);
  *out_shape = t.shape(y);
  return Status::Ok();
}

// NHWC [1,2,2,2]: channel 0 = 1,2,3,4; channel 1 = 10,20,30,40.
const std::vector<float> kImage = {1, 10, 2, 20, 3, 30, 4, 40};

TEST_CASE("mean over H and W of NHWC", "[ops][mean]") {
  std::vector<float> y;
  Shape s;
  SECTION("keep_dims") {
    REQUIRE(mean<float>(DType::kF32, {1, 2, 2, 2}, kImage, {1, 2}, true, &y, &s).ok());
    CHECK(s == Shape{1, 1, 1, 2});
    check_close(y, {2.5f, 25});
  }
  SECTION("without keep_dims") {
    REQUIRE(mean<float>(DType::kF32, {1, 2, 2, 2}, kImage, {2, 1}, false, &y, &s).ok());
    CHECK(s == Shape{1, 2});
    check_close(y, {2.5f, 25});
  }
}

TEST_CASE("mean axis forms", "[ops][mean]") {
  std::vector<float> y;
  Shape s;
  SECTION("negative axis") {
    REQUIRE(mean<float>(DType::kF32, {2, 3}, iota_f(6), {-1}, false, &y, &s).ok());
    CHECK(s == Shape{2});
    check_close(y, {2, 5});
  }
  SECTION("repeated axis counts once") {
    REQUIRE(mean<float>(DType::kF32, {2, 3}, iota_f(6), {0, -2}, false, &y, &s).ok());
    CHECK(s == Shape{3});
    check_close(y, {2.5f, 3.5f, 4.5f});
  }
  SECTION("middle axis of rank 3") {
    REQUIRE(mean<float>(DType::kF32, {2, 2, 2}, iota_f(8), {1}, true, &y, &s).ok());
    CHECK(s == Shape{2, 1, 2});
    check_close(y, {2, 3, 6, 7});
  }
  SECTION("no axes: a copy") {
    REQUIRE(mean<float>(DType::kF32, {3}, {1, 2, 4}, {}, false, &y, &s).ok());
    CHECK(s == Shape{3});
    check_close(y, {1, 2, 4});
  }
  SECTION("all axes") {
    REQUIRE(mean<float>(DType::kF32, {2, 2}, {1, 2, 3, 4}, {0, 1}, false, &y, &s).ok());
    CHECK(s == Shape{});
    check_close(y, {2.5f});
  }
  SECTION("a scalar input ignores the axes, as TFLite") {
    REQUIRE(mean<float>(DType::kF32, {}, {3}, {0}, false, &y, &s).ok());
    CHECK(s == Shape{});
    check_close(y, {3});
  }
  SECTION("empty input gives NaN") {
    REQUIRE(mean<float>(DType::kF32, {0, 2}, {}, {0}, false, &y, &s).ok());
    CHECK(s == Shape{2});
    REQUIRE(y.size() == 2);
    CHECK(std::isnan(y[0]));
  }
}

TEST_CASE("integer mean sums in int64 and truncates toward zero", "[ops][mean]") {
  Shape s;
  std::vector<int32_t> y;
  REQUIRE(mean<int32_t>(DType::kI32, {2, 3}, {1, 2, -1, 3, 5, -2}, {0}, false, &y, &s).ok());
  CHECK(y == std::vector<int32_t>{2, 3, -1});  // 4/2, 7/2 -> 3, -3/2 -> -1
  REQUIRE(mean<int32_t>(DType::kI32, {2}, {2000000000, 2000000000}, {0}, false, &y, &s).ok());
  CHECK(y == std::vector<int32_t>{2000000000});  // no int32 overflow in the sum
  std::vector<int64_t> y64;
  REQUIRE(mean<int64_t>(DType::kI64, {3}, {1, 1, 2}, {0}, true, &y64, &s).ok());
  CHECK(s == Shape{1});
  CHECK(y64 == std::vector<int64_t>{1});
}

TEST_CASE("mean rejects bad axes and dtypes", "[ops][mean]") {
  std::vector<float> y;
  Shape s;
  CHECK(!mean<float>(DType::kF32, {2, 3}, iota_f(6), {2}, false, &y, &s).ok());
  CHECK(!mean<float>(DType::kF32, {2, 3}, iota_f(6), {-3}, false, &y, &s).ok());
  CHECK(mean<float>(DType::kF32, {2, 3}, iota_f(6), {0}, false, &y, &s, false).code() == StatusCode::kUnsupported);
  std::vector<int8_t> y8;
  CHECK(!mean<int8_t>(DType::kI8, {2}, {1, 2}, {0}, false, &y8, &s).ok());
}

}  // namespace
}  // namespace eir::testing
