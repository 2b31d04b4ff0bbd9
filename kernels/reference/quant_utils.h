// Fixed-point utilities shared by the quantized reference kernels (and LSTM / SVDF).
//
// Everything here reproduces TensorFlow Lite's integer arithmetic bit for bit, as built by
// default (TFLITE_SINGLE_ROUNDING off = "double rounding"):
//   * quantize_multiplier: a real multiplier -> (int32 Q0.31 significand, power-of-two shift),
//     computed with frexp and round-half-away-from-zero, as tflite::QuantizeMultiplier.
//   * multiply_by_quantized_multiplier: x * M * 2^shift in integers, rounding twice (a rounding
//     doubling high multiply, then a rounding right shift), as tflite's double-rounding path.
//   * the gemmlowp primitives underneath (saturating_rounding_doubling_high_mul,
//     rounding_divide_by_pot, saturating_rounding_multiply_by_pot) and a small FixedPoint type
//     with gemmlowp's exp / tanh / logistic approximations (used by int16 activations, LSTM).
//   * quantized activation ranges, LUT builders for int8/uint8 (256 entries) and int16
//     (513 entries with linear interpolation), quantization-parameter validation.
//
// Conventions: "shift" is positive for a left shift (multiply by 2^shift) and negative for a
// right shift, as TFLite's QuantizeMultiplier returns it. Signed overflow is never relied upon:
// where gemmlowp would wrap, the code wraps explicitly through unsigned arithmetic.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/op_params.h"

namespace eir::ref {

// ------------------------------------------------------------------------------------------
// Rounding and integer helpers
// ------------------------------------------------------------------------------------------

// Round half away from zero (TfLiteRound == std::round), e.g. 2.5 -> 3, -2.5 -> -3.
inline float round_half_away(float x) { return std::round(x); }
inline double round_half_away(double x) { return std::round(x); }

// Two's-complement wrapping add / sub / negate for int32 (what gemmlowp's plain Add/Sub/Neg do
// in practice), without signed-overflow UB.
inline int32_t wrapping_add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline int32_t wrapping_sub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
inline int32_t wrapping_neg(int32_t a) { return static_cast<int32_t>(0u - static_cast<uint32_t>(a)); }

// x * 2^n for n >= 0 in int32, wrapping like TFLite's `x * (1 << left_shift)` does in practice.
// Shifts of 32 or more (only from hostile quantization parameters) wrap to 0 instead of being UB.
inline int32_t wrapping_shift_left(int32_t x, int n) {
  if (n >= 32) return 0;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << n);
}

// Number of leading zero bits of a uint32 (32 for 0).
inline int count_leading_zeros(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

// Value range of a quantized storage type.
template <class T>
constexpr int32_t qmin() { return static_cast<int32_t>(std::numeric_limits<T>::min()); }
template <class T>
constexpr int32_t qmax() { return static_cast<int32_t>(std::numeric_limits<T>::max()); }
// The same for a runtime dtype (int8, uint8, int16, int32); false for other dtypes.
bool dtype_quant_range(DType dtype, int32_t* lo, int32_t* hi);

// ------------------------------------------------------------------------------------------
// Quantized multipliers
// ------------------------------------------------------------------------------------------

// A real multiplier represented as significand * 2^(shift - 31), significand in [2^30, 2^31)
// (or 0). Positive shift = left shift.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};

// tflite::QuantizeMultiplier: q = frexp(real, &shift); significand = round(q * 2^31) with a
// carry into shift when it rounds to 2^31; multipliers below ~2^-31 (shift < -31) flush to 0.
// Zero gives {0, 0}. Negative multipliers give a negative significand (as TFLite does).
void quantize_multiplier(double real_multiplier, int32_t* quantized_multiplier, int* shift);
QuantizedMultiplier quantize_multiplier(double real_multiplier);

// The real multiplier input_scale * weights_scale / output_scale of one output channel of a
// CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED, as TFLite computes it: the scale product rounded
// to float first when `float_product` (uint8 layers, per-tensor int8 FULLY_CONNECTED:
// GetQuantizedConvolutionMultipler), else all in doubles (per-channel paths).
inline double weights_real_multiplier(float input_scale, float weights_scale, float output_scale,
                                      bool float_product) {
  return float_product
             ? static_cast<double>(input_scale * weights_scale) / static_cast<double>(output_scale)
             : static_cast<double>(input_scale) * static_cast<double>(weights_scale) / static_cast<double>(output_scale);
}

// gemmlowp SaturatingRoundingDoublingHighMul (ARM VQRDMULH): round(a * b / 2^31) with ties away
// from zero, saturating the single overflow case INT_MIN * INT_MIN to INT_MAX. The int16
// overload computes round(a * b / 2^15) likewise.
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
int16_t saturating_rounding_doubling_high_mul(int16_t a, int16_t b);

// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero
// (an arithmetic right shift plus a correction), exponent in [0, 31] (int16: [0, 15]).
int32_t rounding_divide_by_pot(int32_t x, int exponent);
int16_t rounding_divide_by_pot(int16_t x, int exponent);

// gemmlowp SaturatingRoundingMultiplyByPOT<exponent> with a run-time exponent: exponent > 0 is a
// saturating left shift (equal to TFLite's SaturatingRoundingMultiplyByPOTParam), exponent < 0 a
// rounding right shift (rounding_divide_by_pot; TFLite's Param variant is only meant for >= 0).
int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent);
int16_t saturating_rounding_multiply_by_pot(int16_t x, int exponent);

