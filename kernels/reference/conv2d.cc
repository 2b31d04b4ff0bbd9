// CONV_2D, float32. Input NHWC, filter OHWI, optional bias [O]; stride, dilation, SAME/VALID
// padding and a fused clamp activation. Grouped convolution as TFLite: when the input has G times
// the filter's input channels, output channel o reads input channels [g*I, (g+1)*I) with
// g = o / (O/G).

#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

struct ConvState : KernelState {
  WindowDim h, w;
  int groups = 1;
  float act_lo = 0.0f, act_hi = 0.0f;
};

Status conv2d_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(expect_float_conv(ctx, 0, &p));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const int in_ch = in.dim(3), out_ch = filter.dim(0), filter_in_ch = filter.dim(3);

  auto state = std::make_unique<ConvState>();
  if (in_ch % filter_in_ch != 0)
    return invalid_model(ctx.describe_input(kInput), " has ", in_ch, " channels, not a multiple of the filter's ",
                         filter_in_ch, " input channels");
  state->groups = in_ch / filter_in_ch;
  if (out_ch % state->groups != 0)
    return invalid_model(ctx.describe_input(kFilter), ": ", out_ch, " output channels are not divisible into ",
                         state->groups, " groups");
  if (ctx.has_input(kBias)) {
    EIR_RETURN_IF_ERROR(expect_float_weights(ctx, kBias));
    if (ctx.input(kBias).num_elements() != out_ch)
      return invalid_model(ctx.describe_input(kBias), " must have ", out_ch, " elements (output channels)");
  }
  EIR_RETURN_IF_ERROR(compute_conv_window(*p, in, filter, &state->h, &state->w));
  EIR_RETURN_IF_ERROR(fused_activation_clamp(p->activation, &state->act_lo, &state->act_hi));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), state->h.out, state->w.out, out_ch}));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status conv2d_run(KernelContext& ctx) {
  const ConvState& s = *ctx.state<ConvState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const float* x = in.as<float>();
  const float* f = filter.as<float>();
  const float* bias = ctx.has_input(kBias) ? ctx.input(kBias).as<float>() : nullptr;
  float* y = ctx.output(0).as<float>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), in_ch = in.dim(3);
  const int64_t k_h = filter.dim(1), k_w = filter.dim(2), k_ch = filter.dim(3), out_ch = filter.dim(0);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const int64_t per_group = out_ch / s.groups;

  // One task per output row (batch, out_y): rows write disjoint output ranges.
  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        float* out = y + ((b * out_h + oy) * out_w + ox) * out_ch;
        for (int64_t oc = 0; oc < out_ch; ++oc) {
          const int64_t in_ch0 = (oc / per_group) * k_ch;
          float acc = 0.0f;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;  // zero padding: taps outside the image add nothing
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - s.w.pad + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const float* xin = x + ((b * in_h + iy) * in_w + ix) * in_ch + in_ch0;
              const float* fw = f + ((oc * k_h + ky) * k_w + kx) * k_ch;
              for (int64_t ic = 0; ic < k_ch; ++ic) acc += xin[ic] * fw[ic];
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

Kernel conv2d_f32_kernel() { return Kernel{"reference/conv2d_f32", conv2d_prepare, conv2d_run}; }

}  // namespace eir::ref
