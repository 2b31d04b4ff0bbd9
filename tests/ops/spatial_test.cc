// DEPTH_TO_SPACE, SPACE_TO_DEPTH, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND (byte-copy kernels), and
// the float spatial registration.
#include <catch2/catch.hpp>

#include "kernels/reference/reference_kernels.h"
#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::batch_to_space_nd_kernel;
using ref::depth_to_space_kernel;
using ref::space_to_batch_nd_kernel;
using ref::space_to_depth_kernel;

BlockParams block(int size) {
  BlockParams p;
  p.block_size = size;
  return p;
}

TEST_CASE("depth to space and back", "[ops][space]") {
  // Pixels a = [1,2,3,4] and b = [5,6,7,8] side by side; block 2 spreads each into a 2x2 block.
  const std::vector<float> deep = iota_f(8);
  const std::vector<float> wide = {1, 2, 5, 6, 3, 4, 7, 8};
  SECTION("depth to space") {
    OpTester t(BuiltinOp::kDepthToSpace);
    t.add_input(DType::kF32, {1, 1, 2, 4}, deep);
    int y = t.add_output(DType::kF32);
    t.node().params = block(2);
    REQUIRE(t.run(depth_to_space_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 2, 4, 1});
    CHECK(t.output_values<float>(y) == wide);
  }
  SECTION("space to depth (int8)") {
    std::vector<int8_t> in(wide.begin(), wide.end());
    OpTester t(BuiltinOp::kSpaceToDepth);
    t.add_input(DType::kI8, {1, 2, 4, 1}, in);
    int y = t.add_output(DType::kI8);
    t.node().params = block(2);
    REQUIRE(t.run(space_to_depth_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 1, 2, 4});
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>(deep.begin(), deep.end()));
  }
  SECTION("depth to space keeps channel groups (2 output channels)") {
    OpTester t(BuiltinOp::kDepthToSpace);
    t.add_input(DType::kI32, {1, 1, 1, 8}, std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7});
    int y = t.add_output(DType::kI32);
    t.node().params = block(2);
    REQUIRE(t.run(depth_to_space_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 2, 2, 2});
    CHECK(t.output_values<int32_t>(y) == std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7});
  }
}

TEST_CASE("depth/space reject bad shapes", "[ops][space]") {
  auto run = [](BuiltinOp op, const Kernel& k, Shape shape, int bs) {
    OpTester t(op);
    t.add_input(DType::kF32, shape, std::vector<float>(static_cast<size_t>(shape_num_elements(shape)), 1.0f));
    t.add_output(DType::kF32);
    t.node().params = block(bs);
    return t.run(k);
  };
  CHECK(!run(BuiltinOp::kDepthToSpace, depth_to_space_kernel(), {1, 1, 1, 6}, 2).ok());
  CHECK(!run(BuiltinOp::kDepthToSpace, depth_to_space_kernel(), {1, 1, 1, 4}, 0).ok());
  CHECK(!run(BuiltinOp::kSpaceToDepth, space_to_depth_kernel(), {1, 3, 2, 1}, 2).ok());
  CHECK(!run(BuiltinOp::kSpaceToDepth, space_to_depth_kernel(), {1, 2, 2}, 2).ok());
}

// SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND node with constant block and paddings/crops.
template <class T>
Status space_batch(BuiltinOp op, DType dtype, Shape shape, std::vector<T> in, std::vector<int32_t> blocks,
                   std::vector<int32_t> pads, std::vector<T>* out, Shape* out_shape, QuantParams q = {}) {
  OpTester t(op);
  t.add_input(dtype, shape, in, q);
  t.add_constant(DType::kI32, {static_cast<int32_t>(blocks.size())}, blocks);
  t.add_constant(DType::kI32, {static_cast<int32_t>(blocks.size()), 2}, pads);
  int y = t.add_output(dtype, q);
  const Kernel k = op == BuiltinOp::kSpaceToBatchNd ? space_to_batch_nd_kernel() : batch_to_space_nd_kernel();
  EIR_RETURN_IF_ERROR(t.run(k));
  *out = t.output_values<T>(y);
  *out_shape = t.shape(y);
  return Status::Ok();
}

