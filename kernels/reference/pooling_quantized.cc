// AVERAGE_POOL_2D and MAX_POOL_2D, quantized: uint8, int8, int16 (NHWC).
//
// As TFLite, the output reuses the input's quantization (the kernels never rescale; the output
// scale / zero point only feed the fused activation's clamp range). Average pooling divides the
// integer sum of the in-bounds window by its element count, rounding half away from zero:
// (sum + n/2) / n for sum > 0, (sum - n/2) / n otherwise (C++ division truncates). A window with
// no in-bounds element is an error in TFLite (AveragePool returns false).
#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct PoolQState : KernelState {
  WindowDim h, w;
  int32_t act_min = 0, act_max = 0;
};

Status pool_q_prepare(KernelContext& ctx) {
  const PoolParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType dt = ctx.input(0).dtype;
  if (!is_quantized_activation_dtype(dt))
    return unsupported(ctx.describe_input(0), ": quantized pooling takes uint8, int8 or int16 inputs");
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  if (p->filter_h <= 0 || p->filter_w <= 0)
    return invalid_model("pool filter size must be positive, got ", p->filter_h, "x", p->filter_w);
  const Tensor& in = ctx.input(0);
  auto s = std::make_unique<PoolQState>();
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, in.dim(1), p->filter_h, p->stride_h, 1, "height", &s->h));
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, in.dim(2), p->filter_w, p->stride_w, 1, "width", &s->w));
  EIR_RETURN_IF_ERROR(quantized_activation_range(p->activation, ctx.output(0), &s->act_min, &s->act_max));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, in.dim(3)}));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// Each output element reduces the in-bounds part of its window (TFLite clamps the window).
template <bool kAverage, class T>
Status pool_q_compute(KernelContext& ctx, const PoolQState& s, const PoolParams& p) {
  const Tensor& in = ctx.input(0);
  const T* x = in.as<T>();
  T* y = ctx.output(0).as<T>();
  const int64_t batches = in.dim(0), in_h = in.dim(1), in_w = in.dim(2), depth = in.dim(3);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  for (int64_t b = 0; b < batches; ++b) {
    for (int64_t oy = 0; oy < out_h; ++oy) {
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t iy0 = oy * p.stride_h - s.h.pad, ix0 = ox * p.stride_w - s.w.pad;
        const int64_t fy0 = std::max<int64_t>(0, -iy0), fy1 = std::min<int64_t>(p.filter_h, in_h - iy0);
        const int64_t fx0 = std::max<int64_t>(0, -ix0), fx1 = std::min<int64_t>(p.filter_w, in_w - ix0);
        const int64_t count = std::max<int64_t>(0, fy1 - fy0) * std::max<int64_t>(0, fx1 - fx0);
        if (kAverage && count == 0)
          return invalid_model("average pool window at output (", oy, ", ", ox, ") covers no input element");
        T* out = y + ((b * out_h + oy) * out_w + ox) * depth;
        for (int64_t c = 0; c < depth; ++c) {
          int32_t acc = kAverage ? 0 : qmin<T>();
          for (int64_t fy = fy0; fy < fy1; ++fy) {
            for (int64_t fx = fx0; fx < fx1; ++fx) {
              const int32_t v = x[((b * in_h + iy0 + fy) * in_w + ix0 + fx) * depth + c];
              acc = kAverage ? acc + v : std::max(acc, v);
            }
          }
          if (kAverage) {
            const int32_t n = static_cast<int32_t>(count);
            acc = acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n;
          }
          out[c] = static_cast<T>(std::min(std::max(acc, s.act_min), s.act_max));
        }
      }
    }
  }
  return Status::Ok();
}

template <bool kAverage>
Status pool_q_run(KernelContext& ctx) {
  const PoolQState& s = *ctx.state<PoolQState>();
  const PoolParams& p = *ctx.node().params_as<PoolParams>();
  switch (ctx.input(0).dtype) {
    case DType::kU8: return pool_q_compute<kAverage, uint8_t>(ctx, s, p);
    case DType::kI8: return pool_q_compute<kAverage, int8_t>(ctx, s, p);
    case DType::kI16: return pool_q_compute<kAverage, int16_t>(ctx, s, p);
    default: return internal_error("pooling_quantized: unexpected dtype");
  }
}

}  // namespace

Kernel average_pool2d_quantized_kernel() {
  return Kernel{"reference/average_pool2d_quantized", pool_q_prepare, pool_q_run<true>};
}
Kernel max_pool2d_quantized_kernel() {
  return Kernel{"reference/max_pool2d_quantized", pool_q_prepare, pool_q_run<false>};
}

}  // namespace eir::ref
