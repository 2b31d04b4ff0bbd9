// Quantized activations: LOGISTIC, TANH (uint8, int8, int16), HARD_SWISH (uint8, int8),
// LEAKY_RELU (uint8, int8, int16), RELU / RELU6 (uint8, int8, int16), RELU_N1_TO_1 (uint8, int8).
//
// Numerics follow TFLite's default (kGenericOptimized) kernels on x86:
//   * LOGISTIC / TANH 8-bit: a 256-entry lookup table built in float from the dequantized input
//     (1 / (1 + expf(-x)) and tanhf), rounded half away from zero (tflite LUTPopulate).
//     LOGISTIC requires an output scale of exactly 1/256.
//   * LOGISTIC / TANH int16 (zero points 0, output scale 2^-15): power-of-two input scales use
//     gemmlowp's fixed-point logistic / tanh on Q3.12; other scales rescale the input to 1/(3*4096)
//     units and interpolate TFLite's 256-entry sigmoid table (reference_integer_ops), which
//     sigmoid_table.h generates.
//   * HARD_SWISH: TFLite's reference int16 fixed-point formula (its NEON path is ARM-only).
//   * LEAKY_RELU: out = zp_out + MBQM(x - zp_in, identity or alpha multiplier); 8-bit uses the
//     reference kernel (|alpha| then negate), int16 the optimized one (signed multiplier).
//   * RELU family: out = clamp(zp_out + MBQM(x - zp_in, s_in / s_out)) with the clamp computed from
//     the output parameters via roundf (QuantizedReluX).
#include <cmath>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/sigmoid_table.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

enum class QAct : uint8_t { kLogistic, kTanh, kHardSwish, kLeakyRelu, kRelu, kRelu6, kReluN1To1 };

struct ActQState : KernelState {
  uint8_t lut[256] = {0};  // 8-bit LUT (int8 values stored as their bytes)
  // int16 LOGISTIC / TANH
  int32_t input_multiplier = 0;  // 0: power-of-two path
  int input_left_shift = 0;
  const uint16_t* sigmoid_table = nullptr;  // table interpolation path (input_multiplier > 0)
  // HARD_SWISH
  int32_t hs_input_zp = 0, hs_output_zp = 0;
  int16_t hs_output_mult = 0, hs_reluish_mult = 0;
  int hs_output_exp = 0, hs_reluish_exp = 0;
  // LEAKY_RELU / RELU family
  QuantizedMultiplier identity, alpha;
  int32_t in_zp = 0, out_zp = 0;
  int32_t act_min = 0, act_max = 0;
};

const char* qact_name(QAct a) {
  switch (a) {
    case QAct::kLogistic: return "LOGISTIC";
    case QAct::kTanh: return "TANH";
    case QAct::kHardSwish: return "HARD_SWISH";
    case QAct::kLeakyRelu: return "LEAKY_RELU";
    case QAct::kRelu: return "RELU";
    case QAct::kRelu6: return "RELU6";
    case QAct::kReluN1To1: return "RELU_N1_TO_1";
  }
  return "?";
}

template <class T, class Fn>
void fill_lut(ActQState& s, const Tensor& in, const Tensor& out, Fn fn) {
  lut_populate_8bit<T>(in.quant.scale(), in.quant.zero_point(), out.quant.scale(), out.quant.zero_point(), fn,
                       reinterpret_cast<T*>(s.lut));
}

// int16 LOGISTIC / TANH input scaling (TFLite's Sigmoid/TanhPrepare). max_pot_shift is 0 for
// LOGISTIC and 1 for TANH (the power-of-two paths accept those input left shifts).
Status prepare_int16_transcendental(ActQState& s, const Tensor& in, const Tensor& out, int max_pot_shift,
                                    const std::string& out_desc) {
  int in_log2 = 0;
  bool pot = checked_log2(in.quant.scale(), &in_log2);
  s.input_left_shift = (15 - 3) + in_log2;
  pot = pot && s.input_left_shift >= 0 && s.input_left_shift <= max_pot_shift;
  if (!pot) {
    // Rescale to 1/(3*4096) units: +-2^17 then represents +-10.7.
    double multiplier = static_cast<double>(in.quant.scale()) * 4096.0 * 3.0;
    s.input_left_shift = 0;
    while (multiplier <= 32767.0 / 2.0 && s.input_left_shift <= 30) {
      ++s.input_left_shift;
      multiplier *= 2.0;
    }
    s.input_multiplier = static_cast<int32_t>(multiplier);
    s.sigmoid_table = sigmoid_table_q16();  // built on first use: here, not in run()
  } else {
    s.input_multiplier = 0;
  }
  int out_log2 = 0;
  if (!checked_log2(out.quant.scale(), &out_log2) || out_log2 != -15)
    return invalid_model(out_desc, " must have scale 2^-15 (int16 output of a logistic / tanh), got ",
                         out.quant.scale());
  return Status::Ok();
}

