// CONV_2D and DEPTHWISE_CONV_2D float32 reference kernels: hand-computed cases.
#include <catch2/catch.hpp>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::conv2d_f32_kernel;
using ref::depthwise_conv2d_f32_kernel;

// A conv node: input [n,h,w,c] = values, filter constant, optional bias.
struct ConvCase {
  OpTester t{BuiltinOp::kConv2D};
  int out = -1;
  ConvCase(Shape in_shape, std::vector<float> in, Shape f_shape, std::vector<float> f,
           std::vector<float> bias, ConvParams p, BuiltinOp op = BuiltinOp::kConv2D)
      : t(op) {
    t.add_input(DType::kF32, in_shape, in);
    t.add_constant(DType::kF32, f_shape, f);
    if (!bias.empty()) t.add_constant(DType::kF32, {static_cast<int32_t>(bias.size())}, bias);
    out = t.add_output(DType::kF32);
    t.node().params = p;
  }
};

TEST_CASE("conv2d VALID stride 1 with bias", "[ops][conv]") {
  ConvCase c({1, 3, 3, 1}, iota_f(9), {1, 2, 2, 1}, {1, 2, 3, 4}, {0.5f}, conv_params(Padding::kValid));
  REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 2, 2, 1});
  // out(0,0) = 1*1 + 2*2 + 4*3 + 5*4 = 37, + bias.
  check_close(c.t.output_values<float>(c.out), {37.5f, 47.5f, 67.5f, 77.5f});
}

TEST_CASE("conv2d SAME with an odd total padding puts the extra row/col at the end", "[ops][conv]") {
  // 4x4 input, 2x2 ones filter: total padding 1 -> 0 before, 1 after.
  ConvCase c({1, 4, 4, 1}, iota_f(16), {1, 2, 2, 1}, {1, 1, 1, 1}, {}, conv_params(Padding::kSame));
  REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 4, 4, 1});
  const auto y = c.t.output_values<float>(c.out);
  CHECK(y[0] == 1 + 2 + 5 + 6);   // (0,0): no leading padding
  CHECK(y[3] == 4 + 8);           // (0,3): right column padded
  CHECK(y[12] == 13 + 14);        // (3,0): bottom row padded
  CHECK(y[15] == 16);             // (3,3)
}

TEST_CASE("conv2d SAME stride 2 on odd and even sizes", "[ops][conv]") {
  SECTION("3x3 input: total padding 2, one on each side") {
    ConvCase c({1, 3, 3, 1}, iota_f(9), {1, 3, 3, 1}, std::vector<float>(9, 1.0f), {}, conv_params(Padding::kSame, 2));
    REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{1, 2, 2, 1});
    check_close(c.t.output_values<float>(c.out), {12, 16, 24, 28});
  }
  SECTION("4x4 input: total padding 1, at the end") {
    ConvCase c({1, 4, 4, 1}, iota_f(16), {1, 3, 3, 1}, std::vector<float>(9, 1.0f), {}, conv_params(Padding::kSame, 2));
    REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
    CHECK(c.t.shape(c.out) == Shape{1, 2, 2, 1});
    check_close(c.t.output_values<float>(c.out), {54, 45, 72, 54});
  }
}

TEST_CASE("conv2d dilation 2", "[ops][conv]") {
  // in(r,c) = 5r + c + 1 is linear, so the 4 dilated taps sum to 4 * in(y+1, x+1).
  ConvCase c({1, 5, 5, 1}, iota_f(25), {1, 2, 2, 1}, {1, 1, 1, 1}, {}, conv_params(Padding::kValid, 1, 2));
  REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 3, 3, 1});
  std::vector<float> expected;
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) expected.push_back(4.0f * (5 * (y + 1) + (x + 1) + 1));
  check_close(c.t.output_values<float>(c.out), expected);
}

