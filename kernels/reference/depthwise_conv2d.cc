// DEPTHWISE_CONV_2D, float32. Input NHWC [N,H,W,C], filter [1,KH,KW,C*M], optional bias [C*M];
// output channel c*M + m convolves input channel c with filter channel c*M + m.
// Like TFLite, the depth multiplier M is derived from the shapes (filter channels / input
// channels); the depth_multiplier option is not trusted (old converters wrote inconsistent ones).

#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

struct DepthwiseState : KernelState {
  WindowDim h, w;
  int multiplier = 1;
  float act_lo = 0.0f, act_hi = 0.0f;
};

Status depthwise_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(expect_float_conv(ctx, 1, &p));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  if (filter.dim(0) != 1)
    return invalid_model(ctx.describe_input(kFilter), " must have shape [1,KH,KW,C*M]");
  const int in_ch = in.dim(3), out_ch = filter.dim(3);
  if (out_ch % in_ch != 0)
    return invalid_model(ctx.describe_input(kFilter), ": ", out_ch, " output channels are not a multiple of the ",
                         in_ch, " input channels");
  if (ctx.has_input(kBias)) {
    EIR_RETURN_IF_ERROR(expect_float_weights(ctx, kBias));
    const Tensor& bias = ctx.input(kBias);
    if (bias.rank() != 1 || bias.dim(0) != out_ch)
      return invalid_model(ctx.describe_input(kBias), " must have shape [", out_ch, "]");
  }
  auto state = std::make_unique<DepthwiseState>();
  state->multiplier = out_ch / in_ch;
  EIR_RETURN_IF_ERROR(compute_conv_window(*p, in, filter, &state->h, &state->w));
  EIR_RETURN_IF_ERROR(fused_activation_clamp(p->activation, &state->act_lo, &state->act_hi));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->h.out, state->w.out, out_ch}));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status depthwise_run(KernelContext& ctx) {
  const DepthwiseState& s = *ctx.state<DepthwiseState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const float* x = in.as<float>();
  const float* f = filter.as<float>();
  const float* bias = ctx.has_input(kBias) ? ctx.input(kBias).as<float>() : nullptr;
  float* y = ctx.output(0).as<float>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), in_ch = in.dim(3);
  const int64_t k_h = filter.dim(1), k_w = filter.dim(2), out_ch = filter.dim(3);
  const int64_t out_h = s.h.out, out_w = s.w.out, mult = s.multiplier;

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        float* out = y + ((b * out_h + oy) * out_w + ox) * out_ch;
        for (int64_t oc = 0; oc < out_ch; ++oc) {
          const int64_t ic = oc / mult;
          float acc = 0.0f;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;  // zero padding
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - s.w.pad + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              acc += x[((b * in_h + iy) * in_w + ix) * in_ch + ic] * f[(ky * k_w + kx) * out_ch + oc];
            }
          }
          if (bias) acc += bias[oc];
          out[oc] = clamp_to(acc, s.act_lo, s.act_hi);
        }
      }
    }
  };
  ctx.thread_pool()->parallel_for(static_cast<size_t>(in.dim(0) * out_h), 1, std::move(rows));
  return Status::Ok();
}

}  // namespace

Kernel depthwise_conv2d_f32_kernel() {
  return Kernel{"reference/depthwise_conv2d_f32", depthwise_prepare, depthwise_run};
}

}  // namespace eir::ref
