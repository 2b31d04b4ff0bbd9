// MEAN, quantized: uint8, int8, int16 (int16 with zero points 0). axis: constant int32; negative
// values count from the end; repeats are ignored.
//
// Two TFLite code paths are reproduced (reduce.cc, default kGenericOptimized kernel):
//   * 8-bit, keep_dims, rank 4, axes exactly {1, 2} (global average pooling): optimized Mean.
//     The raw sum S of the window (zero point not subtracted) is rescaled with a multiplier
//     computed in float, s_in / (count * s_out), and a bias computed in float:
//     out = MBQM(S, m) + (zp_out - trunc(zp_in * s_in / s_out +- 0.5)).
//   * otherwise: reference QuantizedMeanOrSum. Sums are int32; the multiplier s_in / s_out is
//     divided by the element count n in fixed point (shifted left by floor(log2 n) first):
//     out = MBQM(S - zp_in * n, m * 2^k / n, shift - k) + zp_out.
#include <vector>

#include "kernels/reference/mean_util.h"
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct MeanQState : KernelState {
  MeanAxes axes;
  bool global_pool_path = false;
  QuantizedMultiplier mult;
  int32_t bias = 0;  // global-pool path
  int32_t in_zp = 0, out_zp = 0;
};

Status mean_q_prepare(KernelContext& ctx) {
  const ReducerParams p = params_or_default<ReducerParams>(ctx);
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const DType dt = in.dtype;
  if (!is_quantized_activation_dtype(dt))
    return unsupported(ctx.describe_input(0), ": quantized MEAN takes uint8, int8 or int16");
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt, is16));
  const int rank = in.rank();
  auto s = std::make_unique<MeanQState>();
  Shape out_shape;
  std::vector<int> resolved;  // deduplicated, in the given order (TFLite's ResolveAxisForShape)
  EIR_RETURN_IF_ERROR(
      resolve_mean_axes(ctx, p.keep_dims, /*scalar_ignores_axes=*/false, &s->axes, &out_shape, &resolved));
  s->in_zp = in.quant.zero_point();
  s->out_zp = out.quant.zero_point();
  const float in_s = in.quant.scale(), out_s = out.quant.scale();
  s->global_pool_path =
      !is16 && p.keep_dims && rank == 4 && resolved.size() == 2 && s->axes.reduced[1] && s->axes.reduced[2];
  if (s->global_pool_path) {
    const float num = static_cast<float>(in.dim(1) * in.dim(2));
    float temp = static_cast<float>(s->in_zp) * in_s / out_s;
    temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
    s->bias = s->out_zp - static_cast<int32_t>(temp);
    const float real_scale = in_s / (num * out_s);
    s->mult = quantize_multiplier(static_cast<double>(real_scale));
  } else {
    s->mult = quantize_multiplier(static_cast<double>(in_s) / static_cast<double>(out_s));
    if (s->axes.count > 0) {
      // Fold 1/n into the multiplier: shift by floor(log2 n) (capped) first to keep precision.
      int shift = 63 - __builtin_clzll(static_cast<unsigned long long>(s->axes.count));
      shift = std::min(shift, 32);
      shift = std::min(shift, 31 + s->mult.shift);
      s->mult.multiplier =
          static_cast<int32_t>((static_cast<int64_t>(s->mult.multiplier) << shift) / s->axes.count);
      s->mult.shift -= shift;
    }
  }
  const int64_t outputs = shape_num_elements(out_shape);
  ctx.request_scratch(static_cast<size_t>(outputs) * sizeof(int32_t));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// Sums (int32, wrapping as TFLite's int32 accumulator) every input element into its output slot.
template <class T>
void accumulate_q(const Tensor& in, const MeanQState& s, int32_t* acc) {
  const T* x = in.as<T>();
  for_each_mean_element(in, s.axes,
                        [&](int64_t o, int64_t i) { acc[o] = wrapping_add(acc[o], static_cast<int32_t>(x[i])); });
}

template <class T>
void mean_q_typed(KernelContext& ctx) {
  const MeanQState& s = *ctx.state<MeanQState>();
  const Tensor& in = ctx.input(0);
  T* y = ctx.output(0).as<T>();
  const int64_t outputs = ctx.output(0).num_elements();
  if (in.num_elements() == 0 || s.axes.count == 0) {
    for (int64_t i = 0; i < outputs; ++i) y[i] = T(0);  // TFLite fills empty reductions with 0
    return;
  }
  int32_t* acc = reinterpret_cast<int32_t*>(ctx.scratch());
  for (int64_t i = 0; i < outputs; ++i) acc[i] = 0;
  accumulate_q<T>(in, s, acc);
  for (int64_t i = 0; i < outputs; ++i) {
    int32_t v;
    if (s.global_pool_path) {
      v = wrapping_add(multiply_by_quantized_multiplier(acc[i], s.mult), s.bias);
    } else {
      const int32_t shifted = static_cast<int32_t>(static_cast<uint64_t>(
          static_cast<int64_t>(acc[i]) - static_cast<int64_t>(s.in_zp) * s.axes.count));
      v = wrapping_add(multiply_by_quantized_multiplier(shifted, s.mult), s.out_zp);
    }
    y[i] = static_cast<T>(std::min(std::max(v, qmin<T>()), qmax<T>()));
  }
}

Status mean_q_run(KernelContext& ctx) {
  switch (ctx.input(0).dtype) {
    case DType::kU8: mean_q_typed<uint8_t>(ctx); break;
    case DType::kI8: mean_q_typed<int8_t>(ctx); break;
    case DType::kI16: mean_q_typed<int16_t>(ctx); break;
    default: return internal_error("mean_quantized: unexpected dtype");
  }
  return Status::Ok();
}

}  // namespace

Kernel mean_quantized_kernel() { return Kernel{"reference/mean_quantized", mean_q_prepare, mean_q_run}; }

}  // namespace eir::ref