TEST_CASE("conv2d channels, RELU6 and no bias", "[ops][conv]") {
  // 1x1 conv over 2 channels [1, 2]; 4 output channels.
  ConvCase c({1, 1, 1, 2}, {1, 2}, {4, 1, 1, 2}, {1, 0, 0, 1, 3, 3, -1, 0}, {},
             conv_params(Padding::kValid, 1, 1, Activation::kRelu6));
  REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
  check_close(c.t.output_values<float>(c.out), {1, 2, 6, 0});
}

TEST_CASE("conv2d grouped: input channels a multiple of the filter's", "[ops][conv]") {
  // 4 input channels, filter [2 out, 1, 1, 2 in]: 2 groups of 2 channels.
  ConvCase c({1, 1, 1, 4}, {1, 2, 3, 4}, {2, 1, 1, 2}, {1, 1, 1, 10}, {}, conv_params(Padding::kValid));
  REQUIRE(c.t.run(conv2d_f32_kernel()).ok());
  check_close(c.t.output_values<float>(c.out), {1 + 2, 3 + 40});
}

TEST_CASE("conv2d batches and threads give the same result", "[ops][conv]") {
  std::vector<float> in(2 * 7 * 6 * 3), f(5 * 3 * 2 * 3);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<float>((i * 37) % 11) - 5.0f;
  for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>((i * 13) % 7) - 3.0f;
  const std::vector<float> bias = {1, -1, 0.5f, 0, 2};
  ConvCase one({2, 7, 6, 3}, in, {5, 3, 2, 3}, f, bias, conv_params(Padding::kSame, 2));
  ConvCase many({2, 7, 6, 3}, in, {5, 3, 2, 3}, f, bias, conv_params(Padding::kSame, 2));
  REQUIRE(one.t.run(conv2d_f32_kernel(), 1).ok());
  REQUIRE(many.t.run(conv2d_f32_kernel(), 4).ok());
  CHECK(one.t.shape(one.out) == Shape{2, 4, 3, 5});
  CHECK(one.t.output_values<float>(one.out) == many.t.output_values<float>(many.out));
}

