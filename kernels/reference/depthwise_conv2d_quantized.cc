// DEPTHWISE_CONV_2D, quantized: uint8 (per-tensor), int8 (per-channel or per-tensor int8
// weights, int32 bias) and int16x8 (int16 activations with zero point 0, int8 weights, int64
// bias). Input NHWC, filter [1, H, W, C*M], output channel c*M + m reads input channel c.
//
// Numerics (TFLite depthwise_conv.cc, default kernel on x86): the optimized 8-bit kernels
// accumulate in int32 and rescale with TFLite's MultiplyByQuantizedMultiplier (the 3x3 fast paths
// are aarch64-only), i.e. Requantize::kTflite; int16x8 uses the reference kernel with an int64
// accumulator (Requantize::kInt64). The depth multiplier is taken from the shapes, as TFLite does.
// int8 weights' zero points are ignored by TFLite (weights_offset = 0); uint8 uses them.
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

struct DwQState : KernelState {
  WindowDim h, w;
  int depth_multiplier = 1;
  int32_t input_offset = 0, filter_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  Requantize mode = Requantize::kTflite;
  std::vector<QuantizedMultiplier> multipliers;
};

Status dw_q_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType dt = ctx.input(kInput).dtype;
  if (dt != DType::kU8 && dt != DType::kI8 && dt != DType::kI16)
    return unsupported(ctx.describe_input(kInput), ": quantized DEPTHWISE_CONV_2D takes uint8, int8 or int16 inputs");
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, kInput, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt, is16));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kFilter, dt == DType::kU8 ? DType::kU8 : DType::kI8));
  EIR_RETURN_IF_ERROR(expect_conv_shapes(ctx, kInput, kFilter, 1));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const Tensor& out = ctx.output(0);
  if (filter.dim(0) != 1)
    return invalid_model(ctx.describe_input(kFilter), " must have 1 as its first dim, got ", filter.dim(0));
  const int in_ch = in.dim(3), out_ch = filter.dim(3);
  if (out_ch % in_ch != 0)
    return invalid_model(ctx.describe_input(kFilter), ": ", out_ch, " output channels are not a multiple of the ",
                         in_ch, " input channels");

  QuantCheck fcheck;
  fcheck.allow_per_channel = dt != DType::kU8;
  EIR_RETURN_IF_ERROR(check_quant_params(filter, ctx.describe_input(kFilter), fcheck));
  if (filter.quant.per_channel() && (filter.quant.axis != 3 || static_cast<int>(filter.quant.scales.size()) != out_ch))
    return invalid_model(ctx.describe_input(kFilter), ": per-channel quantization must be along dim 3 with ", out_ch,
                         " scales");

  if (ctx.has_input(kBias)) {
    const Tensor& bias = ctx.input(kBias);
    const DType want = is16 ? DType::kI64 : DType::kI32;
    if (bias.dtype != want)
      return invalid_model(ctx.describe_input(kBias), " must be ", dtype_name(want), ", got ", dtype_name(bias.dtype));
    if (bias.num_elements() != out_ch)
      return invalid_model(ctx.describe_input(kBias), " must have ", out_ch, " elements (output channels)");
  }

  auto s = std::make_unique<DwQState>();
  s->depth_multiplier = out_ch / in_ch;
  EIR_RETURN_IF_ERROR(compute_conv_window(*p, in, filter, &s->h, &s->w));
  EIR_RETURN_IF_ERROR(quantized_activation_range(p->activation, out, &s->act_min, &s->act_max));
  s->input_offset = -in.quant.zero_point();
  s->filter_offset = dt == DType::kU8 ? -filter.quant.zero_point() : 0;
  s->output_offset = out.quant.zero_point();
  s->mode = is16 ? Requantize::kInt64 : Requantize::kTflite;
  s->multipliers.resize(static_cast<size_t>(out_ch));
  for (int c = 0; c < out_ch; ++c) {
    // uint8 (per-tensor) rounds the scale product to float before the division.
    const float fs = filter.quant.per_channel() ? filter.quant.scales[static_cast<size_t>(c)] : filter.quant.scale();
    s->multipliers[static_cast<size_t>(c)] = quantize_multiplier(
        weights_real_multiplier(in.quant.scale(), fs, out.quant.scale(), /*float_product=*/dt == DType::kU8));
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, out_ch}));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class TIn, class TFilter>
void dw_q_compute(KernelContext& ctx, const DwQState& s, const ConvParams& p) {
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const TIn* x = in.as<TIn>();
  const TFilter* f = filter.as<TFilter>();
  const bool has_bias = ctx.has_input(kBias);
  const bool bias64 = has_bias && ctx.input(kBias).dtype == DType::kI64;
  const uint8_t* bias = has_bias ? ctx.input(kBias).data : nullptr;
  TIn* y = ctx.output(0).as<TIn>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), in_ch = in.dim(3);
  const int64_t k_h = filter.dim(1), k_w = filter.dim(2), out_ch = filter.dim(3);
  const int64_t out_h = s.h.out, out_w = s.w.out, dm = s.depth_multiplier;

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        TIn* out = y + ((b * out_h + oy) * out_w + ox) * out_ch;
        for (int64_t oc = 0; oc < out_ch; ++oc) {
          const int64_t ic = oc / dm;
          int64_t acc = 0;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - s.w.pad + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int32_t xv = x[((b * in_h + iy) * in_w + ix) * in_ch + ic] + s.input_offset;
              const int32_t fv = f[(ky * k_w + kx) * out_ch + oc] + s.filter_offset;
              acc += static_cast<int64_t>(fv) * xv;
            }
          }
          if (has_bias)
            acc += bias64 ? reinterpret_cast<const int64_t*>(bias)[oc] : reinterpret_cast<const int32_t*>(bias)[oc];
          int32_t v = requantize(acc, s.multipliers[static_cast<size_t>(oc)], s.mode);
          v = wrapping_add(v, s.output_offset);
          out[oc] = static_cast<TIn>(std::min(std::max(v, s.act_min), s.act_max));
        }
      }
    }
  };
  parallel_rows(ctx, static_cast<size_t>(in.dim(0) * out_h), rows);
}

Status dw_q_run(KernelContext& ctx) {
  const DwQState& s = *ctx.state<DwQState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  switch (ctx.input(kInput).dtype) {
    case DType::kU8: dw_q_compute<uint8_t, uint8_t>(ctx, s, p); break;
    case DType::kI8: dw_q_compute<int8_t, int8_t>(ctx, s, p); break;
    case DType::kI16: dw_q_compute<int16_t, int8_t>(ctx, s, p); break;
    default: return internal_error("depthwise_conv2d_quantized: unexpected dtype");
  }
  return Status::Ok();
}

}  // namespace

Kernel depthwise_conv2d_quantized_kernel() {
  return Kernel{"reference/depthwise_conv2d_quantized", dw_q_prepare, dw_q_run};
}

}  // namespace eir::ref
