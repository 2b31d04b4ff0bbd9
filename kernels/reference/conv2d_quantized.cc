// CONV_2D, quantized: uint8 (per-tensor, asymmetric weights), int8 (per-channel or per-tensor
// symmetric int8 weights, int32 bias) and int16x8 (int16 activations with zero point 0, int8
// weights, int64 or int32 bias). Input NHWC, filter OHWI, grouped convolution as TFLite.
//
// Numerics (TFLite conv.cc, default kernel on x86; checked against the TFLite goldens):
//   * int8, groups == 1: optimized_integer_ops::ConvPerChannel runs a ruy GEMM; ruy's x86 kernels
//     rescale with Requantize::kRuyX86 (both roundings half up).
//   * uint8: optimized_ops::Conv runs a gemmlowp GEMM on x86, whose output stage is TFLite's
//     MultiplyByQuantizedMultiplier: Requantize::kTflite. Grouped convolutions (any dtype) run
//     TFLite's reference kernels: Requantize::kTflite.
//   * uint8 multiplier: float(input_scale * filter_scale) / output_scale (the product in float, as
//     GetQuantizedConvolutionMultipler); int8/int16 per channel: double products.
//   * int16x8 with int64 bias (or none): reference kernel, int64 accumulator,
//     Requantize::kInt64. With int32 bias TFLite runs the ruy GEMM (when zero points are 0 and
//     there are no groups) else the reference kernel with an int32 accumulator.
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kFilter = 1, kBias = 2;

struct ConvQState : KernelState {
  WindowDim h, w;
  int groups = 1;
  int32_t input_offset = 0;   // -input zero point
  int32_t filter_offset = 0;  // -filter zero point (uint8 only)
  int32_t output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  Requantize mode = Requantize::kTflite;
  std::vector<QuantizedMultiplier> multipliers;  // one per output channel
};

Status conv_q_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType dt = ctx.input(kInput).dtype;
  if (dt != DType::kU8 && dt != DType::kI8 && dt != DType::kI16)
    return unsupported(ctx.describe_input(kInput), ": quantized CONV_2D takes uint8, int8 or int16 inputs");
  const bool is16 = dt == DType::kI16;
  const DType filter_dt = dt == DType::kU8 ? DType::kU8 : DType::kI8;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, kInput, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt, is16));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kFilter, filter_dt));
  EIR_RETURN_IF_ERROR(expect_conv_shapes(ctx, kInput, kFilter, 0));
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const Tensor& out = ctx.output(0);
  const int in_ch = in.dim(3), out_ch = filter.dim(0), filter_in_ch = filter.dim(3);

  QuantCheck fcheck;
  fcheck.allow_per_channel = dt != DType::kU8;  // TFLite: per-channel only for int8 / int16 inputs
  fcheck.require_zero_point_zero = dt != DType::kU8;
  EIR_RETURN_IF_ERROR(check_quant_params(filter, ctx.describe_input(kFilter), fcheck));
  if (filter.quant.per_channel() && (filter.quant.axis != 0 || static_cast<int>(filter.quant.scales.size()) != out_ch))
    return invalid_model(ctx.describe_input(kFilter), ": per-channel quantization must be along dim 0 with ", out_ch,
                         " scales");

  auto s = std::make_unique<ConvQState>();
  if (in_ch % filter_in_ch != 0)
    return invalid_model(ctx.describe_input(kInput), " has ", in_ch, " channels, not a multiple of the filter's ",
                         filter_in_ch, " input channels");
  s->groups = in_ch / filter_in_ch;
  if (out_ch % s->groups != 0)
    return invalid_model(ctx.describe_input(kFilter), ": ", out_ch, " output channels are not divisible into ",
                         s->groups, " groups");

  DType bias_dt = DType::kUnknown;
  if (ctx.has_input(kBias)) {
    const Tensor& bias = ctx.input(kBias);
    bias_dt = bias.dtype;
    const bool ok = bias_dt == DType::kI32 || (is16 && bias_dt == DType::kI64);
    if (!ok)
      return invalid_model(ctx.describe_input(kBias), " must be int32", (is16 ? " or int64" : ""), ", got ",
                           dtype_name(bias_dt));
    if (bias.num_elements() != out_ch)
      return invalid_model(ctx.describe_input(kBias), " must have ", out_ch, " elements (output channels)");
  }

  EIR_RETURN_IF_ERROR(compute_conv_window(*p, in, filter, &s->h, &s->w));
  EIR_RETURN_IF_ERROR(quantized_activation_range(p->activation, out, &s->act_min, &s->act_max));

  s->input_offset = -in.quant.zero_point();
  s->filter_offset = dt == DType::kU8 ? -filter.quant.zero_point() : 0;
  s->output_offset = out.quant.zero_point();
  s->multipliers.resize(static_cast<size_t>(out_ch));
  for (int c = 0; c < out_ch; ++c) {
    // Legacy uint8 rounds the scale product to float before the division (and is per-tensor).
    const float fs = filter.quant.per_channel() ? filter.quant.scales[static_cast<size_t>(c)] : filter.quant.scale();
    s->multipliers[static_cast<size_t>(c)] = quantize_multiplier(
        weights_real_multiplier(in.quant.scale(), fs, out.quant.scale(), /*float_product=*/dt == DType::kU8));
  }

  if (dt == DType::kU8) {
    s->mode = Requantize::kTflite;  // gemmlowp (or the grouped reference kernel)
  } else if (dt == DType::kI8) {
    s->mode = s->groups == 1 ? Requantize::kRuyX86 : Requantize::kTflite;
  } else if (bias_dt == DType::kI32) {
    s->mode = s->groups == 1 ? Requantize::kRuyX86 : Requantize::kTflite;  // zero points are 0 (checked)
  } else {
    s->mode = Requantize::kInt64;
  }

  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->h.out, s->w.out, out_ch}));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class TIn, class TFilter>
