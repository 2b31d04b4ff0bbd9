// Quantized ADD / SUB / MUL, activations, softmax, pooling, QUANTIZE, CONCATENATION, MEAN and
// RESIZE_BILINEAR on hand-computed cases.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kernels/reference/quantized_kernels.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using namespace eir::ref;
using eir::testing::OpTester;
using eir::testing::qp;

namespace {

template <class T>
OpTester unary(BuiltinOp op, DType dt, Shape shape, const std::vector<T>& x, QuantParams in, QuantParams out,
               int* y) {
  OpTester t(op, 2);
  t.add_input<T>(dt, shape, x, in);
  *y = t.add_output(dt, out);
  return t;
}

}  // namespace

// ---------------------------------------------------------------- ADD / SUB / MUL

TEST_CASE("ADD int8 with broadcasting rounds half away from zero", "[ops][quantized][add]") {
  OpTester t(BuiltinOp::kAdd, 2);
  t.add_input<int8_t>(DType::kI8, {2, 1}, {3, -3}, qp(0.5f, 0));
  t.add_input<int8_t>(DType::kI8, {1, 2}, {4, 1}, qp(0.5f, 0));
  const int y = t.add_output(DType::kI8, qp(1.0f, 0));
  t.node().params = ActivationParams{};
  REQUIRE(t.run(add_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{2, 2});
  // 0.5 (a + b): 3.5 -> 4, 2, 0.5 -> 1, -1.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{4, 2, 1, -1});
}

TEST_CASE("SUB int8 with broadcasting", "[ops][quantized][sub]") {
  OpTester t(BuiltinOp::kSub, 2);
  t.add_input<int8_t>(DType::kI8, {2, 1}, {3, -3}, qp(0.5f, 0));
  t.add_input<int8_t>(DType::kI8, {1, 2}, {4, 1}, qp(0.5f, 0));
  const int y = t.add_output(DType::kI8, qp(1.0f, 0));
  t.node().params = ActivationParams{};
  REQUIRE(t.run(sub_quantized_kernel()).ok());
  // 0.5 (a - b): -0.5 -> -1, 1, -3.5 -> -4, -2.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{-1, 1, -4, -2});
}

TEST_CASE("ADD uint8 with zero points and RELU6", "[ops][quantized][add]") {
  OpTester t(BuiltinOp::kAdd, 1);
  t.add_input<uint8_t>(DType::kU8, {3}, {128, 138, 255}, qp(0.1f, 128));
  t.add_input<uint8_t>(DType::kU8, {3}, {128, 148, 255}, qp(0.1f, 128));
  const int y = t.add_output(DType::kU8, qp(0.1f, 0));
  ActivationParams p;
  p.activation = Activation::kRelu6;
  t.node().params = p;
  REQUIRE(t.run(add_quantized_kernel()).ok());
  // 0 + 0 = 0; 1.0 + 2.0 = 3.0 -> 30; 12.7 + 12.7 clamps at 6.0 -> 60.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{0, 30, 60});
}

TEST_CASE("ADD int16: power-of-two path and general path", "[ops][quantized][add]") {
  SECTION("power-of-two scales: the finer input is rounding-shifted") {
    OpTester t(BuiltinOp::kAdd, 3);
    t.add_input<int16_t>(DType::kI16, {2}, {100, 100}, qp(1.0f / 1024, 0));
    t.add_input<int16_t>(DType::kI16, {2}, {6, -6}, qp(1.0f / 4096, 0));
    const int y = t.add_output(DType::kI16, qp(1.0f / 1024, 0));
    t.node().params = ActivationParams{};
    REQUIRE(t.run(add_quantized_kernel()).ok());
    CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{102, 98});  // 6/4 = 1.5 -> 2
  }
  SECTION("general scales (left shift 15)") {
    OpTester t(BuiltinOp::kAdd, 3);
    t.add_input<int16_t>(DType::kI16, {2}, {3, -3}, qp(0.5f, 0));
    t.add_input<int16_t>(DType::kI16, {2}, {4, -4}, qp(0.5f, 0));
    const int y = t.add_output(DType::kI16, qp(1.0f, 0));
    ActivationParams p;
    p.pot_scale_int16 = false;
    t.node().params = p;
    REQUIRE(t.run(add_quantized_kernel()).ok());
    CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{4, -4});  // +-3.5
  }
  SECTION("int16 requires zero point 0") {
    OpTester t(BuiltinOp::kAdd, 3);
    t.add_input<int16_t>(DType::kI16, {1}, {3}, qp(0.5f, 2));
    t.add_input<int16_t>(DType::kI16, {1}, {4}, qp(0.5f, 0));
    t.add_output(DType::kI16, qp(1.0f, 0));
    t.node().params = ActivationParams{};
    CHECK(!t.run(add_quantized_kernel()).ok());
  }
}

