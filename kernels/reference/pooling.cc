// AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D, float32, NHWC, with TFLite's window rules: the
// window is clipped to the image, padded positions are never read, and the average (and the L2
// mean of squares) divides by the number of valid elements only. Fused clamp activation.

#include <atomic>
#include <cmath>
#include <limits>
#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

enum class PoolKind { kAverage, kMax, kL2 };

struct PoolState : KernelState {
  WindowDim h, w;
  float act_lo = 0.0f, act_hi = 0.0f;
};

Status pool_prepare(KernelContext& ctx) {
  const PoolParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  const Tensor& in = ctx.input(0);
  auto state = std::make_unique<PoolState>();
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, in.dim(1), p->filter_h, p->stride_h, 1, "height", &state->h));
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, in.dim(2), p->filter_w, p->stride_w, 1, "width", &state->w));
  EIR_RETURN_IF_ERROR(fused_activation_clamp(p->activation, &state->act_lo, &state->act_hi));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->h.out, state->w.out, in.dim(3)}));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

template <PoolKind kKind>
Status pool_run(KernelContext& ctx) {
  const PoolState& s = *ctx.state<PoolState>();
  const PoolParams& p = *ctx.node().params_as<PoolParams>();
  const Tensor& in = ctx.input(0);
  const float* x = in.as<float>();
  float* y = ctx.output(0).as<float>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ch = in.dim(3);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  std::atomic<bool> empty_window{false};

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      // The window clipped to the image: [y0, y1) x [x0, x1) in input coordinates.
      const int64_t oy0 = oy * p.stride_h - s.h.pad;
      const int64_t y0 = std::max<int64_t>(oy0, 0), y1 = std::min<int64_t>(oy0 + p.filter_h, in_h);
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t ox0 = ox * p.stride_w - s.w.pad;
        const int64_t x0 = std::max<int64_t>(ox0, 0), x1 = std::min<int64_t>(ox0 + p.filter_w, in_w);
        const int64_t count = std::max<int64_t>(y1 - y0, 0) * std::max<int64_t>(x1 - x0, 0);
        if (count == 0 && kKind != PoolKind::kMax) {
          empty_window = true;
          continue;
        }
        float* out = y + ((b * out_h + oy) * out_w + ox) * ch;
        for (int64_t c = 0; c < ch; ++c) {
          float acc = kKind == PoolKind::kMax ? std::numeric_limits<float>::lowest() : 0.0f;
          for (int64_t iy = y0; iy < y1; ++iy) {
            for (int64_t ix = x0; ix < x1; ++ix) {
              const float v = x[((b * in_h + iy) * in_w + ix) * ch + c];
              if (kKind == PoolKind::kMax) acc = std::max(acc, v);
              if (kKind == PoolKind::kAverage) acc += v;
              if (kKind == PoolKind::kL2) acc += v * v;
            }
          }
          if (kKind == PoolKind::kAverage) acc = acc / static_cast<float>(count);
          if (kKind == PoolKind::kL2) acc = std::sqrt(acc / static_cast<float>(count));
          out[c] = clamp_to(acc, s.act_lo, s.act_hi);
        }
      }
    }
  };
  ctx.thread_pool()->parallel_for(static_cast<size_t>(in.dim(0) * out_h), 1, std::move(rows));
  // Cannot happen with windows computed by compute_window_dim; TFLite fails the same way.
  if (empty_window) return invalid_model("a pooling window covers no input element");
  return Status::Ok();
}

}  // namespace

Kernel average_pool2d_f32_kernel() {
  return Kernel{"reference/average_pool2d_f32", pool_prepare, pool_run<PoolKind::kAverage>};
}
Kernel max_pool2d_f32_kernel() { return Kernel{"reference/max_pool2d_f32", pool_prepare, pool_run<PoolKind::kMax>}; }
Kernel l2_pool2d_f32_kernel() { return Kernel{"reference/l2_pool2d_f32", pool_prepare, pool_run<PoolKind::kL2>}; }

}  // namespace eir::ref
