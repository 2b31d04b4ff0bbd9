#include "kernels/reference/quant_utils.h"

#include <cmath>

namespace eir::ref {

bool dtype_quant_range(DType dtype, int32_t* lo, int32_t* hi) {
  switch (dtype) {
    case DType::kI8: *lo = qmin<int8_t>(); *hi = qmax<int8_t>(); return true;
    case DType::kU8: *lo = qmin<uint8_t>(); *hi = qmax<uint8_t>(); return true;
    case DType::kI16: *lo = qmin<int16_t>(); *hi = qmax<int16_t>(); return true;
    case DType::kI32: *lo = qmin<int32_t>(); *hi = qmax<int32_t>(); return true;
    default: return false;
  }
}

void quantize_multiplier(double real_multiplier, int32_t* quantized_multiplier, int* shift) {
  if (real_multiplier == 0.0 || !std::isfinite(real_multiplier)) {
    // Zero per TFLite; non-finite values are rejected by callers' validation, map them to 0
    // rather than invoking UB in the conversion below.
    *quantized_multiplier = 0;
    *shift = 0;
    return;
  }
  int exponent = 0;
  const double q = std::frexp(real_multiplier, &exponent);  // |q| in [0.5, 1)
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(1LL << 31)));
  if (q_fixed == (1LL << 31)) {  // rounded up to 1.0: renormalize
    q_fixed /= 2;
    ++exponent;
  }
  if (exponent < -31) {  // everything would be shifted out: flush to zero, as TFLite does
    exponent = 0;
    q_fixed = 0;
  }
  *quantized_multiplier = static_cast<int32_t>(q_fixed);
  *shift = exponent;
}

QuantizedMultiplier quantize_multiplier(double real_multiplier) {
  QuantizedMultiplier m;
  quantize_multiplier(real_multiplier, &m.multiplier, &m.shift);
  return m;
}

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  // Division truncates toward zero (not a shift): this is what makes ties round away from zero.
  return static_cast<int32_t>((ab + nudge) / (1LL << 31));
}

int16_t saturating_rounding_doubling_high_mul(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int16_t rounding_divide_by_pot(int16_t x, int exponent) {
  // gemmlowp's int16 instantiation: the mask is an int16 (so exponents >= 16 behave as there).
  const int16_t mask = static_cast<int16_t>((1LL << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return static_cast<int16_t>((x >> exponent) + (remainder > threshold ? 1 : 0));
}

int32_t saturating_rounding_multiply_by_pot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((1LL << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return wrapping_shift_left(x, exponent);
}

int16_t saturating_rounding_multiply_by_pot(int16_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return rounding_divide_by_pot(x, -exponent);
  const int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return std::numeric_limits<int16_t>::max();
  if (x < -threshold) return std::numeric_limits<int16_t>::min();
  return static_cast<int16_t>(x * (1 << exponent));
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t quantized_multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(wrapping_shift_left(x, left_shift), quantized_multiplier),
      right_shift);
}

int32_t multiply_by_quantized_multiplier(int64_t x, int32_t quantized_multiplier, int shift) {
  const int32_t reduced_multiplier =
      quantized_multiplier < 0x7FFF0000 ? ((quantized_multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  // Within the documented input range (|x| < 2^47, 16-bit multiplier) this cannot overflow;
  // wrap through uint64 so out-of-contract inputs are not UB.
  const uint64_t prod = static_cast<uint64_t>(x) * static_cast<uint64_t>(static_cast<int64_t>(reduced_multiplier));
  const int64_t rounded = static_cast<int64_t>(prod + (static_cast<uint64_t>(1) << (total_shift - 1)));
  return static_cast<int32_t>(rounded >> total_shift);
}

int32_t multiply_by_quantized_multiplier_ruy_x86(int32_t x, int32_t quantized_multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  const int64_t shifted = wrapping_shift_left(x, left_shift);  // 32-bit shift, wraps (vpsllvd)
  // 64-bit product plus 2^30, arithmetic shift by 31: round half up. |result| < 2^31.
  const int64_t high = (shifted * quantized_multiplier + (int64_t{1} << 30)) >> 31;
  if (right_shift == 0) return static_cast<int32_t>(high);
  // Rounding right shift, half up (computed in 64 bits: ruy's 32-bit overflow fix-up gives the
  // same value).
  return static_cast<int32_t>((high + (int64_t{1} << (right_shift - 1))) >> right_shift);
}

int32_t multiply_by_quantized_multiplier_smaller_than_one_exp(int32_t x, int32_t quantized_multiplier,
                                                              int left_shift) {
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(x, quantized_multiplier), -left_shift);
}

int32_t multiply_by_quantized_multiplier_greater_than_one(int32_t x, int32_t quantized_multiplier,
                                                          int left_shift) {
  return saturating_rounding_doubling_high_mul(wrapping_shift_left(x, left_shift), quantized_multiplier);
}

bool checked_log2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float x_log2_rounded = round_half_away(x_log2);
  const float x_log2_fracpart = x_log2 - x_log2_rounded;
  *log2_result = static_cast<int>(x_log2_rounded);
  return std::abs(x_log2_fracpart) < 1e-3f;
}

int16_t downscale_int32_to_int16_multiplier(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRoundingOffset) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((multiplier + kRoundingOffset) >> 16);
}

int32_t quantize_value_for_range(float f, float scale, int32_t zero_point) {
  const float tmp = round_half_away(f / scale);
  // TFLite rejects values outside int32; scales are validated finite and > 0 and f is one of
  // 0, +-1, 6, so this only guards absurd scales (clamped instead of UB).
  const float clamped = std::min(std::max(tmp, -2147483648.0f), 2147483520.0f);
  const int64_t q = static_cast<int64_t>(zero_point) + static_cast<int64_t>(clamped);
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(q, qmin<int32_t>()), qmax<int32_t>()));
}

