// TRANSPOSE_CONV and MediaPipe's Convolution2DTransposeBias, float32: hand-computed cases.
#include <catch2/catch.hpp>

#include "tests/ops/spatial_test_util.h"

namespace eir::testing {
namespace {

using namespace eir::testing::spatial;

using ref::transpose_conv_bias_f32_kernel;
using ref::transpose_conv_f32_kernel;

// Input [1,2,2,1] = [1,2,3,4] through a 3x3 ones kernel at stride 2 (VALID, 5x5 output): each
// input pixel (iy, ix) adds itself to rows 2iy..2iy+2 and cols 2ix..2ix+2.
const std::vector<float> kFull5x5 = {
    1, 1, 3, 2, 2,  //
    1, 1, 3, 2, 2,  //
    4, 4, 10, 6, 6, //
    3, 3, 7, 4, 4,  //
    3, 3, 7, 4, 4};

std::vector<float> crop(const std::vector<float>& full, int full_w, int y0, int x0, int h, int w) {
  std::vector<float> out;
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x) out.push_back(full[static_cast<size_t>(y * full_w + x)]);
  return out;
}

struct TransposeCase {
  OpTester t{BuiltinOp::kTransposeConv};
  int out = -1;
  TransposeCase(std::vector<int32_t> out_shape, Shape w_shape, std::vector<float> w, std::vector<float> bias,
                ConvParams p) {
    t.add_constant(DType::kI32, {static_cast<int32_t>(out_shape.size())}, out_shape);
    t.add_constant(DType::kF32, w_shape, w);
    t.add_input(DType::kF32, {1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
    if (!bias.empty()) t.add_constant(DType::kF32, {static_cast<int32_t>(bias.size())}, bias);
    out = t.add_output(DType::kF32);
    t.node().params = p;
  }
};

const std::vector<float> kOnes3x3(9, 1.0f);

TEST_CASE("transpose conv VALID stride 2", "[ops][conv][transpose]") {
  TransposeCase c({1, 5, 5, 1}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kValid, 2));
  REQUIRE(c.t.run(transpose_conv_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 5, 5, 1});
  check_close(c.t.output_values<float>(c.out), kFull5x5);
}

TEST_CASE("transpose conv SAME: leading padding of the forward conv", "[ops][conv][transpose]") {
  SECTION("output 4x4: forward total padding 1, none leading") {
    TransposeCase c({1, 4, 4, 1}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kSame, 2));
    REQUIRE(c.t.run(transpose_conv_f32_kernel()).ok());
    check_close(c.t.output_values<float>(c.out), crop(kFull5x5, 5, 0, 0, 4, 4));
  }
  SECTION("output 3x3: forward total padding 2, one leading") {
    TransposeCase c({1, 3, 3, 1}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kSame, 2));
    REQUIRE(c.t.run(transpose_conv_f32_kernel()).ok());
    check_close(c.t.output_values<float>(c.out), crop(kFull5x5, 5, 1, 1, 3, 3));
  }
}

TEST_CASE("transpose conv bias and RELU per output channel", "[ops][conv][transpose]") {
  // Two output channels: ones, and minus ones (negative sums are clamped to 0 by RELU).
  std::vector<float> w(kOnes3x3);
  for (int i = 0; i < 9; ++i) w.push_back(-1.0f);
  TransposeCase c({1, 5, 5, 2}, {2, 3, 3, 1}, w, {0.5f, 1.5f}, conv_params(Padding::kValid, 2, 1, Activation::kRelu));
  REQUIRE(c.t.run(transpose_conv_f32_kernel()).ok());
  const auto y = c.t.output_values<float>(c.out);
  REQUIRE(y.size() == 50);
  for (size_t i = 0; i < 25; ++i) {
    CHECK(y[2 * i] == Approx(kFull5x5[i] + 0.5f));
    CHECK(y[2 * i + 1] == Approx(std::max(0.0f, 1.5f - kFull5x5[i])));
  }
}

