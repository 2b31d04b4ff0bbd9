// Binary and unary elementwise reference kernels (float32 / int32 / int64), hand-computed.
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tests/ops/misc_test_util.h"

using namespace eir;
using eir::testing::OpTester;
using eir::testing::misc::check_floats;
using eir::testing::misc::run;

namespace {

template <class T>
std::vector<T> binary(BuiltinOp op, DType dt, Shape sa, std::vector<T> a, Shape sb, std::vector<T> b,
                      Activation act = Activation::kNone, Shape* out_shape = nullptr) {
  OpTester t(op);
  t.add_input(dt, sa, a);
  t.add_input(dt, sb, b);
  int y = t.add_output(dt);
  ActivationParams p;
  p.activation = act;
  t.node().params = p;
  Status s = run(t);
  INFO(s.to_string());
  REQUIRE(s.ok());
  if (out_shape) *out_shape = t.shape(y);
  return t.output_values<T>(y);
}

template <class T>
Status binary_status(BuiltinOp op, DType dt, Shape sa, std::vector<T> a, Shape sb, std::vector<T> b) {
  OpTester t(op);
  t.add_input(dt, sa, a);
  t.add_input(dt, sb, b);
  t.add_output(dt);
  t.node().params = ActivationParams{};
  return run(t);
}

constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();

}  // namespace

TEST_CASE("ADD float32 broadcasts like NumPy", "[ops][elementwise]") {
  Shape out;
  auto y = binary<float>(BuiltinOp::kAdd, DType::kF32, {2, 3}, {1, 2, 3, 4, 5, 6}, {3}, {10, 20, 30},
                         Activation::kNone, &out);
  CHECK(out == Shape{2, 3});
  check_floats(y, {11, 22, 33, 14, 25, 36});

  // [2,1] + [1,3] -> [2,3]: both sides broadcast.
  y = binary<float>(BuiltinOp::kAdd, DType::kF32, {2, 1}, {100, 200}, {1, 3}, {1, 2, 3}, Activation::kNone, &out);
  CHECK(out == Shape{2, 3});
  check_floats(y, {101, 102, 103, 201, 202, 203});

  // A rank-0 operand.
  y = binary<float>(BuiltinOp::kAdd, DType::kF32, {}, {0.5f}, {2, 2}, {1, 2, 3, 4}, Activation::kNone, &out);
  CHECK(out == Shape{2, 2});
  check_floats(y, {1.5f, 2.5f, 3.5f, 4.5f});

  // Rank 5 with broadcasting in the middle.
  y = binary<float>(BuiltinOp::kAdd, DType::kF32, {1, 2, 1, 2, 1}, {1, 2, 3, 4}, {2, 1, 1}, {10, 20},
                    Activation::kNone, &out);
  CHECK(out == Shape{1, 2, 2, 2, 1});
  check_floats(y, {11, 12, 21, 22, 13, 14, 23, 24});
}

TEST_CASE("ADD/SUB/MUL apply the fused activation clamp", "[ops][elementwise]") {
  check_floats(binary<float>(BuiltinOp::kAdd, DType::kF32, {3}, {-5, 2, 7}, {3}, {1, 1, 1}, Activation::kRelu6),
               {0, 3, 6});
  check_floats(binary<float>(BuiltinOp::kSub, DType::kF32, {3}, {-5, 0.5f, 7}, {1}, {0}, Activation::kReluN1To1),
               {-1, 0.5f, 1});
  check_floats(binary<float>(BuiltinOp::kMul, DType::kF32, {2}, {-2, 3}, {2}, {4, 4}, Activation::kRelu), {0, 12});
  // TFLite's CalculateActivationRange ignores TANH on these ops: no clamp, no tanh.
  check_floats(binary<float>(BuiltinOp::kAdd, DType::kF32, {1}, {3}, {1}, {4}, Activation::kTanh), {7});
  // int32 activation ranges are the same integers.
  CHECK(binary<int32_t>(BuiltinOp::kSub, DType::kI32, {2}, {5, 1}, {2}, {3, 4}, Activation::kRelu) ==
        std::vector<int32_t>{2, 0});
  CHECK(binary<int32_t>(BuiltinOp::kAdd, DType::kI32, {3}, {-9, 3, 9}, {1}, {0}, Activation::kRelu6) ==
        std::vector<int32_t>{0, 3, 6});
}

TEST_CASE("float overflow to infinity is clamped to FLT_MAX like TFLite; NaN survives", "[ops][elementwise]") {
  auto y = binary<float>(BuiltinOp::kDiv, DType::kF32, {3}, {1, -1, 0}, {3}, {0, 0, 0});
  CHECK(y[0] == FLT_MAX);
  CHECK(y[1] == -FLT_MAX);
  CHECK(std::isnan(y[2]));
  y = binary<float>(BuiltinOp::kMul, DType::kF32, {1}, {1e30f}, {1}, {1e30f});
  CHECK(y[0] == FLT_MAX);
}