TEST_CASE("MUL int8 with broadcasting and zero points", "[ops][quantized][mul]") {
  OpTester t(BuiltinOp::kMul, 2);
  t.add_input<int8_t>(DType::kI8, {2, 1}, {3, -3}, qp(0.5f, 1));
  t.add_input<int8_t>(DType::kI8, {1, 2}, {5, 1}, qp(0.25f, 0));
  const int y = t.add_output(DType::kI8, qp(0.125f, -2));
  t.node().params = ActivationParams{};
  REQUIRE(t.run(mul_quantized_kernel()).ok());
  // multiplier 1: (a - 1) * b - 2.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{8, 0, -22, -6});
}

TEST_CASE("MUL int16 x int16 -> int8", "[ops][quantized][mul]") {
  OpTester t(BuiltinOp::kMul, 3);
  t.add_input<int16_t>(DType::kI16, {2}, {16384, -16384}, qp(1.0f / 32768, 0));
  t.add_input<int16_t>(DType::kI16, {2}, {16384, 16384}, qp(1.0f / 32768, 0));
  const int y = t.add_output(DType::kI8, qp(1.0f / 128, 3));
  t.node().params = ActivationParams{};
  REQUIRE(t.run(mul_quantized_kernel()).ok());
  // 0.25 in Q0.15 = 8192, / 2^8 = 32, plus the zero point.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{35, -29});
}

TEST_CASE("binary ops refuse mismatched dtypes and shapes", "[ops][quantized][add]") {
  OpTester t(BuiltinOp::kAdd, 2);
  t.add_input<int8_t>(DType::kI8, {2}, {1, 2}, qp(0.5f, 0));
  t.add_input<uint8_t>(DType::kU8, {2}, {1, 2}, qp(0.5f, 0));
  t.add_output(DType::kI8, qp(1.0f, 0));
  CHECK(!t.run(add_quantized_kernel()).ok());
  OpTester u(BuiltinOp::kAdd, 2);
  u.add_input<int8_t>(DType::kI8, {2}, {1, 2}, qp(0.5f, 0));
  u.add_input<int8_t>(DType::kI8, {3}, {1, 2, 3}, qp(0.5f, 0));
  u.add_output(DType::kI8, qp(1.0f, 0));
  CHECK(!u.run(add_quantized_kernel()).ok());
}

// ---------------------------------------------------------------- activations

TEST_CASE("LOGISTIC int8 lookup table", "[ops][quantized][activations]") {
  int y = 0;
  OpTester t = unary<int8_t>(BuiltinOp::kLogistic, DType::kI8, {4}, {0, 127, -128, 10}, qp(0.1f, 0),
                             qp(1.0f / 256, -128), &y);
  REQUIRE(t.run(logistic_quantized_kernel()).ok());
  // sigmoid(0) * 256 = 128 -> 0; sigmoid(12.7) -> 256 -> clamps 127; sigmoid(-12.8) -> 0 -> -128;
  // sigmoid(1.0) * 256 = 187.15 -> 187 -> 59.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{0, 127, -128, 59});

  int y2 = 0;
  OpTester bad = unary<int8_t>(BuiltinOp::kLogistic, DType::kI8, {1}, {0}, qp(0.1f, 0), qp(1.0f / 128, -128), &y2);
  CHECK(!bad.run(logistic_quantized_kernel()).ok());
}

TEST_CASE("TANH uint8 lookup table", "[ops][quantized][activations]") {
  int y = 0;
  OpTester t = unary<uint8_t>(BuiltinOp::kTanh, DType::kU8, {3}, {128, 138, 118}, qp(0.1f, 128),
                              qp(1.0f / 128, 128), &y);
  REQUIRE(t.run(tanh_quantized_kernel()).ok());
  // tanh(1.0) * 128 = 97.48 -> 97.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{128, 225, 31});
}