void conv_q_compute(KernelContext& ctx, const ConvQState& s, const ConvParams& p) {
  const Tensor& in = ctx.input(kInput);
  const Tensor& filter = ctx.input(kFilter);
  const TIn* x = in.as<TIn>();
  const TFilter* f = filter.as<TFilter>();
  const bool has_bias = ctx.has_input(kBias);
  const bool bias64 = has_bias && ctx.input(kBias).dtype == DType::kI64;
  const uint8_t* bias = has_bias ? ctx.input(kBias).data : nullptr;
  TIn* y = ctx.output(0).as<TIn>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), in_ch = in.dim(3);
  const int64_t k_h = filter.dim(1), k_w = filter.dim(2), k_ch = filter.dim(3), out_ch = filter.dim(0);
  const int64_t out_h = s.h.out, out_w = s.w.out;
  const int64_t per_group = out_ch / s.groups;

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        TIn* out = y + ((b * out_h + oy) * out_w + ox) * out_ch;
        for (int64_t oc = 0; oc < out_ch; ++oc) {
          const int64_t in_ch0 = (oc / per_group) * k_ch;
          // Exact in int64; the 8-bit paths wrap it to int32 in requantize() as TFLite would.
          int64_t acc = 0;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t iy = oy * p.stride_h - s.h.pad + ky * p.dilation_h;
            if (iy < 0 || iy >= in_h) continue;  // padding holds the zero point: contributes 0
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t ix = ox * p.stride_w - s.w.pad + kx * p.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const TIn* xin = x + ((b * in_h + iy) * in_w + ix) * in_ch + in_ch0;
              const TFilter* fw = f + ((oc * k_h + ky) * k_w + kx) * k_ch;
              for (int64_t ic = 0; ic < k_ch; ++ic)
                acc += static_cast<int64_t>(fw[ic] + s.filter_offset) * (xin[ic] + s.input_offset);
            }
          }
          if (has_bias)
            acc += bias64 ? reinterpret_cast<const int64_t*>(bias)[oc] : reinterpret_cast<const int32_t*>(bias)[oc];
          int32_t v = requantize(acc, s.multipliers[static_cast<size_t>(oc)], s.mode);
          // int32 wrap of the zero-point add, as in TFLite's int32 arithmetic.
          v = wrapping_add(v, s.output_offset);
          out[oc] = static_cast<TIn>(std::min(std::max(v, s.act_min), s.act_max));
        }
      }
    }
  };
  parallel_rows(ctx, static_cast<size_t>(in.dim(0) * out_h), rows);
}

Status conv_q_run(KernelContext& ctx) {
  const ConvQState& s = *ctx.state<ConvQState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  switch (ctx.input(kInput).dtype) {
    case DType::kU8: conv_q_compute<uint8_t, uint8_t>(ctx, s, p); break;
    case DType::kI8: conv_q_compute<int8_t, int8_t>(ctx, s, p); break;
    case DType::kI16: conv_q_compute<int16_t, int8_t>(ctx, s, p); break;
    default: return internal_error("conv2d_quantized: unexpected dtype");
  }
  return Status::Ok();
}

}  // namespace

Kernel conv2d_quantized_kernel() { return Kernel{"reference/conv2d_quantized", conv_q_prepare, conv_q_run}; }

}  // namespace eir::ref