Status quantized_activation_range(Activation act, DType dtype, float scale, int32_t zero_point,
                                  int32_t* act_min, int32_t* act_max) {
  int32_t lo = 0, hi = 0;
  if (dtype != DType::kI8 && dtype != DType::kU8 && dtype != DType::kI16)
    return unsupported("quantized activation range for ", dtype_name(dtype), " outputs");
  dtype_quant_range(dtype, &lo, &hi);
  switch (act) {
    case Activation::kNone:
      *act_min = lo;
      *act_max = hi;
      return Status::Ok();
    case Activation::kRelu:
      *act_min = std::max(lo, quantize_value_for_range(0.0f, scale, zero_point));
      *act_max = hi;
      return Status::Ok();
    case Activation::kRelu6:
      *act_min = std::max(lo, quantize_value_for_range(0.0f, scale, zero_point));
      *act_max = std::min(hi, quantize_value_for_range(6.0f, scale, zero_point));
      return Status::Ok();
    case Activation::kReluN1To1:
      *act_min = std::max(lo, quantize_value_for_range(-1.0f, scale, zero_point));
      *act_max = std::min(hi, quantize_value_for_range(1.0f, scale, zero_point));
      return Status::Ok();
    default:
      return unsupported("fused activation ", static_cast<int>(act),
                         " (TANH / SIGN_BIT) is not supported on quantized kernels");
  }
}

Status quantized_activation_range(Activation act, const Tensor& output, int32_t* act_min, int32_t* act_max) {
  return quantized_activation_range(act, output.dtype, output.quant.scale(), output.quant.zero_point(), act_min,
                                    act_max);
}

Status check_quant_params(const Tensor& t, const std::string& what, const QuantCheck& check) {
  const QuantParams& q = t.quant;
  if (q.scales.empty()) return invalid_model(what, " is ", dtype_name(t.dtype), " but has no quantization parameters");
  if (q.zero_points.size() != q.scales.size())
    return invalid_model(what, " has ", q.scales.size(), " scales but ", q.zero_points.size(), " zero points");
  if (q.scales.size() > 1) {
    if (!check.allow_per_channel)
      return unsupported(what, " has per-channel quantization (", q.scales.size(),
                         " scales), which this operator does not support");
    if (q.axis < 0 || q.axis >= t.rank())
      return invalid_model(what, " has quantized_dimension ", q.axis, " outside its rank ", t.rank());
    if (static_cast<int64_t>(q.scales.size()) != t.dim(q.axis))
      return invalid_model(what, " has ", q.scales.size(), " per-channel scales but dim ", q.axis, " is ",
                           t.dim(q.axis));
    if (check.per_channel_dim_size >= 0 && static_cast<int64_t>(q.scales.size()) != check.per_channel_dim_size)
      return invalid_model(what, " has ", q.scales.size(), " per-channel scales, expected ", check.per_channel_dim_size);
  }
  int32_t lo = 0, hi = 0;
  const bool ranged = dtype_quant_range(t.dtype, &lo, &hi);
  for (size_t i = 0; i < q.scales.size(); ++i) {
    const float s = q.scales[i];
    if (!(s > 0.0f) || !std::isfinite(s))
      return invalid_model(what, " has invalid quantization scale ", s, (q.scales.size() > 1 ? " (channel " : ""),
                           (q.scales.size() > 1 ? std::to_string(i) + ")" : std::string()), "; must be finite and > 0");
    const int32_t zp = q.zero_points[i];
    if (ranged && (zp < lo || zp > hi))
      return invalid_model(what, " has zero point ", zp, " outside the ", dtype_name(t.dtype), " range [", lo, ", ",
                           hi, "]");
    if (check.require_zero_point_zero && zp != 0)
      return invalid_model(what, " must be symmetrically quantized (zero point 0), got zero point ", zp);
  }
  return Status::Ok();
}

int32_t get_reciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = count_leading_zeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (static_cast<uint32_t>(1) << 31));
  return one_over_one_plus_x_for_x_in_0_1(FixedPoint<int32_t, 0>::from_raw(shifted_sum_minus_one)).raw;
}

}  // namespace eir::ref
