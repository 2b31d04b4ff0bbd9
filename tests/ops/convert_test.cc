// CAST, ARG_MAX/ARG_MIN, DEQUANTIZE and the portable float16 conversion.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/reference/fp16.h"
#include "tests/ops/misc_test_util.h"

using namespace eir;
using eir::testing::OpTester;
using eir::testing::misc::check_floats;
using eir::testing::qp;
using eir::testing::misc::run;

namespace {

template <class To, class From>
std::vector<To> cast(DType from, DType to, std::vector<From> x) {
  OpTester t(BuiltinOp::kCast);
  t.add_input(from, {static_cast<int32_t>(x.size())}, x);
  int y = t.add_output(to);
  Status s = run(t);
  INFO(s.to_string());
  REQUIRE(s.ok());
  return t.output_values<To>(y);
}

constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();

}  // namespace

TEST_CASE("CAST float -> int truncates toward zero and saturates; NaN -> max", "[ops][cast]") {
  CHECK(cast<int32_t, float>(DType::kF32, DType::kI32, {1.9f, -1.9f, NAN, 3e9f, -3e9f, 2147483520.0f}) ==
        std::vector<int32_t>{1, -1, kI32Max, kI32Max, kI32Min, 2147483520});
  CHECK(cast<uint8_t, float>(DType::kF32, DType::kU8, {300, -5, 2.5f, 255.9f}) == std::vector<uint8_t>{255, 0, 2, 255});
  CHECK(cast<int8_t, float>(DType::kF32, DType::kI8, {-128.5f, 127.5f, -0.5f}) == std::vector<int8_t>{-128, 127, 0});
  CHECK(cast<int64_t, float>(DType::kF32, DType::kI64, {-1e10f, 1e30f}) ==
        std::vector<int64_t>{-10000000000LL, std::numeric_limits<int64_t>::max()});
}

TEST_CASE("CAST to and from bool", "[ops][cast]") {
  CHECK(cast<uint8_t, float>(DType::kF32, DType::kBool, {0, -0.0f, 0.5f, NAN}) == std::vector<uint8_t>{0, 0, 1, 1});
  CHECK(cast<uint8_t, int32_t>(DType::kI32, DType::kBool, {0, -7}) == std::vector<uint8_t>{0, 1});
  check_floats(cast<float, uint8_t>(DType::kBool, DType::kF32, {0, 1, 5}), {0, 1, 1});
}

TEST_CASE("CAST between integer types keeps the low bits and sign-extends", "[ops][cast]") {
  CHECK(cast<uint8_t, int32_t>(DType::kI32, DType::kU8, {263, -1}) == std::vector<uint8_t>{7, 255});
  CHECK(cast<int64_t, int8_t>(DType::kI8, DType::kI64, {-1, 127}) == std::vector<int64_t>{-1, 127});
  CHECK(cast<int32_t, uint8_t>(DType::kU8, DType::kI32, {255}) == std::vector<int32_t>{255});
  CHECK(cast<int16_t, int64_t>(DType::kI64, DType::kI16, {65537}) == std::vector<int16_t>{1});
  CHECK(cast<float, int32_t>(DType::kI32, DType::kF32, {16777217, -3}) == std::vector<float>{16777216.0f, -3.0f});
}

TEST_CASE("CAST from float16 and refusals", "[ops][cast]") {
  CHECK(cast<int32_t, uint16_t>(DType::kF16, DType::kI32, {0x3e00 /* 1.5 */, 0xc500 /* -5 */}) ==
        std::vector<int32_t>{1, -5});
  OpTester t(BuiltinOp::kCast);  // no float16 output
  t.add_input(DType::kF32, {1}, std::vector<float>{1});
  t.add_output(DType::kF16);
  CHECK_FALSE(run(t).ok());
}