template <QAct kAct>
Status act_q_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(prepare_unary_same_shape(ctx));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const DType dt = in.dtype;
  const bool dtype_ok = kAct == QAct::kHardSwish || kAct == QAct::kReluN1To1
                            ? (dt == DType::kU8 || dt == DType::kI8)
                            : is_quantized_activation_dtype(dt);
  if (!dtype_ok)
    return unsupported(ctx.describe_input(0), ": quantized ", qact_name(kAct), " does not support ", dtype_name(dt));
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt, is16));
  auto s = std::make_unique<ActQState>();
  const float in_s = in.quant.scale(), out_s = out.quant.scale();
  s->in_zp = in.quant.zero_point();
  s->out_zp = out.quant.zero_point();

  if constexpr (kAct == QAct::kLogistic) {
    if (!is16 && static_cast<double>(out_s) != 1.0 / 256)
      return invalid_model(ctx.describe_output(0), " must have scale 1/256 for a quantized LOGISTIC, got ", out_s);
    if (dt == DType::kU8) fill_lut<uint8_t>(*s, in, out, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    if (dt == DType::kI8) fill_lut<int8_t>(*s, in, out, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    if (is16) {
      if (static_cast<double>(out_s) != 1.0 / 32768)
        return invalid_model(ctx.describe_output(0), " must have scale 1/32768 for an int16 LOGISTIC, got ", out_s);
      EIR_RETURN_IF_ERROR(prepare_int16_transcendental(*s, in, out, 0, ctx.describe_output(0)));
    }
  } else if constexpr (kAct == QAct::kTanh) {
    if (dt == DType::kU8) fill_lut<uint8_t>(*s, in, out, [](float v) { return std::tanh(v); });
    if (dt == DType::kI8) fill_lut<int8_t>(*s, in, out, [](float v) { return std::tanh(v); });
    if (is16) EIR_RETURN_IF_ERROR(prepare_int16_transcendental(*s, in, out, 1, ctx.describe_output(0)));
  } else if constexpr (kAct == QAct::kHardSwish) {
    s->hs_input_zp = s->in_zp;
    s->hs_output_zp = s->out_zp;
    const float hires_input_scale = (1.0f / 128.0f) * in_s;
    const float reluish_scale = 3.0f / 32768.0f;
    const float output_multiplier = hires_input_scale / out_s;
    const QuantizedMultiplier om = quantize_multiplier(output_multiplier);
    s->hs_output_exp = om.shift;
    s->hs_output_mult = downscale_int32_to_int16_multiplier(om.multiplier);
    if (s->hs_output_exp > 0)
      return unsupported("quantized HARD_SWISH: input / output scale ratio ", in_s / out_s,
                         " is too large (TFLite requires a non-positive output exponent)");
    const float reluish_multiplier = hires_input_scale / reluish_scale;
    const QuantizedMultiplier rm = quantize_multiplier(reluish_multiplier);
    s->hs_reluish_exp = rm.shift;
    s->hs_reluish_mult = downscale_int32_to_int16_multiplier(rm.multiplier);
  } else if constexpr (kAct == QAct::kLeakyRelu) {
    const LeakyReluParams p = params_or_default<LeakyReluParams>(ctx);
    const float alpha_mult = in_s * p.alpha / out_s;  // float, as TFLite
    s->alpha = quantize_multiplier(alpha_mult);
    const float identity_mult = in_s / out_s;
    s->identity = quantize_multiplier(identity_mult);
  } else {
    const float identity_mult = in_s / out_s;
    s->identity = quantize_multiplier(identity_mult);
    float lo = 0.0f, hi = std::numeric_limits<float>::infinity();
    if (kAct == QAct::kRelu6) hi = 6.0f;
    if (kAct == QAct::kReluN1To1) { lo = -1.0f; hi = 1.0f; }
    int32_t tmin = 0, tmax = 0;
    dtype_quant_range(dt, &tmin, &tmax);
    // QuantizedReluX: zp + int32(roundf(bound / scale)), intersected with the dtype range.
    auto quantize_bound = [&](float bound) {
      const float r = std::round(bound / out_s);
      const float c = std::min(std::max(r, -2147483648.0f), 2147483520.0f);
      return static_cast<int64_t>(s->out_zp) + static_cast<int64_t>(c);
    };
    s->act_min = static_cast<int32_t>(std::max<int64_t>(tmin, quantize_bound(lo)));
    s->act_max = std::isinf(hi) ? tmax : static_cast<int32_t>(std::min<int64_t>(tmax, quantize_bound(hi)));
  }
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// TFLite reference_integer_ops::Logistic (int16, table interpolation).
int16_t logistic_int16_table(int16_t x, int32_t multiplier, int left_shift, const uint16_t* table) {
  const int32_t round = left_shift > 0 ? 1 << (left_shift - 1) : 0;
  const int32_t input = static_cast<int32_t>((static_cast<int64_t>(x) * multiplier + round) >> left_shift);
  const uint32_t abs_input = static_cast<uint32_t>(input < 0 ? -static_cast<int64_t>(input) : input);
  const uint32_t uh = abs_input >> 9;
  uint32_t result;
  if (uh >= 255) {
    result = 0x7FFFu << 10;  // saturate to the table maximum
  } else {
    const uint32_t ua = table[uh], ub = table[uh + 1];
    const uint32_t ut = abs_input & 0x1ff;
    result = (ua << 9) + ut * (ub - ua);
  }
  result = input >= 0 ? (result + (1u << 9)) : ((1u << (16 + 9)) - result + (1u << 9) - 1);
  result >>= 10;
  return static_cast<int16_t>(result);
}

// TFLite reference_integer_ops::Tanh (int16, table interpolation: tanh(x) = 2 sigmoid(2x) - 1).
int16_t tanh_int16_table(int16_t x, int32_t multiplier, int left_shift, const uint16_t* table) {
  const int32_t round = left_shift > 0 ? 1 << (left_shift - 1) : 0;
  const int32_t input = static_cast<int32_t>((static_cast<int64_t>(x) * multiplier + round) >> left_shift);
  const uint32_t abs_input = static_cast<uint32_t>(input < 0 ? -static_cast<int64_t>(input) : input);
  const uint32_t uh = abs_input >> 8;
  int32_t result;
  if (uh >= 255) {
    result = 0xFFFF << 8;
  } else {
    const uint32_t ua = table[uh], ub = table[uh + 1];
    const uint32_t ut = abs_input & 0xFF;
    result = static_cast<int32_t>((ua << 8) + ut * (ub - ua));
  }
  result = input >= 0 ? (result - (1 << (14 + 9)) + (1 << (9 - 2))) : (-result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1);
  result >>= (9 - 1);
  return static_cast<int16_t>(result);
}

// TFLite reference_ops::HardSwish (quantized). All intermediate values are int16.
int16_t saturating_left_shift_16(int16_t v, int amount) {
  const int64_t r = static_cast<int64_t>(v) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(r, -32768), 32767));
}
// Like SRDHM but truncating (no rounding nudge): TFLite's SaturatingDoublingHighMul.
int16_t saturating_doubling_high_mul_16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((static_cast<int32_t>(a) * b) / (1 << 15));
}

