// SOFTMAX, quantized, over the last dimension: uint8 -> uint8 / int16, int8 -> int8 / int16,
// int16 -> int16.
//
// 8-bit inputs follow TFLite's default x86 kernel (optimized_ops::Softmax with a float table):
//   table[255 - d] = expf(-input_scale * beta * d) for d in [0, 255]
//   per row: sum = sum of table[255 - (max - x)] in float (in order); inv = 1 / (sum * out_scale)
//   out = round(table[...] * inv) + out_zp, clamped (uint8 outputs: int(p + 0.5f), no zero point)
// int16 inputs follow reference_ops::SoftmaxInt16: an exp LUT over [-10, 0] and a 1 / (1 + x)
// LUT (513 entries each, built in double), with the input difference rescaled to [-65535, 0].
#include <cmath>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct SoftmaxQState : KernelState {
  float table[256] = {0};  // 8-bit inputs
  float out_scale = 0.0f;
  int32_t out_zp = 0;
  // int16
  int16_t exp_lut[513] = {0};
  int16_t one_over_one_plus_x_lut[513] = {0};
  QuantizedMultiplier input_mult;
  int64_t outer = 0, depth = 0;
};

Status softmax_q_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const SoftmaxParams p = params_or_default<SoftmaxParams>(ctx);
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const DType dt = in.dtype, odt = out.dtype;
  const bool ok = ((dt == DType::kU8 || dt == DType::kI8) && (odt == dt || odt == DType::kI16)) ||
                  (dt == DType::kI16 && odt == DType::kI16);
  if (!ok) return unsupported("quantized SOFTMAX from ", dtype_name(dt), " to ", dtype_name(odt));
  if (in.rank() < 1) return invalid_model(ctx.describe_input(0), " must have rank >= 1");
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, odt));
  const float out_s = out.quant.scale();
  if (dt == DType::kI8 && odt == DType::kI8) {
    if (out.quant.zero_point() != -128 || std::abs(out_s - 1.0f / 256) > 0.001f * 1.0f / 256)
      return invalid_model(ctx.describe_output(0), ": int8 SOFTMAX output must have scale 1/256 and zero point -128");
  }
  if (is16) {
    if (out.quant.zero_point() != 0 || std::abs(out_s - 1.0f / 32768) > 0.001f * 1.0f / 32768)
      return invalid_model(ctx.describe_output(0), ": int16 SOFTMAX output must have scale 1/32768 and zero point 0");
  }
  auto s = std::make_unique<SoftmaxQState>();
  s->out_scale = out_s;
  s->out_zp = out.quant.zero_point();
  s->depth = in.dim(in.rank() - 1);
  s->outer = s->depth == 0 ? 0 : in.num_elements() / s->depth;
  if (!is16) {
    const float scale = -in.quant.scale() * p.beta;
    for (int32_t v = 0; v <= 255; ++v) s->table[255 - v] = std::exp(scale * static_cast<float>(v));
  } else {
    constexpr int32_t range = 65535;
    // exp over [-10, 0] and 1 / (1 + x) over [0, 1], both to a symmetric [-1, 1] output range.
    lut_populate_int16<double>(10.0 / range, 32767, 2.0 / range, 0, [](double v) { return std::exp(v); }, s->exp_lut);
    lut_populate_int16<double>(1.0 / range, -32768, 2.0 / range, 0, [](double v) { return 1.0 / (1.0 + v); },
                               s->one_over_one_plus_x_lut);
    // Scale the input difference so that [-65535, 0] covers [-10, 0] (the float product first).
    const float in_beta = in.quant.scale() * p.beta;
    s->input_mult = quantize_multiplier(static_cast<double>(in_beta) / (10.0 / 65535.0));
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, in.shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class In, class Out>
void softmax_8bit(const SoftmaxQState& s, const In* x, Out* y) {
  const int32_t lo = qmin<Out>(), hi = qmax<Out>();
  for (int64_t r = 0; r < s.outer; ++r, x += s.depth, y += s.depth) {
    int32_t max_val = qmin<In>();
    for (int64_t j = 0; j < s.depth; ++j) max_val = std::max(max_val, static_cast<int32_t>(x[j]));
    // exp(-scale*beta*(max - x)) = table[255 - (max - x)], indexed directly: the shorter
    // `(table + 255 - max)[x]` forms a pointer outside the array for int8 rows (undefined behaviour
    // even though the final element is in range). d is in [0, 255] by construction; the check
    // keeps the read inside the table whatever the input.
    auto exp_of = [&](In v) {
      const int32_t d = max_val - static_cast<int32_t>(v);
      return d >= 0 && d <= 255 ? s.table[255 - d] : 0.0f;
    };
    float sum_exp = 0.0f;
    for (int64_t j = 0; j < s.depth; ++j) sum_exp += exp_of(x[j]);
    const float inv_sum_exp = 1.0f / (sum_exp * s.out_scale);
    for (int64_t j = 0; j < s.depth; ++j) {
      const float prob = exp_of(x[j]) * inv_sum_exp;
      int32_t q;
      if constexpr (std::is_same_v<Out, uint8_t>) {
        q = static_cast<int32_t>(prob + 0.5f);  // TFLite's x86 uint8 rounding; zero point not added
      } else {
        q = static_cast<int32_t>(std::round(prob)) + s.out_zp;
      }
      y[j] = static_cast<Out>(std::max(std::min(hi, q), lo));
    }
  }
}

void softmax_int16(const SoftmaxQState& s, const int16_t* x, int16_t* y) {
  for (int64_t r = 0; r < s.outer; ++r, x += s.depth, y += s.depth) {
    int16_t max_in_row = std::numeric_limits<int16_t>::min();
    for (int64_t c = 0; c < s.depth; ++c) max_in_row = std::max(max_in_row, x[c]);
    int32_t sum_of_exps = 0;  // Q16.15
    for (int64_t c = 0; c < s.depth; ++c) {
      const int32_t diff = x[c] - max_in_row;
      const int32_t scaled = multiply_by_quantized_multiplier(diff, s.input_mult);
      const int32_t sym = scaled + 32767;  // recentre [-65535, 0] to [-32768, 32767]
      const int16_t sat = static_cast<int16_t>(std::min(std::max(sym, -32768), 32767));
      y[c] = lut_lookup_int16(sat, s.exp_lut);  // exp results (Q0.15) kept in the output
      sum_of_exps = wrapping_add(sum_of_exps, y[c]);
    }
    // 1 / sum via the LUT: normalize the sum to [1, 2) (headroom), map to [-1, 1].
    // sum_of_exps > 0 (the row maximum contributes ~1.0); the max() only guards an overflowed sum.
    const int headroom_plus_one = std::max(1, count_leading_zeros(static_cast<uint32_t>(sum_of_exps)));
    const int32_t shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t sym_shifted_sum = shifted_sum + (-((1 << 15) + (1 << 16)));
    const int16_t sat_sum = static_cast<int16_t>(std::min(std::max(sym_shifted_sum, -32768), 32767));
    const int16_t reciprocal = lut_lookup_int16(sat_sum, s.one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int64_t c = 0; c < s.depth; ++c) {
      const int32_t result =
          static_cast<int32_t>((static_cast<int64_t>(y[c]) * static_cast<int64_t>(reciprocal) + round) >> right_shift);
      y[c] = static_cast<int16_t>(std::min(std::max(result, 0), 32767));
    }
  }
}

Status softmax_q_run(KernelContext& ctx) {
  const SoftmaxQState& s = *ctx.state<SoftmaxQState>();
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const DType dt = in.dtype, odt = out.dtype;
  if (dt == DType::kU8 && odt == DType::kU8) softmax_8bit(s, in.as<uint8_t>(), out.as<uint8_t>());
  else if (dt == DType::kU8) softmax_8bit(s, in.as<uint8_t>(), out.as<int16_t>());
  else if (dt == DType::kI8 && odt == DType::kI8) softmax_8bit(s, in.as<int8_t>(), out.as<int8_t>());
  else if (dt == DType::kI8) softmax_8bit(s, in.as<int8_t>(), out.as<int16_t>());
  else softmax_int16(s, in.as<int16_t>(), out.as<int16_t>());
  return Status::Ok();
}

}  // namespace

Kernel softmax_quantized_kernel() { return Kernel{"reference/softmax_quantized", softmax_q_prepare, softmax_q_run}; }

}  // namespace eir::ref