const std::vector<float> kBatched4x2x2 = {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16};

TEST_CASE("space to batch", "[ops][space]") {
  std::vector<float> y;
  Shape s;
  SECTION("4x4 image, block 2x2: batch = (sy * 2 + sx)") {
    REQUIRE(space_batch<float>(BuiltinOp::kSpaceToBatchNd, DType::kF32, {1, 4, 4, 1}, iota_f(16), {2, 2},
                               {0, 0, 0, 0}, &y, &s).ok());
    CHECK(s == Shape{4, 2, 2, 1});
    CHECK(y == kBatched4x2x2);
  }
  SECTION("padding top 1 and left 2, block 3x2") {
    REQUIRE(space_batch<float>(BuiltinOp::kSpaceToBatchNd, DType::kF32, {1, 5, 2, 1}, iota_f(10), {3, 2},
                               {1, 0, 2, 0}, &y, &s).ok());
    CHECK(s == Shape{6, 2, 2, 1});
    CHECK(y == std::vector<float>{0, 0, 0, 5, 0, 0, 0, 6, 0, 1, 0, 7, 0, 2, 0, 8, 0, 3, 0, 9, 0, 4, 0, 10});
  }
  SECTION("uint8 pads with the output zero point") {
    std::vector<uint8_t> yu;
    REQUIRE(space_batch<uint8_t>(BuiltinOp::kSpaceToBatchNd, DType::kU8, {1, 1, 1, 1}, {9}, {1, 2}, {0, 0, 0, 1},
                                 &yu, &s, qp(0.25f, 7)).ok());
    CHECK(s == Shape{2, 1, 1, 1});
    CHECK(yu == std::vector<uint8_t>{9, 7});
  }
  SECTION("3-D NHC input, block [2]") {
    REQUIRE(space_batch<float>(BuiltinOp::kSpaceToBatchNd, DType::kF32, {1, 4, 1}, {1, 2, 3, 4}, {2}, {0, 0}, &y,
                               &s).ok());
    CHECK(s == Shape{2, 2, 1});
    CHECK(y == std::vector<float>{1, 3, 2, 4});
  }
}

TEST_CASE("batch to space", "[ops][space]") {
  std::vector<float> y;
  Shape s;
  SECTION("inverse of space to batch") {
    REQUIRE(space_batch<float>(BuiltinOp::kBatchToSpaceNd, DType::kF32, {4, 2, 2, 1}, kBatched4x2x2, {2, 2},
                               {0, 0, 0, 0}, &y, &s).ok());
    CHECK(s == Shape{1, 4, 4, 1});
    CHECK(y == iota_f(16));
  }
  SECTION("crops") {
    REQUIRE(space_batch<float>(BuiltinOp::kBatchToSpaceNd, DType::kF32, {4, 2, 2, 1}, kBatched4x2x2, {2, 2},
                               {1, 1, 0, 2}, &y, &s).ok());
    CHECK(s == Shape{1, 2, 2, 1});
    CHECK(y == std::vector<float>{5, 6, 9, 10});
  }
  SECTION("3-D NHC input") {
    REQUIRE(space_batch<float>(BuiltinOp::kBatchToSpaceNd, DType::kF32, {2, 2, 1}, {1, 3, 2, 4}, {2}, {0, 0}, &y,
                               &s).ok());
    CHECK(s == Shape{1, 4, 1});
    CHECK(y == std::vector<float>{1, 2, 3, 4});
  }
}