template <class T>
T hard_swish_element(const ActQState& s, T x) {
  const int16_t input_value = static_cast<int16_t>(x - s.hs_input_zp);
  const int16_t hires = static_cast<int16_t>(input_value * (1 << 7));
  const int16_t preshift_scaled = saturating_rounding_doubling_high_mul(hires, s.hs_output_mult);
  int16_t reluish = hires;
  if (s.hs_reluish_exp > 0) reluish = saturating_left_shift_16(reluish, s.hs_reluish_exp - 1);
  reluish = saturating_rounding_doubling_high_mul(reluish, s.hs_reluish_mult);
  if (s.hs_reluish_exp > 0) reluish = saturating_left_shift_16(reluish, 1);
  if (s.hs_reluish_exp < 0) reluish = rounding_divide_by_pot(reluish, -s.hs_reluish_exp);
  // Map [-1, 1] (Q0.15) to [0, 1]: (r + 2^15) / 2.
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
  const int16_t preshift_output = saturating_doubling_high_mul_16(reluish, preshift_scaled);
  int16_t out = rounding_divide_by_pot(preshift_output, -s.hs_output_exp);
  out = static_cast<int16_t>(out + s.hs_output_zp);
  out = std::min<int16_t>(out, static_cast<int16_t>(qmax<T>()));
  out = std::max<int16_t>(out, static_cast<int16_t>(qmin<T>()));
  return static_cast<T>(out);
}