TEST_CASE("int32 MUL squares (mp_1x3_square_int32) and wraps on overflow", "[ops][elementwise]") {
  CHECK(binary<int32_t>(BuiltinOp::kMul, DType::kI32, {1, 3}, {2, -3, 4}, {1, 3}, {2, -3, 4}) ==
        std::vector<int32_t>{4, 9, 16});
  CHECK(binary<int32_t>(BuiltinOp::kMul, DType::kI32, {1}, {kI32Max}, {1}, {2}) == std::vector<int32_t>{-2});
  CHECK(binary<int32_t>(BuiltinOp::kAdd, DType::kI32, {1}, {kI32Max}, {1}, {1}) == std::vector<int32_t>{kI32Min});
}

TEST_CASE("int64 ADD/SUB/MAXIMUM", "[ops][elementwise]") {
  const int64_t big = int64_t{1} << 40;
  CHECK(binary<int64_t>(BuiltinOp::kAdd, DType::kI64, {2}, {big, -big}, {1}, {5}) ==
        std::vector<int64_t>{big + 5, -big + 5});
  CHECK(binary<int64_t>(BuiltinOp::kSub, DType::kI64, {1}, {big}, {1}, {1}) == std::vector<int64_t>{big - 1});
  CHECK(binary<int64_t>(BuiltinOp::kMaximum, DType::kI64, {2}, {big, -big}, {2}, {0, 0}) ==
        std::vector<int64_t>{big, 0});
}

TEST_CASE("DIV: float true division, int32 truncation, int32 zero divisor is a run-time error",
          "[ops][elementwise]") {
  check_floats(binary<float>(BuiltinOp::kDiv, DType::kF32, {3}, {1, -3, 7}, {1}, {2}), {0.5f, -1.5f, 3.5f});
  CHECK(binary<int32_t>(BuiltinOp::kDiv, DType::kI32, {4}, {7, -7, 7, -7}, {4}, {2, 2, -2, -2}) ==
        std::vector<int32_t>{3, -3, -3, 3});
  CHECK(binary<int32_t>(BuiltinOp::kDiv, DType::kI32, {1}, {kI32Min}, {1}, {-1}) == std::vector<int32_t>{kI32Min});
  Status s = binary_status<int32_t>(BuiltinOp::kDiv, DType::kI32, {2}, {1, 2}, {2}, {1, 0});
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("division by zero") != std::string::npos);
}

TEST_CASE("FLOOR_DIV rounds toward negative infinity; any zero divisor is an error", "[ops][elementwise]") {
  CHECK(binary<int32_t>(BuiltinOp::kFloorDiv, DType::kI32, {5}, {7, -7, 7, -7, -6}, {5}, {2, 2, -2, -2, 3}) ==
        std::vector<int32_t>{3, -4, -4, 3, -2});
  CHECK(binary<int32_t>(BuiltinOp::kFloorDiv, DType::kI32, {2}, {kI32Min, -1}, {1}, {-1}) ==
        std::vector<int32_t>{kI32Min, 1});
  check_floats(binary<float>(BuiltinOp::kFloorDiv, DType::kF32, {3}, {7.5f, -7.5f, 1}, {3}, {2, 2, -3}),
               {3, -4, -1});
  CHECK_FALSE(binary_status<int32_t>(BuiltinOp::kFloorDiv, DType::kI32, {1}, {1}, {2}, {1, 0}).ok());
  // TFLite checks float divisors too.
  CHECK_FALSE(binary_status<float>(BuiltinOp::kFloorDiv, DType::kF32, {1}, {1}, {1}, {-0.0f}).ok());
}

TEST_CASE("FLOOR_MOD takes the divisor's sign", "[ops][elementwise]") {
  CHECK(binary<int32_t>(BuiltinOp::kFloorMod, DType::kI32, {4}, {7, -7, 7, -7}, {4}, {3, 3, -3, -3}) ==
        std::vector<int32_t>{1, 2, -2, -1});
  CHECK(binary<int32_t>(BuiltinOp::kFloorMod, DType::kI32, {2}, {kI32Min, 6}, {2}, {-1, 3}) ==
        std::vector<int32_t>{0, 0});
  // Broadcast scalar divisor, as tfls_dilated_conv uses it on shapes.
  CHECK(binary<int32_t>(BuiltinOp::kFloorMod, DType::kI32, {3}, {-1, 5, 224}, {}, {4}) ==
        std::vector<int32_t>{3, 1, 0});
  check_floats(binary<float>(BuiltinOp::kFloorMod, DType::kF32, {3}, {7.5f, -7.5f, 7.5f}, {3}, {2, 2, -2}),
               {1.5f, 0.5f, -0.5f});
  CHECK_FALSE(binary_status<int32_t>(BuiltinOp::kFloorMod, DType::kI32, {1}, {1}, {1}, {0}).ok());
  // Float modulo by zero is NaN, not an error (TFLite validates integer divisors only).
  auto y = binary<float>(BuiltinOp::kFloorMod, DType::kF32, {1}, {1}, {1}, {0});
  CHECK(std::isnan(y[0]));
}