TEST_CASE("float16 conversion is exact and rounds to nearest even", "[ops][fp16]") {
  using eir::ref::float_to_half;
  using eir::ref::half_to_float;
  CHECK(half_to_float(0x3c00) == 1.0f);
  CHECK(half_to_float(0xc000) == -2.0f);
  CHECK(half_to_float(0x0001) == std::ldexp(1.0f, -24));
  CHECK(half_to_float(0x03ff) == std::ldexp(1023.0f, -24));
  CHECK(half_to_float(0x7bff) == 65504.0f);
  CHECK(half_to_float(0x3555) == 0.333251953125f);
  CHECK(std::isinf(half_to_float(0x7c00)));
  CHECK(std::isnan(half_to_float(0x7e00)));
  CHECK(std::signbit(half_to_float(0x8000)));
  // Every non-NaN half survives the round trip.
  int mismatches = 0;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t bits = static_cast<uint16_t>(h);
    if ((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0) continue;
    if (float_to_half(half_to_float(bits)) != bits) ++mismatches;
  }
  CHECK(mismatches == 0);
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);      // tie -> even (down)
  CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);  // tie -> even (up)
  CHECK(float_to_half(65519.0f) == 0x7bff);
  CHECK(float_to_half(65520.0f) == 0x7c00);
  CHECK(float_to_half(std::ldexp(1.0f, -25)) == 0x0000);                 // tie -> even (zero)
  CHECK(float_to_half(std::ldexp(3.0f, -25)) == 0x0002);                 // tie -> even (up)
  CHECK((float_to_half(NAN) & 0x7e00) == 0x7e00);
}

TEST_CASE("ARG_MAX / ARG_MIN: first index on ties, NaN never wins", "[ops][arg_minmax]") {
  auto arg = [](BuiltinOp op, int32_t axis, DType out_dtype) {
    OpTester t(op);
    t.add_input(DType::kF32, {2, 3}, std::vector<float>{1, 3, 3, NAN, -1, 0});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{axis});
    int y = t.add_output(out_dtype);
    REQUIRE(run(t).ok());
    return std::make_pair(t.shape(y), t.output_values<int32_t>(y));
  };
  auto [s1, v1] = arg(BuiltinOp::kArgMax, 1, DType::kI32);
  CHECK(s1 == Shape{2});
  CHECK(v1 == std::vector<int32_t>{1, 2});
  auto [s2, v2] = arg(BuiltinOp::kArgMin, 0, DType::kI32);
  CHECK(s2 == Shape{3});
  CHECK(v2 == std::vector<int32_t>{0, 1, 1});
  auto [s3, v3] = arg(BuiltinOp::kArgMin, -1, DType::kI32);
  CHECK(v3 == std::vector<int32_t>{0, 1});
}

TEST_CASE("ARG_MAX on uint8 / int8 with int64 output and int64 axis", "[ops][arg_minmax]") {
  {
    OpTester t(BuiltinOp::kArgMax);
    t.add_input(DType::kU8, {1, 4}, std::vector<uint8_t>{7, 255, 3, 255});
    t.add_constant(DType::kI64, {}, std::vector<int64_t>{1});
    int y = t.add_output(DType::kI64);
    t.node().params = ArgMinMaxParams{static_cast<int>(DType::kI64)};
    REQUIRE(run(t).ok());
    CHECK(t.output_values<int64_t>(y) == std::vector<int64_t>{1});
  }
  {
    OpTester t(BuiltinOp::kArgMin);
    t.add_input(DType::kI8, {4}, std::vector<int8_t>{7, -128, 3, -128});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{0});
    int y = t.add_output(DType::kI32);
    REQUIRE(run(t).ok());
    CHECK(t.shape(y) == Shape{});
    CHECK(t.output_values<int32_t>(y) == std::vector<int32_t>{1});
  }
}

TEST_CASE("ARG_MAX errors: empty axis, bad axis, float output", "[ops][arg_minmax]") {
  {
    OpTester t(BuiltinOp::kArgMax);
    t.add_input(DType::kF32, {2, 0}, std::vector<float>{});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{1});
    t.add_output(DType::kI32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kArgMax);
    t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{1});
    t.add_output(DType::kI32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kArgMax);
    t.add_input(DType::kF32, {2}, std::vector<float>{1, 2});
    t.add_constant(DType::kI32, {1}, std::vector<int32_t>{0});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
}