TEST_CASE("TANH / LOGISTIC int16, power-of-two and general input scales", "[ops][quantized][activations]") {
  const double t1 = std::tanh(1.0) * 32768, s2 = 32768 / (1 + std::exp(-2.0));
  SECTION("tanh, input Q3.12 (gemmlowp fixed point)") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kTanh, DType::kI16, {3}, {0, 4096, -4096}, qp(1.0f / 4096, 0),
                                qp(1.0f / 32768, 0), &y);
    REQUIRE(t.run(tanh_quantized_kernel()).ok());
    const auto out = t.output_values<int16_t>(y);
    CHECK(out[0] == 0);
    CHECK(std::abs(out[1] - t1) <= 12);  // gemmlowp's int16 tanh is accurate to ~10 LSB
    CHECK(out[2] == -out[1]);
  }
  SECTION("tanh, general input scale (table interpolation)") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kTanh, DType::kI16, {2}, {0, 1000}, qp(0.001f, 0), qp(1.0f / 32768, 0), &y);
    REQUIRE(t.run(tanh_quantized_kernel()).ok());
    const auto out = t.output_values<int16_t>(y);
    CHECK(std::abs(out[0]) <= 1);
    CHECK(std::abs(out[1] - t1) <= 8);
  }
  SECTION("logistic, input Q3.12") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kLogistic, DType::kI16, {2}, {0, 8192}, qp(1.0f / 4096, 0),
                                qp(1.0f / 32768, 0), &y);
    REQUIRE(t.run(logistic_quantized_kernel()).ok());
    const auto out = t.output_values<int16_t>(y);
    CHECK(out[0] == 16384);
    CHECK(std::abs(out[1] - s2) <= 8);
  }
  SECTION("logistic, general input scale") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kLogistic, DType::kI16, {2}, {0, 2000}, qp(0.001f, 0), qp(1.0f / 32768, 0), &y);
    REQUIRE(t.run(logistic_quantized_kernel()).ok());
    const auto out = t.output_values<int16_t>(y);
    CHECK(std::abs(out[0] - 16384) <= 1);
    CHECK(std::abs(out[1] - s2) <= 8);
  }
  SECTION("int16 output scale must be 2^-15") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kTanh, DType::kI16, {1}, {0}, qp(1.0f / 4096, 0), qp(1.0f / 1024, 0), &y);
    CHECK(!t.run(tanh_quantized_kernel()).ok());
  }
}

TEST_CASE("HARD_SWISH int8", "[ops][quantized][activations]") {
  int y = 0;
  OpTester t = unary<int8_t>(BuiltinOp::kHardSwish, DType::kI8, {5}, {40, -40, 100, -100, 0}, qp(0.05f, 0),
                             qp(0.05f, 0), &y);
  REQUIRE(t.run(hard_swish_quantized_kernel()).ok());
  const auto out = t.output_values<int8_t>(y);
  // x * relu6(x + 3) / 6 for x = 2, -2, 5, -5, 0: 1.667, -0.333, 5, 0, 0.
  CHECK(std::abs(out[0] - 33) <= 1);
  CHECK(std::abs(out[1] + 7) <= 1);
  CHECK(std::abs(out[2] - 100) <= 1);
  CHECK(out[3] == 0);
  CHECK(out[4] == 0);
}

TEST_CASE("LEAKY_RELU int8 and RELU6 / RELU", "[ops][quantized][activations]") {
  int y = 0;
  OpTester t = unary<int8_t>(BuiltinOp::kLeakyRelu, DType::kI8, {3}, {-8, 8, -3}, qp(0.5f, 0), qp(0.5f, 0), &y);
  LeakyReluParams lp;
  lp.alpha = 0.25f;
  t.node().params = lp;
  REQUIRE(t.run(leaky_relu_quantized_kernel()).ok());
  // -3 * 0.25 = -0.75: the high multiply gives -1 (half up), the shift -0.5 -> -1 (away from zero).
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{-2, 8, -1});

  int y6 = 0;
  OpTester r6 = unary<uint8_t>(BuiltinOp::kRelu6, DType::kU8, {3}, {100, 5, 30}, qp(0.1f, 10), qp(0.1f, 10), &y6);
  REQUIRE(r6.run(relu6_quantized_kernel()).ok());
  CHECK(r6.output_values<uint8_t>(y6) == std::vector<uint8_t>{70, 10, 30});

  int yr = 0;
  OpTester r = unary<int16_t>(BuiltinOp::kRelu, DType::kI16, {2}, {-5, 7}, qp(0.1f, 0), qp(0.1f, 0), &yr);
  REQUIRE(r.run(relu_quantized_kernel()).ok());
  CHECK(r.output_values<int16_t>(yr) == std::vector<int16_t>{0, 7});
}

