// Fixed-point utilities vs hand-computed values (TFLite / gemmlowp semantics).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "kernels/reference/quant_utils.h"

using namespace eir;
using namespace eir::ref;

TEST_CASE("quantize_multiplier: frexp significand and shift", "[ops][quant]") {
  QuantizedMultiplier m = quantize_multiplier(0.5);
  CHECK(m.multiplier == (1 << 30));
  CHECK(m.shift == 0);
  m = quantize_multiplier(1.0);
  CHECK(m.multiplier == (1 << 30));
  CHECK(m.shift == 1);
  m = quantize_multiplier(0.75);
  CHECK(m.multiplier == 1610612736);
  CHECK(m.shift == 0);
  m = quantize_multiplier(0.1);  // 0.8 * 2^-3; 0.8 * 2^31 = 1717986918.4
  CHECK(m.multiplier == 1717986918);
  CHECK(m.shift == -3);
  m = quantize_multiplier(3.0);  // 0.75 * 2^2
  CHECK(m.multiplier == 1610612736);
  CHECK(m.shift == 2);
  m = quantize_multiplier(0.0);
  CHECK(m.multiplier == 0);
  CHECK(m.shift == 0);
}

TEST_CASE("quantize_multiplier: rounding carry and flush to zero", "[ops][quant]") {
  // Just below 1.0: the significand rounds up to 2^31 and is renormalized.
  QuantizedMultiplier m = quantize_multiplier(1.0 - std::ldexp(1.0, -40));
  CHECK(m.multiplier == (1 << 30));
  CHECK(m.shift == 1);
  // 2^-32 = 0.5 * 2^-31 is kept; 2^-33 (shift -32) flushes to zero.
  m = quantize_multiplier(std::ldexp(1.0, -32));
  CHECK(m.multiplier == (1 << 30));
  CHECK(m.shift == -31);
  m = quantize_multiplier(std::ldexp(1.0, -33));
  CHECK(m.multiplier == 0);
  CHECK(m.shift == 0);
  // Ties of the significand round half away from zero: (2^30 + 0.5) / 2^31.
  m = quantize_multiplier((1073741824.0 + 0.5) / 2147483648.0);
  CHECK(m.multiplier == 1073741825);
}

TEST_CASE("saturating_rounding_doubling_high_mul", "[ops][quant]") {
  CHECK(saturating_rounding_doubling_high_mul(1 << 30, 1 << 30) == (1 << 29));  // 0.5 * 0.5
  const int32_t mn = std::numeric_limits<int32_t>::min();
  CHECK(saturating_rounding_doubling_high_mul(mn, mn) == std::numeric_limits<int32_t>::max());
  // a*b / 2^31 = +0.5 rounds to 1; -0.5 rounds to 0 (VQRDMULH rounds half up).
  CHECK(saturating_rounding_doubling_high_mul(1, 1 << 30) == 1);
  CHECK(saturating_rounding_doubling_high_mul(-1, 1 << 30) == 0);
  CHECK(saturating_rounding_doubling_high_mul(-3, 1 << 30) == -1);  // -1.5 -> -1
  CHECK(saturating_rounding_doubling_high_mul(100, 1 << 30) == 50);
  // int16 flavour: a*b / 2^15.
  CHECK(saturating_rounding_doubling_high_mul(int16_t{16384}, int16_t{16384}) == 8192);
  CHECK(saturating_rounding_doubling_high_mul(int16_t{-32768}, int16_t{-32768}) == 32767);
}

TEST_CASE("rounding_divide_by_pot: ties away from zero", "[ops][quant]") {
  CHECK(rounding_divide_by_pot(5, 1) == 3);    // 2.5 -> 3
  CHECK(rounding_divide_by_pot(-5, 1) == -3);  // -2.5 -> -3
  CHECK(rounding_divide_by_pot(-3, 1) == -2);  // -1.5 -> -2
  CHECK(rounding_divide_by_pot(7, 2) == 2);    // 1.75 -> 2
  CHECK(rounding_divide_by_pot(-7, 2) == -2);
  CHECK(rounding_divide_by_pot(-6, 2) == -2);  // -1.5 -> -2
  CHECK(rounding_divide_by_pot(6, 2) == 2);    // 1.5 -> 2
  CHECK(rounding_divide_by_pot(-5, 2) == -1);  // -1.25 -> -1
  CHECK(rounding_divide_by_pot(12345, 0) == 12345);
  CHECK(rounding_divide_by_pot(int16_t{-5}, 1) == -3);
}

TEST_CASE("saturating_rounding_multiply_by_pot", "[ops][quant]") {
  CHECK(saturating_rounding_multiply_by_pot(3, 2) == 12);
  CHECK(saturating_rounding_multiply_by_pot(1 << 29, 2) == std::numeric_limits<int32_t>::max());
  CHECK(saturating_rounding_multiply_by_pot(-(1 << 29), 2) == std::numeric_limits<int32_t>::min());
  CHECK(saturating_rounding_multiply_by_pot(-5, -1) == -3);
  CHECK(saturating_rounding_multiply_by_pot(int16_t{8192}, 2) == 32767);
}