TEST_CASE("conv2d rejects inconsistent models", "[ops][conv]") {
  SECTION("filter input channels do not divide the input's") {
    ConvCase c({1, 2, 2, 3}, iota_f(12), {1, 1, 1, 2}, {1, 1}, {}, conv_params(Padding::kValid));
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("bias length differs from output channels") {
    ConvCase c({1, 2, 2, 1}, iota_f(4), {2, 1, 1, 1}, {1, 1}, {1, 2, 3}, conv_params(Padding::kValid));
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("input of rank 3") {
    ConvCase c({2, 2, 1}, iota_f(4), {1, 1, 1, 1}, {1}, {}, conv_params(Padding::kValid));
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("stride 0") {
    ConvCase c({1, 2, 2, 1}, iota_f(4), {1, 1, 1, 1}, {1}, {}, conv_params(Padding::kValid, 0));
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("VALID filter larger than the input") {
    ConvCase c({1, 1, 1, 1}, {1}, {1, 3, 3, 1}, std::vector<float>(9, 1.0f), {}, conv_params(Padding::kValid));
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("fused TANH is refused, not ignored") {
    ConvCase c({1, 1, 1, 1}, {1}, {1, 1, 1, 1}, {1}, {}, conv_params(Padding::kValid, 1, 1, Activation::kTanh));
    const Status s = c.t.run(conv2d_f32_kernel());
    CHECK(s.code() == StatusCode::kUnsupported);
  }
  SECTION("missing options") {
    ConvCase c({1, 1, 1, 1}, {1}, {1, 1, 1, 1}, {1}, {}, conv_params(Padding::kValid));
    c.t.node().params = std::monostate{};
    CHECK(!c.t.run(conv2d_f32_kernel()).ok());
  }
  SECTION("int8 weights (hybrid) are unsupported") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 1, 1, 1}, std::vector<float>{1});
    t.add_constant(DType::kI8, {1, 1, 1, 1}, std::vector<int8_t>{1}, qp(0.5f, 0));
    t.add_output(DType::kF32);
    t.node().params = conv_params(Padding::kValid);
    CHECK(t.run(conv2d_f32_kernel()).code() == StatusCode::kUnsupported);
  }
  SECTION("output dtype differs") {
    OpTester t(BuiltinOp::kConv2D);
    t.add_input(DType::kF32, {1, 1, 1, 1}, std::vector<float>{1});
    t.add_constant(DType::kF32, {1, 1, 1, 1}, std::vector<float>{1});
    t.add_output(DType::kI8);
    t.node().params = conv_params(Padding::kValid);
    CHECK(!t.run(conv2d_f32_kernel()).ok());
  }
}

TEST_CASE("depthwise conv with depth multiplier 2 and bias", "[ops][conv][depthwise]") {
  // 2x2 image, channel 0 = [1,2,3,4], channel 1 = [10,20,30,40] (NHWC interleaved).
  // Output channel oc = ic*2 + m. Filter [1,2,2,4] laid out (ky, kx, oc).
  const std::vector<float> f = {
      1, 1, 0, 0.5f,   // (0,0)
      1, 0, 0, 0.5f,   // (0,1)
      1, 0, 0, 0.5f,   // (1,0)
      1, 0, 1, 0.5f};  // (1,1)
  ConvCase c({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40}, {1, 2, 2, 4}, f, {0, 0, 0, 1},
             conv_params(Padding::kValid), BuiltinOp::kDepthwiseConv2D);
  REQUIRE(c.t.run(depthwise_conv2d_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 1, 1, 4});
  check_close(c.t.output_values<float>(c.out), {10, 1, 40, 51});
}

TEST_CASE("depthwise conv SAME stride 2 and dilation 2", "[ops][conv][depthwise]") {
  SECTION("SAME stride 2") {
    ConvCase c({1, 3, 3, 1}, iota_f(9), {1, 3, 3, 1}, std::vector<float>(9, 1.0f), {},
               conv_params(Padding::kSame, 2), BuiltinOp::kDepthwiseConv2D);
    REQUIRE(c.t.run(depthwise_conv2d_f32_kernel()).ok());
    check_close(c.t.output_values<float>(c.out), {12, 16, 24, 28});
  }
  SECTION("dilation 2, RELU_N1_TO_1") {
    ConvCase c({1, 5, 5, 1}, iota_f(25, -12.0f), {1, 2, 2, 1}, {0.25f, 0.25f, 0.25f, 0.25f}, {},
               conv_params(Padding::kValid, 1, 2, Activation::kReluN1To1), BuiltinOp::kDepthwiseConv2D);
    REQUIRE(c.t.run(depthwise_conv2d_f32_kernel()).ok());
    // The mean of the 4 dilated taps is in(y+1, x+1) = 5(y+1) + (x+1) - 12, clamped to [-1, 1].
    std::vector<float> expected;
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 3; ++x) expected.push_back(std::min(1.0f, std::max(-1.0f, 5.0f * (y + 1) + (x + 1) - 12)));
    check_close(c.t.output_values<float>(c.out), expected);
  }
}

TEST_CASE("depthwise conv rejects inconsistent models", "[ops][conv][depthwise]") {
  SECTION("filter dim 0 is not 1") {
    ConvCase c({1, 1, 1, 1}, {1}, {2, 1, 1, 1}, {1, 1}, {}, conv_params(Padding::kValid), BuiltinOp::kDepthwiseConv2D);
    CHECK(!c.t.run(depthwise_conv2d_f32_kernel()).ok());
  }
  SECTION("output channels not a multiple of input channels") {
    ConvCase c({1, 1, 1, 2}, {1, 2}, {1, 1, 1, 3}, {1, 1, 1}, {}, conv_params(Padding::kValid),
               BuiltinOp::kDepthwiseConv2D);
    CHECK(!c.t.run(depthwise_conv2d_f32_kernel()).ok());
  }
  SECTION("bias length") {
    ConvCase c({1, 1, 1, 2}, {1, 2}, {1, 1, 1, 2}, {1, 1}, {1}, conv_params(Padding::kValid),
               BuiltinOp::kDepthwiseConv2D);
    CHECK(!c.t.run(depthwise_conv2d_f32_kernel()).ok());
  }
}

}  // namespace
}  // namespace eir::testing