// ---------------------------------------------------------------- softmax

TEST_CASE("SOFTMAX quantized", "[ops][quantized][softmax]") {
  SECTION("int8 -> int8, uniform row") {
    int y = 0;
    OpTester t = unary<int8_t>(BuiltinOp::kSoftmax, DType::kI8, {1, 4}, {5, 5, 5, 5}, qp(0.1f, 0),
                               qp(1.0f / 256, -128), &y);
    t.node().params = SoftmaxParams{};
    REQUIRE(t.run(softmax_quantized_kernel()).ok());
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{-64, -64, -64, -64});
  }
  SECTION("uint8 -> uint8, two rows") {
    int y = 0;
    OpTester t = unary<uint8_t>(BuiltinOp::kSoftmax, DType::kU8, {2, 2}, {0, 0, 0, 255}, qp(1.0f, 0),
                                qp(1.0f / 256, 0), &y);
    t.node().params = SoftmaxParams{};
    REQUIRE(t.run(softmax_quantized_kernel()).ok());
    // 128.5 truncates to 128; e^-255 is 0 and the other gets 256 -> clamps to 255.
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{128, 128, 0, 255});
  }
  SECTION("int16 -> int16") {
    int y = 0;
    OpTester t = unary<int16_t>(BuiltinOp::kSoftmax, DType::kI16, {1, 2}, {100, 100}, qp(0.001f, 0),
                                qp(1.0f / 32768, 0), &y);
    t.node().params = SoftmaxParams{};
    REQUIRE(t.run(softmax_quantized_kernel()).ok());
    for (int16_t v : t.output_values<int16_t>(y)) CHECK(std::abs(v - 16384) <= 4);
  }
  SECTION("int8 -> int8 output must be 1/256, zero point -128") {
    int y = 0;
    OpTester t = unary<int8_t>(BuiltinOp::kSoftmax, DType::kI8, {1, 2}, {5, 5}, qp(0.1f, 0), qp(1.0f / 256, 0), &y);
    t.node().params = SoftmaxParams{};
    CHECK(!t.run(softmax_quantized_kernel()).ok());
  }
}

// ---------------------------------------------------------------- pooling

TEST_CASE("AVERAGE_POOL_2D int8 rounds half away from zero", "[ops][quantized][pool]") {
  OpTester t(BuiltinOp::kAveragePool2D, 2);
  // Three 2x2 windows (stride 2 along width): sums 7, -7, -1 over 4 elements.
  t.add_input<int8_t>(DType::kI8, {1, 2, 6, 1}, {1, 2, -1, -2, 1, 2, 3, 1, -3, -1, 3, -7}, qp(0.5f, 0));
  const int y = t.add_output(DType::kI8, qp(0.5f, 0));
  PoolParams p;
  p.filter_h = 2;
  p.filter_w = 2;
  p.stride_h = 2;
  p.stride_w = 2;
  t.node().params = p;
  REQUIRE(t.run(average_pool2d_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{1, 1, 3, 1});
  // 1.75 -> 2, -1.75 -> -2, -0.25 -> 0.
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{2, -2, 0});
}

TEST_CASE("AVERAGE_POOL_2D SAME padding counts only in-bounds elements", "[ops][quantized][pool]") {
  OpTester t(BuiltinOp::kAveragePool2D, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 2, 2, 1}, {10, 20, 30, 41}, qp(1.0f, 0));
  const int y = t.add_output(DType::kU8, qp(1.0f, 0));
  PoolParams p;
  p.padding = Padding::kSame;
  p.filter_h = 3;
  p.filter_w = 3;
  t.node().params = p;
  REQUIRE(t.run(average_pool2d_quantized_kernel()).ok());
  // Every 3x3 window covers the whole 2x2 image: (101 + 2) / 4 = 25.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{25, 25, 25, 25});
}