// tflite::MultiplyByQuantizedMultiplier (double rounding):
//   RoundingDivideByPOT(SRDHM(x * 2^max(shift,0), multiplier), max(-shift,0)).
// The left shift wraps on overflow exactly like TFLite's `x * (1 << left_shift)`.
int32_t multiply_by_quantized_multiplier(int32_t x, int32_t quantized_multiplier, int shift);
inline int32_t multiply_by_quantized_multiplier(int32_t x, QuantizedMultiplier m) {
  return multiply_by_quantized_multiplier(x, m.multiplier, m.shift);
}

// The int64 overload used by the 16x8 kernels (int64 accumulators): the multiplier is reduced
// to 16 bits (rounding, capped at 0x7FFF), then x * m16 is shifted right by (15 - shift) with a
// single round-half-up. Expects multiplier >= 0, shift in [-31, 7], |x| < 2^47. The result is
// truncated to int32 (as TFLite does; callers clamp afterwards).
int32_t multiply_by_quantized_multiplier(int64_t x, int32_t quantized_multiplier, int shift);

// MultiplyByQuantizedMultiplierSmallerThanOneExp: RoundingDivideByPOT(SRDHM(x, m), -left_shift),
// left_shift <= 0.
int32_t multiply_by_quantized_multiplier_smaller_than_one_exp(int32_t x, int32_t quantized_multiplier,
                                                              int left_shift);
// MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(x * 2^left_shift, m), left_shift >= 0.
int32_t multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t quantized_multiplier,
                                                          int left_shift);

// The output rescale of ruy's x86 AVX2 / AVX-512 integer GEMM kernels. TFLite's default CONV_2D
// and FULLY_CONNECTED kernels run their int8 (and int16x8) GEMMs through ruy on x86
// (cpu_backend_gemm_x86.h forces ruy for int8 operands), while uint8 GEMMs go through gemmlowp,
// whose output stage is multiply_by_quantized_multiplier. Same two steps as that function (left
// shift with wrap, high multiply, rounding right shift), but both roundings are half-up (toward
// +infinity) instead of the second one being half away from zero:
//   t = floor((x * 2^left * m + 2^30) / 2^31);  result = floor((t + 2^(right-1)) / 2^right).
int32_t multiply_by_quantized_multiplier_ruy_x86(int32_t x, int32_t quantized_multiplier, int shift);

// Which fixed-point rescale an accumulator gets, mirroring the TFLite code path being reproduced.
enum class Requantize : uint8_t {
  kTflite,  // multiply_by_quantized_multiplier(int32): TFLite's own kernels (double rounding)
  kRuyX86,  // multiply_by_quantized_multiplier_ruy_x86: int8 / int16x8 GEMMs (ruy on x86)
  kInt64,   // multiply_by_quantized_multiplier(int64): the 16x8 reference kernels' int64 path
};
// Rescales an accumulator. For kTflite / kRuyX86 the accumulator is an int32 in TFLite, so `acc`
// is first wrapped to 32 bits (two's complement), as TFLite's int32 accumulation would wrap.
inline int32_t requantize(int64_t acc, const QuantizedMultiplier& m, Requantize mode) {
  switch (mode) {
    case Requantize::kRuyX86:
      return multiply_by_quantized_multiplier_ruy_x86(static_cast<int32_t>(static_cast<uint64_t>(acc)), m.multiplier,
                                                      m.shift);
    case Requantize::kInt64:
      return multiply_by_quantized_multiplier(acc, m.multiplier, m.shift);
    case Requantize::kTflite:
    default:
      return multiply_by_quantized_multiplier(static_cast<int32_t>(static_cast<uint64_t>(acc)), m.multiplier, m.shift);
  }
}