TEST_CASE("space/batch reject bad arguments", "[ops][space]") {
  std::vector<float> y;
  Shape s;
  const auto s2b = BuiltinOp::kSpaceToBatchNd, b2s = BuiltinOp::kBatchToSpaceNd;
  CHECK(!space_batch<float>(s2b, DType::kF32, {1, 3, 2, 1}, iota_f(6), {2, 2}, {0, 0, 0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(s2b, DType::kF32, {1, 2, 2, 1}, iota_f(4), {0, 1}, {0, 0, 0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(s2b, DType::kF32, {1, 2, 2, 1}, iota_f(4), {1, 1}, {0, -1, 0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(s2b, DType::kF32, {1, 2, 2, 1}, iota_f(4), {2}, {0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(s2b, DType::kF32, {1, 1, 1, 1, 1}, {1}, {1, 1, 1}, {0, 0, 0, 0, 0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(b2s, DType::kF32, {3, 1, 1, 1}, iota_f(3), {2, 1}, {0, 0, 0, 0}, &y, &s).ok());
  CHECK(!space_batch<float>(b2s, DType::kF32, {4, 1, 1, 1}, iota_f(4), {2, 2}, {2, 1, 0, 0}, &y, &s).ok());
}

TEST_CASE("float spatial kernels are registered under their ops and dtypes", "[ops][registry]") {
  KernelRegistry registry;
  register_float_spatial_kernels(registry);
  auto find = [&](BuiltinOp op, DType dtype, int version = 1) {
    OpTester t(op, version);
    t.add_input(dtype, {1}, std::vector<uint8_t>(8, 0));
    std::string why;
    const Kernel* k = registry.find(t.node(), t.tensors(), &why);
    return k ? std::string(k->name) : "none: " + why;
  };
  CHECK(find(BuiltinOp::kConv2D, DType::kF32) == "reference/conv2d_f32");
  CHECK(find(BuiltinOp::kDepthwiseConv2D, DType::kF32, 7) == "reference/depthwise_conv2d_f32");
  CHECK(find(BuiltinOp::kFullyConnected, DType::kF32) == "reference/fully_connected_f32");
  CHECK(find(BuiltinOp::kTransposeConv, DType::kI32) == "reference/transpose_conv_f32");
  CHECK(find(BuiltinOp::kAveragePool2D, DType::kF32) == "reference/average_pool2d_f32");
  CHECK(find(BuiltinOp::kMaxPool2D, DType::kF32) == "reference/max_pool2d_f32");
  CHECK(find(static_cast<BuiltinOp>(12), DType::kF32) == "reference/l2_pool2d_f32");
  CHECK(find(BuiltinOp::kPad, DType::kI8) == "reference/pad");
  CHECK(find(BuiltinOp::kPadV2, DType::kU8) == "reference/pad");
  CHECK(find(BuiltinOp::kResizeBilinear, DType::kF32) == "reference/resize_bilinear_f32");
  CHECK(find(BuiltinOp::kResizeNearestNeighbor, DType::kI16) == "reference/resize_nearest_neighbor");
  CHECK(find(BuiltinOp::kDepthToSpace, DType::kU8) == "reference/depth_to_space");
  CHECK(find(BuiltinOp::kSpaceToDepth, DType::kF32) == "reference/space_to_depth");
  CHECK(find(BuiltinOp::kSpaceToBatchNd, DType::kI8) == "reference/space_to_batch_nd");
  CHECK(find(BuiltinOp::kBatchToSpaceNd, DType::kF32) == "reference/batch_to_space_nd");
  CHECK(find(BuiltinOp::kMean, DType::kI32) == "reference/mean");
  CHECK(find(BuiltinOp::kConv2D, DType::kF32, 99).rfind("none", 0) == 0);
  CHECK(find(BuiltinOp::kResizeBilinear, DType::kI8).rfind("none", 0) == 0);  // the quantized group's

  OpTester custom("Convolution2DTransposeBias");
  custom.add_input(DType::kF32, {1}, std::vector<float>{0});
  std::string why;
  const Kernel* k = registry.find(custom.node(), custom.tensors(), &why);
  REQUIRE(k != nullptr);
  CHECK(std::string(k->name) == "reference/convolution2d_transpose_bias_f32");
}

}  // namespace
}  // namespace eir::testing