TEST_CASE("multiply_by_quantized_multiplier: double rounding", "[ops][quant]") {
  // 0.5 with shift -1 = 0.25: 10 * 0.25 = 2.5 -> SRDHM gives 5, RDBPOT(5,1) = 3.
  CHECK(multiply_by_quantized_multiplier(10, 1 << 30, -1) == 3);
  CHECK(multiply_by_quantized_multiplier(-10, 1 << 30, -1) == -3);  // -2.5 -> -3 (away from zero)
  // Positive shift: 3 * 0.5 * 2^2 = 6.
  CHECK(multiply_by_quantized_multiplier(3, 1 << 30, 2) == 6);
  // The ruy x86 GEMM variant rounds the final shift half up: -2.5 -> -2.
  CHECK(multiply_by_quantized_multiplier_ruy_x86(10, 1 << 30, -1) == 3);
  CHECK(multiply_by_quantized_multiplier_ruy_x86(-10, 1 << 30, -1) == -2);
  // -2.75: the high multiply already rounds -5.5 up to -5, then -2.5 rounds up to -2 (double rounding).
  CHECK(multiply_by_quantized_multiplier_ruy_x86(-11, 1 << 30, -1) == -2);
  CHECK(multiply_by_quantized_multiplier(-11, 1 << 30, -1) == -3);  // -2.5 -> -3 away from zero
  CHECK(multiply_by_quantized_multiplier_ruy_x86(3, 1 << 30, 2) == 6);
  // A real multiplier: 0.0123 applied to a range of accumulators stays within ~0.5 of the exact value
  // (double rounding can add a little more than half a unit).
  const QuantizedMultiplier m = quantize_multiplier(0.0123);
  for (int32_t x = -100000; x <= 100000; x += 977) {
    const double exact = x * 0.0123;
    CHECK(std::abs(multiply_by_quantized_multiplier(x, m) - exact) < 0.51);
    CHECK(std::abs(multiply_by_quantized_multiplier_ruy_x86(x, m.multiplier, m.shift) - exact) < 0.51);
  }
}

TEST_CASE("multiply_by_quantized_multiplier: int64 (16x8) variant", "[ops][quant]") {
  // The multiplier is reduced to 16 bits: 2^30 -> 2^14, total shift 15 - shift.
  CHECK(multiply_by_quantized_multiplier(int64_t{10}, 1 << 30, -1) == 3);   // (10*16384 + 2^15) >> 16 = 3
  CHECK(multiply_by_quantized_multiplier(int64_t{-10}, 1 << 30, -1) == -2); // single round half up
  CHECK(multiply_by_quantized_multiplier(int64_t{1} << 40, 1 << 30, -20) == (1 << 19));
  // Multipliers >= 0x7FFF0000 saturate to 0x7FFF.
  CHECK(multiply_by_quantized_multiplier(int64_t{1} << 20, 0x7FFFFFFF, 0) == ((int64_t{0x7FFF} << 20) + (1 << 14)) >> 15);
}

TEST_CASE("quantized_activation_range", "[ops][quant]") {
  int32_t lo = 0, hi = 0;
  REQUIRE(quantized_activation_range(Activation::kNone, DType::kI8, 0.1f, 3, &lo, &hi).ok());
  CHECK(lo == -128);
  CHECK(hi == 127);
  REQUIRE(quantized_activation_range(Activation::kRelu, DType::kI8, 0.1f, 3, &lo, &hi).ok());
  CHECK(lo == 3);
  CHECK(hi == 127);
  REQUIRE(quantized_activation_range(Activation::kRelu6, DType::kU8, 0.05f, 10, &lo, &hi).ok());
  CHECK(lo == 10);
  CHECK(hi == 130);  // 10 + round(6 / 0.05)
  REQUIRE(quantized_activation_range(Activation::kRelu6, DType::kU8, 0.01f, 10, &lo, &hi).ok());
  CHECK(hi == 255);  // clamped to the dtype
  REQUIRE(quantized_activation_range(Activation::kReluN1To1, DType::kI16, 1.0f / 1024, 0, &lo, &hi).ok());
  CHECK(lo == -1024);
  CHECK(hi == 1024);
  CHECK(!quantized_activation_range(Activation::kTanh, DType::kI8, 0.1f, 0, &lo, &hi).ok());
}