TEST_CASE("transpose conv rejects inconsistent models", "[ops][conv][transpose]") {
  SECTION("output size that the forward conv does not map back to the input") {
    TransposeCase c({1, 7, 7, 1}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kValid, 2));
    CHECK(!c.t.run(transpose_conv_f32_kernel()).ok());
  }
  SECTION("output channels differ from the weights'") {
    TransposeCase c({1, 5, 5, 2}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kValid, 2));
    CHECK(!c.t.run(transpose_conv_f32_kernel()).ok());
  }
  SECTION("weights' input channels differ from the input's") {
    TransposeCase c({1, 5, 5, 1}, {1, 3, 3, 2}, std::vector<float>(18, 1.0f), {}, conv_params(Padding::kValid, 2));
    CHECK(!c.t.run(transpose_conv_f32_kernel()).ok());
  }
  SECTION("output_shape of 3 values") {
    TransposeCase c({1, 5, 5}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kValid, 2));
    CHECK(!c.t.run(transpose_conv_f32_kernel()).ok());
  }
  SECTION("non-constant output_shape") {
    OpTester t(BuiltinOp::kTransposeConv);
    t.add_input(DType::kI32, {4}, std::vector<int32_t>{1, 5, 5, 1});
    t.add_constant(DType::kF32, {1, 3, 3, 1}, kOnes3x3);
    t.add_input(DType::kF32, {1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
    t.add_output(DType::kF32);
    t.node().params = conv_params(Padding::kValid, 2);
    CHECK(t.run(transpose_conv_f32_kernel()).code() == StatusCode::kUnsupported);
  }
}

TEST_CASE("transpose conv claims only float32 data inputs", "[ops][conv][transpose]") {
  const Kernel k = transpose_conv_f32_kernel();
  REQUIRE(k.supports != nullptr);
  TransposeCase c({1, 5, 5, 1}, {1, 3, 3, 1}, kOnes3x3, {}, conv_params(Padding::kValid, 2));
  CHECK(k.supports(c.t.node(), c.t.tensors()));
  c.t.tensor(c.t.node().inputs[2]).dtype = DType::kI8;
  CHECK(!k.supports(c.t.node(), c.t.tensors()));
}

// Convolution2DTransposeBias: inputs (input, weights, bias), output size from MediaPipe's rule.
struct BiasCase {
  OpTester t{"Convolution2DTransposeBias"};
  int out = -1;
  BiasCase(Shape w_shape, std::vector<float> w, std::vector<float> bias, ConvParams p) {
    t.add_input(DType::kF32, {1, 2, 2, 1}, std::vector<float>{1, 2, 3, 4});
    t.add_constant(DType::kF32, w_shape, w);
    t.add_constant(DType::kF32, {static_cast<int32_t>(bias.size())}, bias);
    out = t.add_output(DType::kF32);
    t.node().params = p;
  }
};

TEST_CASE("Convolution2DTransposeBias VALID: (in-1)*stride + k", "[ops][conv][transpose]") {
  BiasCase c({1, 3, 3, 1}, kOnes3x3, {0.5f}, conv_params(Padding::kValid, 2));
  REQUIRE(c.t.run(transpose_conv_bias_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 5, 5, 1});
  std::vector<float> expected = kFull5x5;
  for (float& v : expected) v += 0.5f;
  check_close(c.t.output_values<float>(c.out), expected);
}

TEST_CASE("Convolution2DTransposeBias SAME 4x4 stride 2 ignores the activation option", "[ops][conv][transpose]") {
  // pad_total = max(0, 4 - (2-1)%2 - 1) = 2: output 2*1 + 4 - 2 = 4, leading pad 1. Weights are
  // minus ones: a RELU in the options must not clamp (MediaPipe applies no activation).
  BiasCase c({1, 4, 4, 1}, std::vector<float>(16, -1.0f), {1.0f}, conv_params(Padding::kSame, 2, 1, Activation::kRelu));
  REQUIRE(c.t.run(transpose_conv_bias_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 4, 4, 1});
  const std::vector<float> sums = {1, 3, 3, 2, 4, 10, 10, 6, 4, 10, 10, 6, 3, 7, 7, 4};
  std::vector<float> expected;
  for (float s : sums) expected.push_back(1.0f - s);
  check_close(c.t.output_values<float>(c.out), expected);
}

TEST_CASE("Convolution2DTransposeBias SAME with an odd input and kernel 3", "[ops][conv][transpose]") {
  // in 2, k 3, stride 2: pad_total = max(0, 3 - 1 - 1) = 1 -> output 2 + 3 - 1 = 4, leading pad 0.
  BiasCase c({1, 3, 3, 1}, kOnes3x3, {0.0f}, conv_params(Padding::kSame, 2));
  REQUIRE(c.t.run(transpose_conv_bias_f32_kernel()).ok());
  CHECK(c.t.shape(c.out) == Shape{1, 4, 4, 1});
  check_close(c.t.output_values<float>(c.out), crop(kFull5x5, 5, 0, 0, 4, 4));
}

TEST_CASE("Convolution2DTransposeBias rejects a wrong bias", "[ops][conv][transpose]") {
  BiasCase c({1, 3, 3, 1}, kOnes3x3, {0.0f, 1.0f}, conv_params(Padding::kValid, 2));
  CHECK(!c.t.run(transpose_conv_bias_f32_kernel()).ok());
}

}  // namespace
}  // namespace eir::testing