template <QAct kAct, class T>
void act_q_compute(const ActQState& s, const T* x, T* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (kAct == QAct::kLogistic || kAct == QAct::kTanh) {
      if constexpr (std::is_same_v<T, int16_t>) {
        if (s.input_multiplier > 0) {
          y[i] = kAct == QAct::kLogistic
                     ? logistic_int16_table(x[i], s.input_multiplier, s.input_left_shift, s.sigmoid_table)
                     : tanh_int16_table(x[i], s.input_multiplier, s.input_left_shift, s.sigmoid_table);
        } else if (kAct == QAct::kLogistic) {
          y[i] = fixed_logistic(FixedPoint<int16_t, 3>::from_raw(x[i])).raw;
        } else {
          const int16_t in = s.input_left_shift == 0 ? x[i] : saturating_rounding_multiply_by_pot(x[i], 1);
          y[i] = fixed_tanh(FixedPoint<int16_t, 3>::from_raw(in)).raw;
        }
      } else {
        y[i] = lut_lookup<T>(x[i], reinterpret_cast<const T*>(s.lut));
      }
    } else if constexpr (kAct == QAct::kHardSwish) {
      y[i] = hard_swish_element<T>(s, x[i]);
    } else if constexpr (kAct == QAct::kLeakyRelu) {
      const int32_t v = x[i] - s.in_zp;
      int32_t out = s.out_zp;
      if (v >= 0) {
        out += multiply_by_quantized_multiplier(v, s.identity);
      } else if (std::is_same_v<T, int16_t>) {
        out += multiply_by_quantized_multiplier(v, s.alpha);  // optimized int16 kernel: signed multiplier
      } else {
        // Reference 8-bit kernel: multiply by |alpha|, then restore the sign.
        const bool negative = s.alpha.multiplier < 0;
        const int32_t scaled =
            multiply_by_quantized_multiplier(v, negative ? -s.alpha.multiplier : s.alpha.multiplier, s.alpha.shift);
        out += negative ? -scaled : scaled;
      }
      y[i] = static_cast<T>(std::min(std::max(out, qmin<T>()), qmax<T>()));
    } else {
      int32_t out = s.out_zp + multiply_by_quantized_multiplier(x[i] - s.in_zp, s.identity);
      out = std::max(s.act_min, out);
      out = std::min(s.act_max, out);
      y[i] = static_cast<T>(out);
    }
  }
}

template <QAct kAct>
Status act_q_run(KernelContext& ctx) {
  const ActQState& s = *ctx.state<ActQState>();
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const int64_t n = in.num_elements();
  switch (in.dtype) {
    case DType::kU8: act_q_compute<kAct>(s, in.as<uint8_t>(), out.as<uint8_t>(), n); break;
    case DType::kI8: act_q_compute<kAct>(s, in.as<int8_t>(), out.as<int8_t>(), n); break;
    case DType::kI16:
      if constexpr (kAct != QAct::kHardSwish && kAct != QAct::kReluN1To1)
        act_q_compute<kAct>(s, in.as<int16_t>(), out.as<int16_t>(), n);
      break;
    default: return internal_error("activations_quantized: unexpected dtype");
  }
  return Status::Ok();
}

template <QAct kAct>
Kernel make_kernel(const char* name) {
  return Kernel{name, act_q_prepare<kAct>, act_q_run<kAct>};
}

}  // namespace

Kernel logistic_quantized_kernel() { return make_kernel<QAct::kLogistic>("reference/logistic_quantized"); }
Kernel tanh_quantized_kernel() { return make_kernel<QAct::kTanh>("reference/tanh_quantized"); }
Kernel hard_swish_quantized_kernel() { return make_kernel<QAct::kHardSwish>("reference/hard_swish_quantized"); }
Kernel leaky_relu_quantized_kernel() { return make_kernel<QAct::kLeakyRelu>("reference/leaky_relu_quantized"); }
Kernel relu_quantized_kernel() { return make_kernel<QAct::kRelu>("reference/relu_quantized"); }
Kernel relu6_quantized_kernel() { return make_kernel<QAct::kRelu6>("reference/relu6_quantized"); }
Kernel relu_n1_to_1_quantized_kernel() { return make_kernel<QAct::kReluN1To1>("reference/relu_n1_to_1_quantized"); }

}  // namespace eir::ref