TEST_CASE("MAXIMUM / MINIMUM / SQUARED_DIFFERENCE", "[ops][elementwise]") {
  check_floats(binary<float>(BuiltinOp::kMaximum, DType::kF32, {3}, {1, 5, 3}, {}, {4}), {4, 5, 4});
  check_floats(binary<float>(BuiltinOp::kMinimum, DType::kF32, {3}, {1, 5, 3}, {}, {4}), {1, 4, 3});
  CHECK(binary<int32_t>(BuiltinOp::kMinimum, DType::kI32, {2, 1}, {-1, 9}, {1, 2}, {0, 5}) ==
        std::vector<int32_t>{-1, -1, 0, 5});
  check_floats(binary<float>(BuiltinOp::kSquaredDifference, DType::kF32, {2}, {1, 5}, {2}, {4, 2}), {9, 9});
  CHECK(binary<int32_t>(BuiltinOp::kSquaredDifference, DType::kI32, {2}, {-3, 10}, {1}, {2}) ==
        std::vector<int32_t>{25, 64});
}

TEST_CASE("float/int binary ops refuse mismatched dtypes and shapes", "[ops][elementwise]") {
  {
    OpTester t(BuiltinOp::kAdd);
    t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
    t.add_input(DType::kI32, {2}, std::vector<int32_t>{1, 2});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
  CHECK_FALSE(binary_status<float>(BuiltinOp::kAdd, DType::kF32, {2, 3}, std::vector<float>(6), {4},
                                   std::vector<float>(4))
                  .ok());
  {
    OpTester t(BuiltinOp::kMul);  // output dtype differs from the inputs'
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_input(DType::kF32, {1}, std::vector<float>{1});
    t.add_output(DType::kI32);
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("same-shape binary op splits across threads", "[ops][elementwise]") {
  const int n = 50000;
  std::vector<float> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[static_cast<size_t>(i)] = static_cast<float>(i);
    b[static_cast<size_t>(i)] = 1.0f;
  }
  OpTester t(BuiltinOp::kSub);
  t.add_input(DType::kF32, {n}, a);
  t.add_input(DType::kF32, {n}, b);
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t, 3).ok());
  auto out = t.output_values<float>(y);
  for (int i = 0; i < n; i += 997) CHECK(out[static_cast<size_t>(i)] == static_cast<float>(i - 1));
  CHECK(out[n - 1] == static_cast<float>(n - 2));
}

namespace {

template <class T>
std::vector<T> unary(BuiltinOp op, DType dt, std::vector<T> x) {
  OpTester t(op);
  t.add_input(dt, {static_cast<int32_t>(x.size())}, x);
  int y = t.add_output(dt);
  Status s = run(t);
  INFO(s.to_string());
  REQUIRE(s.ok());
  return t.output_values<T>(y);
}

}  // namespace

TEST_CASE("unary math ops", "[ops][elementwise]") {
  check_floats(unary<float>(BuiltinOp::kExp, DType::kF32, {0, 1, -1}), {1, 2.7182818f, 0.36787944f});
  check_floats(unary<float>(BuiltinOp::kSqrt, DType::kF32, {4, 9, 0}), {2, 3, 0});
  CHECK(std::isnan(unary<float>(BuiltinOp::kSqrt, DType::kF32, {-1})[0]));
  check_floats(unary<float>(BuiltinOp::kRsqrt, DType::kF32, {4, 0.25f}), {0.5f, 2});
  CHECK(std::isinf(unary<float>(BuiltinOp::kRsqrt, DType::kF32, {0})[0]));
  check_floats(unary<float>(BuiltinOp::kSquare, DType::kF32, {3, -1.5f}), {9, 2.25f});
  check_floats(unary<float>(BuiltinOp::kFloor, DType::kF32, {-1.5f, 1.5f, 2}), {-2, 1, 2});
  check_floats(unary<float>(BuiltinOp::kCeil, DType::kF32, {-1.5f, 1.5f, 2}), {-1, 2, 2});
  check_floats(unary<float>(BuiltinOp::kAbs, DType::kF32, {-2, 3}), {2, 3});
  check_floats(unary<float>(BuiltinOp::kNeg, DType::kF32, {-2, 3}), {2, -3});
  CHECK(unary<int32_t>(BuiltinOp::kAbs, DType::kI32, {-5, 5, kI32Min}) == std::vector<int32_t>{5, 5, kI32Min});
  CHECK(unary<int32_t>(BuiltinOp::kNeg, DType::kI32, {5, -6, kI32Min}) == std::vector<int32_t>{-5, 6, kI32Min});
  CHECK(unary<int64_t>(BuiltinOp::kNeg, DType::kI64, {int64_t{1} << 40}) == std::vector<int64_t>{-(int64_t{1} << 40)});
}

TEST_CASE("unary ops refuse a wrong output dtype", "[ops][elementwise]") {
  OpTester t(BuiltinOp::kExp);
  t.add_input(DType::kF32, {1}, std::vector<float>{1});
  t.add_output(DType::kI32);
  CHECK_FALSE(run(t).ok());
}