TEST_CASE("check_quant_params", "[ops][quant]") {
  Tensor t;
  t.name = "w";
  t.dtype = DType::kI8;
  t.shape = {2, 3};
  t.quant.scales = {0.5f};
  t.quant.zero_points = {0};
  CHECK(check_quant_params(t, "w").ok());
  t.quant.scales = {0.0f};
  CHECK(!check_quant_params(t, "w").ok());
  t.quant.scales = {std::numeric_limits<float>::infinity()};
  CHECK(!check_quant_params(t, "w").ok());
  t.quant.scales = {0.5f};
  t.quant.zero_points = {200};  // outside int8
  CHECK(!check_quant_params(t, "w").ok());
  t.quant.zero_points = {1};
  QuantCheck sym;
  sym.require_zero_point_zero = true;
  CHECK(!check_quant_params(t, "w", sym).ok());
  // Per-channel: allowed only when asked, count must match the axis dim.
  t.quant.scales = {0.5f, 0.25f};
  t.quant.zero_points = {0, 0};
  t.quant.axis = 0;
  CHECK(!check_quant_params(t, "w").ok());
  QuantCheck pc;
  pc.allow_per_channel = true;
  CHECK(check_quant_params(t, "w", pc).ok());
  t.quant.axis = 1;  // dim 1 has 3 entries
  CHECK(!check_quant_params(t, "w", pc).ok());
  Tensor none;
  none.dtype = DType::kU8;
  CHECK(!check_quant_params(none, "x").ok());
}

TEST_CASE("8-bit LUT population and int16 LUT lookup", "[ops][quant]") {
  int8_t lut[256];
  // Identity with scale 0.5 in, 0.25 out: q_out = round(0.5 * (v - 1) / 0.25) + 0 = 2 * (v - 1), clamped.
  lut_populate_8bit<int8_t>(0.5f, 1, 0.25f, 0, [](float v) { return v; }, lut);
  CHECK(lut_lookup<int8_t>(1, lut) == 0);
  CHECK(lut_lookup<int8_t>(11, lut) == 20);
  CHECK(lut_lookup<int8_t>(-10, lut) == -22);
  CHECK(lut_lookup<int8_t>(127, lut) == 127);
  CHECK(lut_lookup<int8_t>(-128, lut) == -128);
  // int16: a linear function is reproduced exactly at the table's sample points and in between.
  int16_t lut16[513];
  lut_populate_int16<float>(1.0f / 32768, 0, 1.0f / 32768, 0, [](float v) { return v * 0.5f; }, lut16);
  CHECK(lut_lookup_int16(0, lut16) == 0);
  CHECK(lut_lookup_int16(1000, lut16) == 500);
  CHECK(lut_lookup_int16(-32768, lut16) == -16384);
}

TEST_CASE("gemmlowp fixed-point exp, tanh, logistic", "[ops][quant]") {
  using F5 = FixedPoint<int32_t, 5>;
  // exp(0) = 1 (saturated Q0.31), exp(-1) ~ 0.36788
  CHECK(exp_on_negative_values(F5::from_raw(0)).raw == std::numeric_limits<int32_t>::max());
  const double e1 = exp_on_negative_values(F5::from_raw(-(1 << 26))).raw / 2147483648.0;
  CHECK(std::abs(e1 - std::exp(-1.0)) < 1e-6);
  const double e2 = exp_on_negative_values(F5::from_raw(-(5 << 25))).raw / 2147483648.0;  // -2.5
  CHECK(std::abs(e2 - std::exp(-2.5)) < 1e-6);
  // tanh / logistic on Q3.12 int16 (the LSTM format): 1.0 = 4096.
  using F3 = FixedPoint<int16_t, 3>;
  CHECK(fixed_tanh(F3::from_raw(0)).raw == 0);
  const double t1 = fixed_tanh(F3::from_raw(4096)).raw / 32768.0;
  CHECK(std::abs(t1 - std::tanh(1.0)) < 1e-3);
  const double tm1 = fixed_tanh(F3::from_raw(-4096)).raw / 32768.0;
  CHECK(std::abs(tm1 + std::tanh(1.0)) < 1e-3);
  CHECK(fixed_logistic(F3::from_raw(0)).raw == 16384);
  const double l2 = fixed_logistic(F3::from_raw(2 * 4096)).raw / 32768.0;
  CHECK(std::abs(l2 - 1.0 / (1.0 + std::exp(-2.0))) < 1e-3);
  const double lm2 = fixed_logistic(F3::from_raw(-2 * 4096)).raw / 32768.0;
  CHECK(std::abs(lm2 - 1.0 / (1.0 + std::exp(2.0))) < 1e-3);
  // int32 Q4.27 logistic (the 8-bit kernels' fixed-point format).
  using F4 = FixedPoint<int32_t, 4>;
  const double l32 = fixed_logistic(F4::from_raw(3 << 27)).raw / 2147483648.0;
  CHECK(std::abs(l32 - 1.0 / (1.0 + std::exp(-3.0))) < 1e-6);
}

TEST_CASE("get_reciprocal", "[ops][quant]") {
  int bits = 0;
  // x = 3.0 in Q12.19 (12 integer bits): 1/3 as Q0.31 scaled by 2^bits.
  const int32_t x = 3 << 19;
  const int32_t r = get_reciprocal(x, 12, &bits);
  const double value = r / 2147483648.0 * std::ldexp(1.0, -bits);
  CHECK(std::abs(value - 1.0 / 3.0) < 1e-6);
}