TEST_CASE("DEQUANTIZE float16 -> float32", "[ops][dequantize]") {
  OpTester t(BuiltinOp::kDequantize);
  t.add_constant(DType::kF16, {2, 2}, std::vector<uint16_t>{0x3c00, 0xc000, 0x3555, 0x7bff});
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t).ok());
  CHECK(t.shape(y) == Shape{2, 2});
  CHECK(t.output_values<float>(y) == std::vector<float>{1.0f, -2.0f, 0.333251953125f, 65504.0f});
}

TEST_CASE("DEQUANTIZE int8 per-tensor computes in double like TFLite", "[ops][dequantize]") {
  OpTester t(BuiltinOp::kDequantize);
  t.add_input(DType::kI8, {4}, std::vector<int8_t>{-1, 0, 127, -128}, qp(0.5f, -1));
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t).ok());
  CHECK(t.output_values<float>(y) == std::vector<float>{0.0f, 0.5f, 64.0f, -63.5f});

  OpTester t2(BuiltinOp::kDequantize);
  t2.add_input(DType::kU8, {2}, std::vector<uint8_t>{3, 200}, qp(0.1f, 0));
  int y2 = t2.add_output(DType::kF32);
  REQUIRE(run(t2).ok());
  const double s = static_cast<double>(0.1f);
  CHECK(t2.output_values<float>(y2) == std::vector<float>{static_cast<float>(s * 3), static_cast<float>(s * 200)});
}

TEST_CASE("DEQUANTIZE per-channel along the quantized axis", "[ops][dequantize]") {
  QuantParams q;
  q.scales = {0.5f, 2.0f};
  q.zero_points = {1, 3};
  q.axis = 1;
  OpTester t(BuiltinOp::kDequantize);
  t.add_constant(DType::kU8, {2, 2}, std::vector<uint8_t>{3, 5, 1, 3}, q);
  int y = t.add_output(DType::kF32);
  REQUIRE(run(t).ok());
  CHECK(t.output_values<float>(y) == std::vector<float>{1.0f, 4.0f, 0.0f, 0.0f});

  q.axis = 0;  // 2 scales on axis 0 of a [2,3] tensor
  OpTester t2(BuiltinOp::kDequantize);
  t2.add_constant(DType::kI8, {2, 3}, std::vector<int8_t>{1, 2, 3, 4, 5, 6}, q);
  int y2 = t2.add_output(DType::kF32);
  REQUIRE(run(t2).ok());
  CHECK(t2.output_values<float>(y2) == std::vector<float>{0.0f, 0.5f, 1.0f, 2.0f, 4.0f, 6.0f});

  q.axis = 1;  // 2 scales but axis 1 has 3 entries
  OpTester bad(BuiltinOp::kDequantize);
  bad.add_constant(DType::kI8, {2, 3}, std::vector<int8_t>{1, 2, 3, 4, 5, 6}, q);
  bad.add_output(DType::kF32);
  CHECK_FALSE(run(bad).ok());
}

TEST_CASE("DEQUANTIZE int16 needs zero point 0; unquantized input is refused", "[ops][dequantize]") {
  {
    OpTester t(BuiltinOp::kDequantize);
    t.add_input(DType::kI16, {2}, std::vector<int16_t>{-2, 1000}, qp(0.25f, 0));
    int y = t.add_output(DType::kF32);
    REQUIRE(run(t).ok());
    CHECK(t.output_values<float>(y) == std::vector<float>{-0.5f, 250.0f});
  }
  {
    OpTester t(BuiltinOp::kDequantize);
    t.add_input(DType::kI16, {1}, std::vector<int16_t>{1}, qp(0.25f, 3));
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
  {
    OpTester t(BuiltinOp::kDequantize);
    t.add_input(DType::kI8, {1}, std::vector<int8_t>{1});
    t.add_output(DType::kF32);
    CHECK_FALSE(run(t).ok());
  }
}