// tflite::CheckedLog2: *log2_result = round(log2(x)) computed in float as TFLite does
// (log(x) * (1 / log(2))); true when x is within 1e-3 (in log2 units) of that power of two.
bool checked_log2(float x, int* log2_result);

// tflite::DownScaleInt32ToInt16Multiplier: rounds a Q0.31 multiplier to Q0.15, saturating.
int16_t downscale_int32_to_int16_multiplier(int32_t multiplier);

// ------------------------------------------------------------------------------------------
// Activation ranges and quantization-parameter checks
// ------------------------------------------------------------------------------------------

// Quantizes one float the way tflite's CalculateActivationRangeQuantized does:
// zero_point + int32(round(f / scale)), all in float.
int32_t quantize_value_for_range(float f, float scale, int32_t zero_point);

// tflite::CalculateActivationRangeQuantized for an output of `dtype` (int8, uint8, int16) with
// the given scale/zero point: the fused activation (NONE, RELU, RELU_N1_TO_1, RELU6) as a clamp
// range in the quantized domain, intersected with the dtype range. TANH / SIGN_BIT are refused
// (TFLite would silently ignore them on quantized kernels).
Status quantized_activation_range(Activation act, DType dtype, float scale, int32_t zero_point,
                                  int32_t* act_min, int32_t* act_max);
// The same for an output tensor (uses its per-tensor scale / zero point).
Status quantized_activation_range(Activation act, const Tensor& output, int32_t* act_min,
                                  int32_t* act_max);

// Options for check_quant_params.
struct QuantCheck {
  bool allow_per_channel = false;   // more than one scale allowed (then per_channel_dim must match)
  int per_channel_dim_size = -1;    // expected number of scales when per-channel (-1 = not checked)
  bool require_zero_point_zero = false;  // symmetric tensors (int8 weights, int16 activations)
};

// Validates a quantized tensor's parameters: present, scales finite and > 0, one zero point per
// scale, each zero point within the dtype's range, per-channel counts and axis. `what` names the
// tensor in the message, e.g. ctx.describe_input(1).
Status check_quant_params(const Tensor& t, const std::string& what, const QuantCheck& check = {});

// ------------------------------------------------------------------------------------------
// Lookup tables
// ------------------------------------------------------------------------------------------

// tflite LUTPopulate for int8 / uint8: for every input value v,
//   lut[uint8(v)] = clamp(round(fn(in_scale * (v - in_zp)) / out_scale) + out_zp)
// computed in float with the reciprocal 1/out_scale as TFLite does. Index the table with the
// input's raw byte (lut_lookup below). `fn` is float(float).
template <class T, class Fn>
void lut_populate_8bit(float input_scale, int32_t input_zero_point, float output_scale,
                       int32_t output_zero_point, Fn fn, T* lut) {
  static_assert(std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t>, "8-bit LUT only");
  const float inverse_scale = 1 / output_scale;
  const int32_t lo = qmin<T>(), hi = qmax<T>();
  for (int32_t v = lo; v <= hi; ++v) {
    const float dequantized = input_scale * static_cast<float>(v - input_zero_point);
    const float transformed = fn(dequantized);
    const float rescaled = round_half_away(transformed * inverse_scale);
    // TFLite converts (rescaled + zp) to int32 with a plain cast; guard the cast against
    // values outside int32 (the clamp below makes the exact value irrelevant there).
    const float shifted = rescaled + static_cast<float>(output_zero_point);
    int32_t q;
    if (!(shifted == shifted)) q = 0;  // NaN: TFLite's cast is UB; pick 0 deterministically
    else if (shifted >= 2147483648.0f) q = hi;
    else if (shifted < -2147483648.0f) q = lo;
    else q = static_cast<int32_t>(shifted);
    lut[static_cast<uint8_t>(static_cast<T>(v))] = static_cast<T>(std::max(std::min(hi, q), lo));
  }
}
template <class T>
inline T lut_lookup(T value, const T* lut) { return lut[static_cast<uint8_t>(value)]; }

