// Quantized CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED on hand-computed cases.
#include <catch2/catch.hpp>

#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using namespace eir::ref;
using eir::testing::OpTester;
using eir::testing::qp;

namespace {

QuantParams qpc(std::vector<float> scales, int axis) {
  QuantParams q;
  q.scales = scales;
  q.zero_points.assign(scales.size(), 0);
  q.axis = axis;
  return q;
}

}  // namespace

TEST_CASE("CONV_2D int8 per-channel 1x1: ruy x86 rounding", "[ops][quantized][conv]") {
  OpTester t(BuiltinOp::kConv2D, 3);
  t.add_input<int8_t>(DType::kI8, {1, 2, 2, 1}, {2, 4, -6, 8}, qp(0.5f, 1));
  t.add_constant<int8_t>(DType::kI8, {2, 1, 1, 1}, {3, -2}, qpc({1.0f, 0.5f}, 0));
  t.add_constant<int32_t>(DType::kI32, {2}, {4, 0});
  const int y = t.add_output(DType::kI8, qp(1.0f, -3));
  t.node().params = ConvParams{};
  REQUIRE(t.run(conv2d_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{1, 2, 2, 2});
  // Channel 0: acc = 3 (x - 1) + 4 = 7, 13, -17, 25; x 0.5 rounds half up: 4, 7, -8, 13.
  // Channel 1: acc = -2 (x - 1) = -2, -6, 14, -14; x 0.25 (two half-up roundings): 0, -1, 4, -3.
  // Plus the output zero point -3.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{1, -3, 4, -4, -11, 1, 10, -6});
}

TEST_CASE("CONV_2D int8 with fused RELU clamps at the zero point", "[ops][quantized][conv]") {
  OpTester t(BuiltinOp::kConv2D, 3);
  t.add_input<int8_t>(DType::kI8, {1, 2, 2, 1}, {2, 4, -6, 8}, qp(0.5f, 1));
  t.add_constant<int8_t>(DType::kI8, {2, 1, 1, 1}, {3, -2}, qpc({1.0f, 0.5f}, 0));
  t.add_constant<int32_t>(DType::kI32, {2}, {4, 0});
  const int y = t.add_output(DType::kI8, qp(1.0f, -3));
  ConvParams p;
  p.activation = Activation::kRelu;
  t.node().params = p;
  REQUIRE(t.run(conv2d_quantized_kernel()).ok());
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{1, -3, 4, -3, -3, 1, 10, -3});
}

TEST_CASE("CONV_2D uint8 3x3 SAME padding with asymmetric weights", "[ops][quantized][conv]") {
  // 3x3 input of zero-point values except the centre; a 3x3 all-ones (q = 3, zp 2) filter.
  // Every output sees the centre pixel once: acc = (q_c - 10) * (3 - 2) = 6 -> x 1.0 -> 6 + 7.
  OpTester t(BuiltinOp::kConv2D, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 3, 3, 1}, {10, 10, 10, 10, 16, 10, 10, 10, 10}, qp(0.5f, 10));
  t.add_constant<uint8_t>(DType::kU8, {1, 3, 3, 1}, std::vector<uint8_t>(9, 3), qp(2.0f, 2));
  t.add_constant<int32_t>(DType::kI32, {1}, {0});
  const int y = t.add_output(DType::kU8, qp(1.0f, 7));
  ConvParams p;
  p.padding = Padding::kSame;
  t.node().params = p;
  REQUIRE(t.run(conv2d_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{1, 3, 3, 1});
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>(9, 13));
}

TEST_CASE("CONV_2D uint8 rescales with TFLite rounding (ties away from zero)", "[ops][quantized][conv]") {
  // uint8 GEMMs run through gemmlowp in TFLite on x86: the final shift rounds -1.5 to -2.
  OpTester t(BuiltinOp::kConv2D, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 1, 2, 1}, {7, 13}, qp(0.5f, 10));
  t.add_constant<uint8_t>(DType::kU8, {1, 1, 1, 1}, {130}, qp(0.5f, 128));
  t.add_constant<int32_t>(DType::kI32, {1}, {0});
  const int y = t.add_output(DType::kU8, qp(1.0f, 100));
  t.node().params = ConvParams{};
  REQUIRE(t.run(conv2d_quantized_kernel()).ok());
  // acc = 2 (x - 10) = -6, 6; x 0.25 = -1.5, 1.5 -> -2, 2.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{98, 102});
}

