// Float activations and SOFTMAX, hand-computed.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "tests/ops/misc_test_util.h"

using namespace eir;
using eir::testing::OpTester;
using eir::testing::misc::check_floats;
using eir::testing::misc::run;

namespace {

std::vector<float> activation(BuiltinOp op, std::vector<float> x, OpParams params = {}) {
  OpTester t(op);
  t.add_input(DType::kF32, {static_cast<int32_t>(x.size())}, x);
  int y = t.add_output(DType::kF32);
  t.node().params = params;
  Status s = run(t);
  INFO(s.to_string());
  REQUIRE(s.ok());
  return t.output_values<float>(y);
}

}  // namespace

TEST_CASE("RELU family clamps and keeps NaN", "[ops][activation]") {
  check_floats(activation(BuiltinOp::kRelu, {-1, 0, 2.5f, NAN}), {0, 0, 2.5f, NAN});
  check_floats(activation(BuiltinOp::kRelu6, {-1, 3, 7, NAN}), {0, 3, 6, NAN});
  check_floats(activation(BuiltinOp::kReluN1To1, {-2, 0.5f, 2}), {-1, 0.5f, 1});
}

TEST_CASE("LOGISTIC and TANH", "[ops][activation]") {
  check_floats(activation(BuiltinOp::kLogistic, {0, 2, 20, -20, -9.5f}),
               {0.5f, 0.88079708f, 1.0f, 2.0611536e-09f, 7.4851830e-05f}, 1e-6);
  auto y = activation(BuiltinOp::kLogistic, {-20});
  CHECK(y[0] == Approx(2.0611536e-09).epsilon(1e-5));  // relative accuracy far out in the tail
  check_floats(activation(BuiltinOp::kTanh, {0.5f, -3, 0}), {0.46211716f, -0.99505475f, 0});
}

TEST_CASE("HARD_SWISH is x * relu6(x + 3) / 6", "[ops][activation]") {
  check_floats(activation(BuiltinOp::kHardSwish, {-4, -1, 0, 1, 4, 2.5f}),
               {0, -1.0f / 3.0f, 0, 2.0f / 3.0f, 4, 2.5f * 5.5f / 6.0f});
}

TEST_CASE("LEAKY_RELU uses its alpha, including alpha > 1", "[ops][activation]") {
  LeakyReluParams p;
  p.alpha = 0.1f;
  check_floats(activation(BuiltinOp::kLeakyRelu, {-2, 3, 0}, p), {-0.2f, 3, 0});
  p.alpha = 2.0f;
  check_floats(activation(BuiltinOp::kLeakyRelu, {-2, 3}, p), {-4, 3});
}

TEST_CASE("PRELU broadcasts a per-channel alpha", "[ops][activation]") {
  OpTester t(BuiltinOp::kPrelu);
  t.add_input(DType::kF32, {1, 2, 2, 2}, std::vector<float>{-1, -1, 2, -2, 0, -4, 3, 5});
  t.add_constant(DType::kF32, {1, 1, 2}, std::vector<float>{0.5f, 0.25f});
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{1, 2, 2, 2});
  check_floats(t.output_values<float>(y), {-0.5f, -0.25f, 2, -0.5f, 0, -1, 3, 5});
}

TEST_CASE("PRELU refuses a non-broadcastable alpha", "[ops][activation]") {
  OpTester t(BuiltinOp::kPrelu);
  t.add_input(DType::kF32, {1, 2, 3}, std::vector<float>(6));
  t.add_constant(DType::kF32, {2}, std::vector<float>{1, 2});
  t.add_output(DType::kF32);
  CHECK_FALSE(run(t).ok());
}

TEST_CASE("activations refuse int32 input (no kernel registered)", "[ops][activation]") {
  OpTester t(BuiltinOp::kLogistic);
  t.add_input(DType::kI32, {1}, std::vector<int32_t>{1});
  t.add_output(DType::kI32);
  std::string why;
  CHECK(eir::testing::misc::misc_registry().find(t.node(), t.tensors(), &why) == nullptr);
}

TEST_CASE("SOFTMAX over the last axis with beta", "[ops][softmax]") {
  OpTester t(BuiltinOp::kSoftmax);
  t.add_input(DType::kF32, {3, 3}, std::vector<float>{1, 2, 3, 5, 5, 5, 1000, 1000, -1000});
  int y = t.add_output(DType::kF32);
  t.node().params = SoftmaxParams{1.0f};
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{3, 3});
  // Row 0: e^-2, e^-1, 1 over their sum; row 1 uniform; row 2 does not overflow thanks to max subtraction.
  check_floats(t.output_values<float>(y),
               {0.09003057f, 0.24472847f, 0.66524096f, 1.0f / 3, 1.0f / 3, 1.0f / 3, 0.5f, 0.5f, 0.0f});

  OpTester t2(BuiltinOp::kSoftmax);
  t2.add_input(DType::kF32, {2}, std::vector<float>{0, std::log(3.0f)});
  int y2 = t2.add_output(DType::kF32);
  t2.node().params = SoftmaxParams{2.0f};  // exp(2 * ln 3) = 9 -> 1/10, 9/10
  REQUIRE(run(t2).ok());
  check_floats(t2.output_values<float>(y2), {0.1f, 0.9f});
}

TEST_CASE("SOFTMAX refuses a scalar", "[ops][softmax]") {
  OpTester t(BuiltinOp::kSoftmax);
  t.add_input(DType::kF32, {}, std::vector<float>{1});
  t.add_output(DType::kF32);
  t.node().params = SoftmaxParams{};
  CHECK_FALSE(run(t).ok());
}