// tflite LUTPopulateInt16: a 513-entry table sampling fn over the int16 input range in 512
// steps, each sample biased by half the midpoint interpolation error; FloatT is float or double
// (TFLite uses double for softmax's tables, float elsewhere). Used with lut_lookup_int16.
template <class FloatT, class Fn>
void lut_populate_int16(FloatT input_scale, int32_t input_zero_point, FloatT output_scale,
                        int32_t output_zero_point, Fn fn, int16_t* lut) {
  const FloatT input_min = input_scale * (qmin<int16_t>() - input_zero_point);
  const FloatT input_max = input_scale * (qmax<int16_t>() - input_zero_point);
  const FloatT output_min = output_scale * (qmin<int16_t>() - output_zero_point);
  const FloatT output_max = output_scale * (qmax<int16_t>() - output_zero_point);
  const int kSteps = 512;
  const FloatT step = (input_max - input_min) / kSteps;
  const FloatT half_step = step / 2;
  const FloatT output_scaling_inv = static_cast<FloatT>(65536) / (output_max - output_min);
  const FloatT table_min = static_cast<FloatT>(qmin<int16_t>());
  const FloatT table_max = static_cast<FloatT>(qmax<int16_t>());
  for (int i = 0; i < kSteps; ++i) {
    const FloatT val = fn(input_min + i * step);
    const FloatT val_midpoint = fn(input_min + i * step + half_step);
    const FloatT val_next = fn(input_min + (i + 1) * step);
    const FloatT sample_val = round_half_away(val * output_scaling_inv);
    const FloatT midpoint_interp_val =
        round_half_away((val_next * output_scaling_inv + round_half_away(val * output_scaling_inv)) / 2);
    const FloatT midpoint_val = round_half_away(val_midpoint * output_scaling_inv);
    const FloatT midpoint_err = midpoint_interp_val - midpoint_val;
    const FloatT bias = round_half_away(midpoint_err / 2);
    lut[i] = static_cast<int16_t>(std::min<FloatT>(std::max<FloatT>(sample_val - bias, table_min), table_max));
  }
  lut[kSteps] = static_cast<int16_t>(std::min<FloatT>(
      std::max<FloatT>(round_half_away(fn(input_max) * output_scaling_inv), table_min), table_max));
}

// tflite LUTLookup(int16): entry (256 + value >> 7) plus linear interpolation on the low 7 bits.
inline int16_t lut_lookup_int16(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);  // 0..511
  const int offset = value & 0x7f;
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);  // int16 as in TFLite
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

// ------------------------------------------------------------------------------------------
// gemmlowp-style fixed point (raw int32 or int16, kIntegerBits integer bits, the rest fraction)
// ------------------------------------------------------------------------------------------

template <class Raw, int IntBits>
struct FixedPoint {
  static_assert(std::is_same_v<Raw, int32_t> || std::is_same_v<Raw, int16_t>, "int32 or int16 raw");
  static constexpr int kTotalBits = 8 * static_cast<int>(sizeof(Raw));
  static constexpr int kIntegerBits = IntBits;
  static constexpr int kFractionalBits = kTotalBits - 1 - IntBits;
  static_assert(IntBits >= 0 && IntBits < kTotalBits, "bad integer bits");

  Raw raw = 0;

  static FixedPoint from_raw(Raw r) {
    FixedPoint f;
    f.raw = r;
    return f;
  }
  static FixedPoint zero() { return from_raw(0); }
  // 1.0; with 0 integer bits 1.0 is not representable and the maximum is used (as gemmlowp).
  static FixedPoint one() {
    return from_raw(IntBits == 0 ? std::numeric_limits<Raw>::max()
                                 : static_cast<Raw>(Raw(1) << (IntBits == 0 ? 0 : kFractionalBits)));
  }
  // 2^Exponent, exactly representable.
  template <int Exponent>
  static FixedPoint constant_pot() {
    static_assert(kFractionalBits + Exponent >= 0 && kFractionalBits + Exponent < kTotalBits - 1, "not representable");
    return from_raw(static_cast<Raw>(Raw(1) << (kFractionalBits + Exponent)));
  }
  // A constant written as its int32 raw value in the same Q format with 32 bits (gemmlowp's
  // GEMMLOWP_CHECKED_FIXEDPOINT_CONSTANT): int16 formats round it by 16 bits.
  static FixedPoint from_int32_constant(int32_t raw32) {
    return from_raw(static_cast<Raw>(rounding_divide_by_pot(raw32, 32 - kTotalBits)));
  }
};