TEST_CASE("CONV_2D int16x8 with int64 bias", "[ops][quantized][conv]") {
  OpTester t(BuiltinOp::kConv2D, 4);
  t.add_input<int16_t>(DType::kI16, {1, 1, 2, 2}, {1000, -2000, 300, 5}, qp(0.25f, 0));
  t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 2}, {2, 1}, qpc({0.5f}, 0));
  t.add_constant<int64_t>(DType::kI64, {1}, {100});
  const int y = t.add_output(DType::kI16, qp(0.25f, 0));
  t.node().params = ConvParams{};
  REQUIRE(t.run(conv2d_quantized_kernel()).ok());
  // real multiplier 0.5: acc = 2*1000 - 2000 + 100 = 100 -> 50; 2*300 + 5 + 100 = 705 -> 352.5 -> 353.
  CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{50, 353});
}

TEST_CASE("CONV_2D quantized rejects bad parameters", "[ops][quantized][conv]") {
  SECTION("per-channel scale count mismatch") {
    OpTester t(BuiltinOp::kConv2D, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(0.5f, 0));
    t.add_constant<int8_t>(DType::kI8, {2, 1, 1, 1}, {1, 1}, qpc({1.0f, 1.0f, 1.0f}, 0));
    t.add_constant<int32_t>(DType::kI32, {2}, {0, 0});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ConvParams{};
    CHECK(!t.run(conv2d_quantized_kernel()).ok());
  }
  SECTION("int8 weights must be symmetric") {
    OpTester t(BuiltinOp::kConv2D, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(0.5f, 0));
    t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(1.0f, 3));
    t.add_constant<int32_t>(DType::kI32, {1}, {0});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ConvParams{};
    Status s = t.run(conv2d_quantized_kernel());
    CHECK(!s.ok());
    CHECK(s.message().find("zero point") != std::string::npos);
  }
  SECTION("missing input quantization") {
    OpTester t(BuiltinOp::kConv2D, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 1, 1}, {1});
    t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {1}, {0});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ConvParams{};
    CHECK(!t.run(conv2d_quantized_kernel()).ok());
  }
  SECTION("bias element count") {
    OpTester t(BuiltinOp::kConv2D, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(0.5f, 0));
    t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {2}, {0, 0});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ConvParams{};
    CHECK(!t.run(conv2d_quantized_kernel()).ok());
  }
  SECTION("zero scale") {
    OpTester t(BuiltinOp::kConv2D, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(0.0f, 0));
    t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 1}, {1}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {1}, {0});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ConvParams{};
    CHECK(!t.run(conv2d_quantized_kernel()).ok());
  }
}

TEST_CASE("DEPTHWISE_CONV_2D uint8 depth multiplier 2", "[ops][quantized][depthwise]") {
  OpTester t(BuiltinOp::kDepthwiseConv2D, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 1, 2, 2}, {12, 8, 10, 20}, qp(1.0f, 10));
  t.add_constant<uint8_t>(DType::kU8, {1, 1, 1, 4}, {4, 0, 2, 6}, qp(0.5f, 2));
  t.add_constant<int32_t>(DType::kI32, {4}, {1, -1, 0, 3});
  const int y = t.add_output(DType::kU8, qp(1.0f, 100));
  ConvParams p;
  p.depth_multiplier = 2;
  t.node().params = p;
  REQUIRE(t.run(depthwise_conv2d_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{1, 1, 2, 4});
  // Pixel 0: accs 5, -5, 0, -5 -> x 0.5 (half up): 3, -2, 0, -2. Pixel 1: 1, -1, 0, 43 -> 1, 0, 0, 22.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{103, 98, 100, 98, 101, 100, 100, 122});
}

TEST_CASE("DEPTHWISE_CONV_2D int8 per-channel: TFLite rounding (ties away from zero)", "[ops][quantized][depthwise]") {
  OpTester t(BuiltinOp::kDepthwiseConv2D, 3);
  t.add_input<int8_t>(DType::kI8, {1, 1, 1, 2}, {-3, 3}, qp(1.0f, 0));
  t.add_constant<int8_t>(DType::kI8, {1, 1, 1, 2}, {2, 2}, qpc({0.25f, 0.25f}, 3));
  const int y = t.add_output(DType::kI8, qp(1.0f, 0));
  t.node().params = ConvParams{};
  REQUIRE(t.run(depthwise_conv2d_quantized_kernel()).ok());
  // acc = -6, 6; x 0.25 = -1.5, 1.5 -> -2, 2 (the ruy GEMM rounding would give -1 for the first).
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{-2, 2});
}

