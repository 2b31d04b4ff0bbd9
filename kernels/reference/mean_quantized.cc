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

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kMaxRank = 8;

struct MeanQState : KernelState {
  bool reduced[kMaxRank] = {false};
  int64_t count = 1;
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
  if (rank > kMaxRank) return unsupported(ctx.describe_input(0), ": MEAN supports rank <= ", kMaxRank);
  std::vector<int64_t> axes;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, /*allow_int64=*/false, &axes));
  auto s = std::make_unique<MeanQState>();
  std::vector<int> resolved;  // deduplicated, in the given order (TFLite's ResolveAxisForShape)
  for (int64_t a : axes) {
    int axis = 0;
    if (a < -rank || a >= rank || !normalize_axis(static_cast<int>(a), rank, &axis))
      return invalid_model(ctx.describe_input(1), ": axis ", a, " is out of range for rank ", rank);
    if (!s->reduced[axis]) resolved.push_back(axis);
    s->reduced[axis] = true;
  }
  Shape out_shape;
  for (int d = 0; d < rank; ++d) {
    if (!s->reduced[d]) out_shape.push_back(in.dim(d));
    else if (p.keep_dims) out_shape.push_back(1);
    if (s->reduced[d]) s->count *= in.dim(d);
  }
  s->in_zp = in.quant.zero_point();
  s->out_zp = out.quant.zero_point();
  const float in_s = in.quant.scale(), out_s = out.quant.scale();
  s->global_pool_path = !is16 && p.keep_dims && rank == 4 && resolved.size() == 2 && s->reduced[1] && s->reduced[2];
  if (s->global_pool_path) {
    const float num = static_cast<float>(in.dim(1) * in.dim(2));
    float temp = static_cast<float>(s->in_zp) * in_s / out_s;
    temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
    s->bias = s->out_zp - static_cast<int32_t>(temp);
    const float real_scale = in_s / (num * out_s);
    s->mult = quantize_multiplier(static_cast<double>(real_scale));
  } else {
    s->mult = quantize_multiplier(static_cast<double>(in_s) / static_cast<double>(out_s));
    if (s->count > 0) {
      // Fold 1/n into the multiplier: shift by floor(log2 n) (capped) first to keep precision.
      int shift = 63 - __builtin_clzll(static_cast<unsigned long long>(s->count));
      shift = std::min(shift, 32);
      shift = std::min(shift, 31 + s->mult.shift);
      s->mult.multiplier = static_cast<int32_t>((static_cast<int64_t>(s->mult.multiplier) << shift) / s->count);
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
  const int rank = in.rank();
  int64_t out_stride[kMaxRank] = {0};
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (s.reduced[d]) continue;
    out_stride[d] = stride;
    stride *= in.dim(d);
  }
  const T* x = in.as<T>();
  const int64_t total = in.num_elements();
  int64_t idx[kMaxRank] = {0};
  int64_t o = 0;
  for (int64_t i = 0; i < total; ++i) {
    acc[o] = wrapping_add(acc[o], static_cast<int32_t>(x[i]));
    for (int d = rank - 1; d >= 0; --d) {
      o += out_stride[d];
      if (++idx[d] < in.dim(d)) break;
      o -= out_stride[d] * idx[d];
      idx[d] = 0;
    }
  }
}

template <class T>
void mean_q_typed(KernelContext& ctx) {
  const MeanQState& s = *ctx.state<MeanQState>();
  const Tensor& in = ctx.input(0);
  T* y = ctx.output(0).as<T>();
  const int64_t outputs = ctx.output(0).num_elements();
  if (in.num_elements() == 0 || s.count == 0) {
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
          static_cast<int64_t>(acc[i]) - static_cast<int64_t>(s.in_zp) * s.count));
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