namespace fixed_detail {
// gemmlowp's plain (non-saturating) integer ops: int32 wraps, int16 truncates back to int16.
inline int32_t add(int32_t a, int32_t b) { return wrapping_add(a, b); }
inline int16_t add(int16_t a, int16_t b) { return static_cast<int16_t>(a + b); }
inline int32_t sub(int32_t a, int32_t b) { return wrapping_sub(a, b); }
inline int16_t sub(int16_t a, int16_t b) { return static_cast<int16_t>(a - b); }
inline int32_t neg(int32_t a) { return wrapping_neg(a); }
inline int16_t neg(int16_t a) { return static_cast<int16_t>(-a); }
// Saturating add for 16-bit raw values, plain add for 32-bit (gemmlowp AddSaturatingIf16Bit).
inline int32_t add_saturating_if_16bit(int32_t a, int32_t b) { return wrapping_add(a, b); }
inline int16_t add_saturating_if_16bit(int16_t a, int16_t b) {
  return static_cast<int16_t>(std::min(32767, std::max(-32768, a + b)));
}
// gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}
inline int16_t rounding_half_sum(int16_t a, int16_t b) {
  const int32_t sum = static_cast<int32_t>(a) + b;
  return static_cast<int16_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}
}  // namespace fixed_detail

template <class Raw, int I>
FixedPoint<Raw, I> operator+(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return FixedPoint<Raw, I>::from_raw(fixed_detail::add(a.raw, b.raw));
}
template <class Raw, int I>
FixedPoint<Raw, I> operator-(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return FixedPoint<Raw, I>::from_raw(fixed_detail::sub(a.raw, b.raw));
}
template <class Raw, int I>
FixedPoint<Raw, I> operator-(FixedPoint<Raw, I> a) {
  return FixedPoint<Raw, I>::from_raw(fixed_detail::neg(a.raw));
}
template <class Raw, int I>
FixedPoint<Raw, I> operator&(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return FixedPoint<Raw, I>::from_raw(static_cast<Raw>(a.raw & b.raw));
}
// Product: integer bits add up; the raw op is a saturating rounding doubling high multiply.
template <class Raw, int IA, int IB>
FixedPoint<Raw, IA + IB> operator*(FixedPoint<Raw, IA> a, FixedPoint<Raw, IB> b) {
  return FixedPoint<Raw, IA + IB>::from_raw(saturating_rounding_doubling_high_mul(a.raw, b.raw));
}
// Exact multiplication by 2^E: reinterpret with E more integer bits.
template <int E, class Raw, int I>
FixedPoint<Raw, I + E> exact_mul_by_pot(FixedPoint<Raw, I> a) {
  return FixedPoint<Raw, I + E>::from_raw(a.raw);
}
// Multiplication by 2^E keeping the format: saturating (E > 0) or rounding (E < 0).
template <int E, class Raw, int I>
FixedPoint<Raw, I> saturating_rounding_multiply_by_pot(FixedPoint<Raw, I> a) {
  return FixedPoint<Raw, I>::from_raw(saturating_rounding_multiply_by_pot(a.raw, E));
}
// Changes the number of integer bits, rounding / saturating the raw value.
template <int IDst, class Raw, int ISrc>
FixedPoint<Raw, IDst> rescale(FixedPoint<Raw, ISrc> a) {
  return FixedPoint<Raw, IDst>::from_raw(saturating_rounding_multiply_by_pot(a.raw, ISrc - IDst));
}
template <class Raw, int I>
FixedPoint<Raw, I> rounding_half_sum(FixedPoint<Raw, I> a, FixedPoint<Raw, I> b) {
  return FixedPoint<Raw, I>::from_raw(fixed_detail::rounding_half_sum(a.raw, b.raw));
}

// gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: exp(a) for a in [-1/4, 0)
// by a 4th-order Taylor expansion around -1/8.
template <class Raw>
FixedPoint<Raw, 0> exp_on_interval_between_negative_one_quarter_and_0_excl(FixedPoint<Raw, 0> a) {
  using F = FixedPoint<Raw, 0>;
  const F constant_term = F::from_int32_constant(1895147668);   // exp(-1/8)
  const F constant_1_over_3 = F::from_int32_constant(715827883);  // 1/3
  const F x = a + F::template constant_pot<-3>();
  const F x2 = x * x;
  const F x3 = x2 * x;
  const F x4 = x2 * x2;
  const F x4_over_4 = saturating_rounding_multiply_by_pot<-2>(x4);
  const F x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      saturating_rounding_multiply_by_pot<-1>(((x4_over_4 + x3) * constant_1_over_3) + x2);
  return F::from_raw(fixed_detail::add_saturating_if_16bit(
      constant_term.raw, (constant_term * (x + x4_over_24_plus_x3_over_6_plus_x2_over_2)).raw));
}