TEST_CASE("MAX_POOL_2D uint8 with RELU6", "[ops][quantized][pool]") {
  OpTester t(BuiltinOp::kMaxPool2D, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 2, 2, 2}, {1, 200, 3, 50, 7, 60, 2, 70}, qp(0.1f, 0));
  const int y = t.add_output(DType::kU8, qp(0.1f, 0));
  PoolParams p;
  p.filter_h = 2;
  p.filter_w = 2;
  p.activation = Activation::kRelu6;
  t.node().params = p;
  REQUIRE(t.run(max_pool2d_quantized_kernel()).ok());
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{7, 60});  // 200 clamps at 6.0 / 0.1
}

// ---------------------------------------------------------------- QUANTIZE

TEST_CASE("QUANTIZE float32 -> int8 rounds half away from zero and clamps", "[ops][quantized][quantize]") {
  OpTester t(BuiltinOp::kQuantize, 1);
  t.add_input<float>(DType::kF32, {5}, {1.25f, -1.25f, 100.0f, -0.2f, 0.0f});
  const int y = t.add_output(DType::kI8, qp(0.5f, -1));
  REQUIRE(t.run(quantize_kernel()).ok());
  CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{2, -4, 127, -1, -1});
}

TEST_CASE("QUANTIZE requantizes between integer types", "[ops][quantized][quantize]") {
  SECTION("int8 -> uint8 (zero point shift)") {
    OpTester t(BuiltinOp::kQuantize, 2);
    t.add_input<int8_t>(DType::kI8, {3}, {-128, 0, 127}, qp(0.5f, -128));
    const int y = t.add_output(DType::kU8, qp(0.5f, 0));
    REQUIRE(t.run(quantize_kernel()).ok());
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{0, 128, 255});
  }
  SECTION("int16 -> int8 with a 1/16 rescale") {
    OpTester t(BuiltinOp::kQuantize, 2);
    t.add_input<int16_t>(DType::kI16, {3}, {24, -24, 8}, qp(1.0f / 1024, 0));
    const int y = t.add_output(DType::kI8, qp(1.0f / 64, 0));
    REQUIRE(t.run(quantize_kernel()).ok());
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{2, -2, 1});
  }
  SECTION("int32 -> int16") {
    OpTester t(BuiltinOp::kQuantize, 2);
    t.add_input<int32_t>(DType::kI32, {2}, {1 << 20, -(1 << 20)}, qp(1.0f / (1 << 20), 0));
    const int y = t.add_output(DType::kI16, qp(1.0f / 1024, 0));
    REQUIRE(t.run(quantize_kernel()).ok());
    CHECK(t.output_values<int16_t>(y) == std::vector<int16_t>{1024, -1024});
  }
  SECTION("unsupported pair") {
    OpTester t(BuiltinOp::kQuantize, 2);
    t.add_input<int32_t>(DType::kI32, {1}, {1}, qp(1.0f, 0));
    t.add_output(DType::kU8, qp(1.0f, 0));
    CHECK(!t.run(quantize_kernel()).ok());
  }
}

// ---------------------------------------------------------------- CONCATENATION, MEAN, RESIZE

TEST_CASE("CONCATENATION uint8 requantizes inputs in float", "[ops][quantized][concat]") {
  OpTester t(BuiltinOp::kConcatenation, 1);
  t.add_input<uint8_t>(DType::kU8, {1, 2}, {10, 20}, qp(1.0f, 0));
  t.add_input<uint8_t>(DType::kU8, {1, 2}, {30, 11}, qp(0.5f, 10));
  const int y = t.add_output(DType::kU8, qp(1.0f, 0));
  ConcatParams p;
  p.axis = -1;
  t.node().params = p;
  REQUIRE(t.run(concatenation_quantized_kernel()).ok());
  CHECK(t.shape(y) == Shape{1, 4});
  // 0.5 * (30 - 10) = 10; 0.5 * (11 - 10) = 0.5 -> 1.
  CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{10, 20, 10, 1});
}