TEST_CASE("FULLY_CONNECTED int8 keep_num_dims", "[ops][quantized][fc]") {
  OpTester t(BuiltinOp::kFullyConnected, 4);
  t.add_input<int8_t>(DType::kI8, {2, 1, 3}, {1, 2, 3, -1, 0, 1}, qp(1.0f, -1));
  t.add_constant<int8_t>(DType::kI8, {2, 3}, {1, 1, 1, 2, 0, -1}, qp(0.5f, 0));
  t.add_constant<int32_t>(DType::kI32, {2}, {1, 0});
  const int y = t.add_output(DType::kI8, qp(1.0f, 5));
  FullyConnectedParams p;
  p.keep_num_dims = true;
  t.node().params = p;
  REQUIRE(t.run(fully_connected_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{2, 1, 2});
  // x - zp: (2, 3, 4), (0, 1, 2). unit 0: 9 + 1 = 10 -> 5; 3 + 1 = 4 -> 2.
  // unit 1: 4 - 4 = 0 -> 0; 0 - 2 = -2 -> -1. Plus 5.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{10, 5, 7, 4});
}

TEST_CASE("FULLY_CONNECTED flattens to [batch, units] and checks depth", "[ops][quantized][fc]") {
  OpTester t(BuiltinOp::kFullyConnected, 4);
  t.add_input<int8_t>(DType::kI8, {1, 2, 2}, {1, 2, 3, 4}, qp(1.0f, 0));
  t.add_constant<int8_t>(DType::kI8, {1, 2}, {1, 1}, qp(1.0f, 0));
  const int y = t.add_output(DType::kI8, qp(1.0f, 0));
  t.node().params = FullyConnectedParams{};
  REQUIRE(t.run(fully_connected_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{2, 1});
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{3, 7});

  OpTester bad(BuiltinOp::kFullyConnected, 4);
  bad.add_input<int8_t>(DType::kI8, {1, 5}, {1, 2, 3, 4, 5}, qp(1.0f, 0));
  bad.add_constant<int8_t>(DType::kI8, {1, 2}, {1, 1}, qp(1.0f, 0));
  bad.add_output(DType::kI8, qp(1.0f, 0));
  bad.node().params = FullyConnectedParams{};
  CHECK(!bad.run(fully_connected_quantized_kernel()).ok());
}

TEST_CASE("FULLY_CONNECTED int16x8 with int64 bias rescales in double", "[ops][quantized][fc]") {
  OpTester t(BuiltinOp::kFullyConnected, 7);
  t.add_input<int16_t>(DType::kI16, {1, 2}, {3, -5}, qp(0.5f, 0));
  t.add_constant<int8_t>(DType::kI8, {1, 2}, {1, 1}, qp(1.0f, 0));
  t.add_constant<int64_t>(DType::kI64, {1}, {0});
  const int y = t.add_output(DType::kI16, qp(1.0f, 0));
  t.node().params = FullyConnectedParams{};
  REQUIRE(t.run(fully_connected_quantized_kernel()).ok());
  // acc = -2, x 0.5 = -1.0 exactly.
  CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{-1});

  OpTester t2(BuiltinOp::kFullyConnected, 7);
  t2.add_input<int16_t>(DType::kI16, {1, 2}, {3, -6}, qp(0.5f, 0));
  t2.add_constant<int8_t>(DType::kI8, {1, 2}, {1, 1}, qp(1.0f, 0));
  t2.add_constant<int64_t>(DType::kI64, {1}, {0});
  const int y2 = t2.add_output(DType::kI16, qp(1.0f, 0));
  t2.node().params = FullyConnectedParams{};
  REQUIRE(t2.run(fully_connected_quantized_kernel()).ok());
  // acc = -3, x 0.5 = -1.5 -> round() half away from zero: -2.
  CHECK(t2.output_values<int16_t>(y2) == std::vector<int16_t>{-2});
}

TEST_CASE("FULLY_CONNECTED refuses unsupported dtype combinations", "[ops][quantized][fc]") {
  OpTester t(BuiltinOp::kFullyConnected, 4);
  t.add_input<int8_t>(DType::kI8, {1, 2}, {1, 2}, qp(1.0f, 0));
  t.add_constant<int8_t>(DType::kI8, {1, 2}, {1, 1}, qp(1.0f, 0));
  t.add_output(DType::kI16, qp(1.0f, 0));
  t.node().params = FullyConnectedParams{};
  CHECK(!t.run(fully_connected_quantized_kernel()).ok());
}