// gemmlowp exp_on_negative_values: exp(a) for a <= 0 (exp(0) = one()), result in Q0.
template <class Raw, int I>
FixedPoint<Raw, 0> exp_on_negative_values(FixedPoint<Raw, I> a) {
  using InputF = FixedPoint<Raw, I>;
  using ResultF = FixedPoint<Raw, 0>;
  constexpr int kFractionalBits = InputF::kFractionalBits;
  const InputF kOneQuarter = InputF::template constant_pot<-2>();
  const InputF mask = kOneQuarter - InputF::from_raw(1);
  const InputF a_mod_quarter_minus_one_quarter = (a & mask) - kOneQuarter;
  ResultF result = exp_on_interval_between_negative_one_quarter_and_0_excl(rescale<0>(a_mod_quarter_minus_one_quarter));
  const Raw remainder = (a_mod_quarter_minus_one_quarter - a).raw;
  // Barrel shifter over the integer part: multiply by exp(-2^k) for each set bit.
  struct Step { int exponent; int32_t multiplier; };
  static constexpr Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                                    {2, 39332535},    {3, 720401},     {4, 242}};
  for (const Step& s : kSteps) {
    if (I > s.exponent) {
      const int shift = kFractionalBits + s.exponent;
      if (remainder & (1 << shift)) result = result * ResultF::from_int32_constant(s.multiplier);
    }
  }
  if (I > 5) {
    // exp(x) for x < -32 is flushed to zero.
    const InputF clamp = InputF::from_int32_constant(-(1 << (I > 5 ? 36 - I : 0)));
    if (a.raw < clamp.raw) result = ResultF::zero();
  }
  if (a.raw == 0) result = ResultF::one();
  return result;
}

// gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a) by Newton-Raphson.
template <class Raw>
FixedPoint<Raw, 0> one_minus_x_over_one_plus_x_for_x_in_0_1(FixedPoint<Raw, 0> a) {
  using F0 = FixedPoint<Raw, 0>;
  using F2 = FixedPoint<Raw, 2>;
  const F0 half_denominator = rounding_half_sum(a, F0::one());
  const F2 constant_48_over_17 = F2::from_int32_constant(1515870810);
  const F2 constant_neg_32_over_17 = F2::from_int32_constant(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::one() - half_denominator_times_x;
    x = x + rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return rescale<0>(x - F2::one());
}

// gemmlowp one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a) by Newton-Raphson.
template <class Raw>
FixedPoint<Raw, 0> one_over_one_plus_x_for_x_in_0_1(FixedPoint<Raw, 0> a) {
  using F0 = FixedPoint<Raw, 0>;
  using F2 = FixedPoint<Raw, 2>;
  const F0 half_denominator = rounding_half_sum(a, F0::one());
  const F2 constant_48_over_17 = F2::from_int32_constant(1515870810);
  const F2 constant_neg_32_over_17 = F2::from_int32_constant(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::one() - half_denominator_times_x;
    x = x + rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return rescale<0>(exact_mul_by_pot<-1>(x));
}

// gemmlowp tanh for any a, result in Q0.
template <class Raw, int I>
FixedPoint<Raw, 0> fixed_tanh(FixedPoint<Raw, I> a) {
  using ResultF = FixedPoint<Raw, 0>;
  if (a.raw == 0) return ResultF::zero();
  const bool negative = a.raw < 0;
  const FixedPoint<Raw, I> n = negative ? a : -a;  // n <= 0
  const ResultF t = one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(exact_mul_by_pot<1>(n)));
  return negative ? -t : t;
}

// gemmlowp logistic for any a, result in Q0.
template <class Raw, int I>
FixedPoint<Raw, 0> fixed_logistic(FixedPoint<Raw, I> a) {
  using ResultF = FixedPoint<Raw, 0>;
  if (a.raw == 0) return ResultF::from_int32_constant(1 << 30);  // 0.5
  const bool positive = a.raw > 0;
  const FixedPoint<Raw, I> abs_input = positive ? a : -a;
  const ResultF result_if_positive = one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values(-abs_input));
  return positive ? result_if_positive : ResultF::one() - result_if_positive;
}

// tflite GetReciprocal: 1 / x for x in Q(x_integer_digits) as a Q0.31 value times
// 2^num_bits_over_unit (used by softmax's reference int8 path).
int32_t get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit);

}  // namespace eir::ref