TEST_CASE("CONCATENATION int8 requires matching quantization", "[ops][quantized][concat]") {
  OpTester t(BuiltinOp::kConcatenation, 2);
  t.add_input<int8_t>(DType::kI8, {1, 1}, {1}, qp(1.0f, 0));
  t.add_input<int8_t>(DType::kI8, {1, 1}, {2}, qp(0.5f, 0));
  t.add_output(DType::kI8, qp(1.0f, 0));
  t.node().params = ConcatParams{};
  CHECK(!t.run(concatenation_quantized_kernel()).ok());

  OpTester ok(BuiltinOp::kConcatenation, 2);
  ok.add_input<int8_t>(DType::kI8, {2, 1}, {1, 2}, qp(1.0f, 3));
  ok.add_input<int8_t>(DType::kI8, {2, 2}, {3, 4, 5, 6}, qp(1.0f, 3));
  const int y = ok.add_output(DType::kI8, qp(1.0f, 3));
  ConcatParams p;
  p.axis = 1;
  ok.node().params = p;
  REQUIRE(ok.run(concatenation_quantized_kernel()).ok());
  CHECK(ok.output_values<int8_t>(y) == std::vector<int8_t>{1, 3, 4, 2, 5, 6});
}

TEST_CASE("MEAN quantized: global-pool path and general path", "[ops][quantized][mean]") {
  SECTION("int8 keep_dims over H, W") {
    OpTester t(BuiltinOp::kMean, 2);
    t.add_input<int8_t>(DType::kI8, {1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, -60}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {2}, {1, 2});
    const int y = t.add_output(DType::kI8, qp(1.0f, 0));
    ReducerParams p;
    p.keep_dims = true;
    t.node().params = p;
    REQUIRE(t.run(mean_quantized_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 1, 1, 2});
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{3, 0});  // 2.5 -> 3, 0
  }
  SECTION("uint8 over the last axis without keep_dims") {
    OpTester t(BuiltinOp::kMean, 2);
    t.add_input<uint8_t>(DType::kU8, {2, 3}, {1, 2, 4, 10, 10, 11}, qp(0.5f, 1));
    t.add_constant<int32_t>(DType::kI32, {1}, {-1});
    const int y = t.add_output(DType::kU8, qp(0.5f, 1));
    t.node().params = ReducerParams{};
    REQUIRE(t.run(mean_quantized_kernel()).ok());
    CHECK(t.shape(y) == Shape{2});
    // (0 + 1 + 3) / 3 = 1.33 -> 1; (9 + 9 + 10) / 3 = 9.33 -> 9; plus the zero point 1.
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{2, 10});
  }
  SECTION("axis out of range") {
    OpTester t(BuiltinOp::kMean, 2);
    t.add_input<int8_t>(DType::kI8, {2, 3}, {1, 2, 3, 4, 5, 6}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {1}, {2});
    t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ReducerParams{};
    CHECK(!t.run(mean_quantized_kernel()).ok());
  }
}

TEST_CASE("RESIZE_BILINEAR quantized 2x along width", "[ops][quantized][resize]") {
  SECTION("int8: 10-bit fixed point") {
    OpTester t(BuiltinOp::kResizeBilinear, 3);
    t.add_input<int8_t>(DType::kI8, {1, 1, 2, 1}, {0, 100}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {2}, {1, 4});
    const int y = t.add_output(DType::kI8, qp(1.0f, 0));
    t.node().params = ResizeParams{};
    REQUIRE(t.run(resize_bilinear_quantized_kernel()).ok());
    CHECK(t.shape(y) == Shape{1, 1, 4, 1});
    CHECK(t.output_values<int8_t>(y) == std::vector<int8_t>{0, 50, 100, 100});
  }
  SECTION("uint8: float interpolation, + 0.5 then truncation") {
    OpTester t(BuiltinOp::kResizeBilinear, 3);
    t.add_input<uint8_t>(DType::kU8, {1, 1, 2, 1}, {0, 101}, qp(1.0f, 0));
    t.add_constant<int32_t>(DType::kI32, {2}, {1, 4});
    const int y = t.add_output(DType::kU8, qp(1.0f, 0));
    t.node().params = ResizeParams{};
    REQUIRE(t.run(resize_bilinear_quantized_kernel()).ok());
    CHECK(t.output_values<uint8_t>(y) == std::vector<uint8_t>{0, 51, 101, 101});
  }
}
