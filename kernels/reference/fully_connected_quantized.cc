// FULLY_CONNECTED, quantized. Supported (input, weights -> output):
//   uint8, uint8 -> uint8 or int16 (legacy asymmetric, per-tensor)
//   int8,  int8  -> int8            (per-tensor with any weight zero point, or per-channel)
//   int16, int8  -> int16           (16x8: activations with zero point 0, int32 / int64 bias)
//   int16, int16 -> int16
// Weights are [units, depth]; the input is flattened to [batch, depth] (keep_num_dims keeps its
// leading dims).
//
// Numerics (TFLite fully_connected.cc, default kGenericOptimized kernel on x86):
//   * int8, and 16x8 with int32 (or no) bias and zero weight zero points: a ruy GEMM on x86,
//     Requantize::kRuyX86 (both roundings half up).
//   * uint8 (to uint8 or int16): a gemmlowp GEMM on x86, Requantize::kTflite.
//   * 16x8 with int64 bias or a nonzero weight zero point uses the reference kernel that rescales
//     in double precision: round(double(acc) * in_scale * w_scale / out_scale), half away from 0.
//   * int16 weights: int64 accumulator, Requantize::kInt64.
//   * per-tensor multipliers use float(in_scale * w_scale) / out_scale; per-channel use doubles.
#include <cmath>
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kWeights = 1, kBias = 2;

enum class FcRescale : uint8_t { kFixed, kDouble };

struct FcQState : KernelState {
  int64_t batches = 0, depth = 0, units = 0;
  int32_t input_offset = 0, weights_offset = 0, output_offset = 0;
  int32_t act_min = 0, act_max = 0;
  FcRescale rescale = FcRescale::kFixed;
  Requantize mode = Requantize::kRuyX86;
  bool wrap_acc_32 = true;  // the accumulator is an int32 in TFLite
  std::vector<QuantizedMultiplier> multipliers;  // per unit
  std::vector<double> real_scales;               // per unit (kDouble)
};

Status fc_q_prepare(KernelContext& ctx) {
  const FullyConnectedParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  if (p->weights_format != 0) return unsupported("shuffled FULLY_CONNECTED weights format ", p->weights_format);
  const Tensor& in = ctx.input(kInput);
  const Tensor& w = ctx.input(kWeights);
  const Tensor& out = ctx.output(0);
  const DType dt = in.dtype, wdt = w.dtype, odt = out.dtype;
  const bool combo_ok = (dt == DType::kU8 && wdt == DType::kU8 && (odt == DType::kU8 || odt == DType::kI16)) ||
                        (dt == DType::kI8 && wdt == DType::kI8 && odt == DType::kI8) ||
                        (dt == DType::kI16 && (wdt == DType::kI8 || wdt == DType::kI16) && odt == DType::kI16);
  if (!combo_ok)
    return unsupported("quantized FULLY_CONNECTED with ", dtype_name(dt), " input, ", dtype_name(wdt), " weights and ",
                       dtype_name(odt), " output");
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, kInput, dt, is16));
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, odt, is16));
  QuantCheck wcheck;
  wcheck.allow_per_channel = dt != DType::kU8;
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kWeights, 2));
  EIR_RETURN_IF_ERROR(check_quant_params(w, ctx.describe_input(kWeights), wcheck));
  const int64_t units = w.dim(0), depth = w.dim(1);
  if (w.quant.per_channel() && (w.quant.axis != 0 || static_cast<int64_t>(w.quant.scales.size()) != units))
    return invalid_model(ctx.describe_input(kWeights), ": per-channel quantization must be along dim 0 with ", units,
                         " scales");
  if (in.rank() < 1) return invalid_model(ctx.describe_input(kInput), " must have rank >= 1");

  auto s = std::make_unique<FcQState>();
  s->units = units;
  s->depth = depth;
  const int64_t in_size = in.num_elements();
  Shape out_shape;
  if (p->keep_num_dims) {
    if (in.dim(in.rank() - 1) != depth)
      return invalid_model(ctx.describe_input(kInput), ": last dim must equal the weights' depth ", depth,
                           " with keep_num_dims");
    out_shape = in.shape;
    out_shape.back() = static_cast<int32_t>(units);
    s->batches = depth == 0 ? 0 : in_size / depth;
  } else {
    if (depth == 0) {
      int64_t b = 1;
      for (int i = 0; i + 1 < in.rank(); ++i) b *= in.dim(i);
      s->batches = b;
    } else {
      if (in_size % depth != 0)
        return invalid_model(ctx.describe_input(kInput), " has ", in_size,
                             " elements, not a multiple of the weights' depth ", depth);
      s->batches = in_size / depth;
    }
    if (s->batches > INT32_MAX) return invalid_model(ctx.describe_input(kInput), " is too large");
    out_shape = {static_cast<int32_t>(s->batches), static_cast<int32_t>(units)};
  }

  DType bias_dt = DType::kUnknown;
  if (ctx.has_input(kBias)) {
    const Tensor& bias = ctx.input(kBias);
    bias_dt = bias.dtype;
    if (!(bias_dt == DType::kI32 || (is16 && bias_dt == DType::kI64)))
      return invalid_model(ctx.describe_input(kBias), " must be int32", (is16 ? " or int64" : ""), ", got ",
                           dtype_name(bias_dt));
    if (bias.num_elements() != units)
      return invalid_model(ctx.describe_input(kBias), " must have ", units, " elements (units)");
  }
  EIR_RETURN_IF_ERROR(quantized_activation_range(p->activation, out, &s->act_min, &s->act_max));

  s->input_offset = -in.quant.zero_point();
  // Per-channel weights are symmetric by spec; TFLite ignores their zero points.
  s->weights_offset = w.quant.per_channel() ? 0 : -w.quant.zero_point();
  s->output_offset = out.quant.zero_point();
  s->multipliers.resize(static_cast<size_t>(units));
  s->real_scales.resize(static_cast<size_t>(units));
  for (int64_t u = 0; u < units; ++u) {
    // Per-tensor: the scale product rounded to float first; per-channel: doubles.
    const float ws = w.quant.per_channel() ? w.quant.scales[static_cast<size_t>(u)] : w.quant.scale();
    s->multipliers[static_cast<size_t>(u)] = quantize_multiplier(
        weights_real_multiplier(in.quant.scale(), ws, out.quant.scale(), /*float_product=*/!w.quant.per_channel()));
    // The reference 16x8 kernel's double-precision scale (double products throughout).
    s->real_scales[static_cast<size_t>(u)] =
        static_cast<double>(in.quant.scale()) * static_cast<double>(ws) / static_cast<double>(out.quant.scale());
  }

  if (dt == DType::kU8) s->mode = Requantize::kTflite;  // gemmlowp GEMM on x86
  if (dt == DType::kI16 && wdt == DType::kI16) {
    s->mode = Requantize::kInt64;
    s->wrap_acc_32 = false;
  } else if (dt == DType::kI16) {
    if (bias_dt == DType::kI64 || s->weights_offset != 0) {
      s->rescale = FcRescale::kDouble;
      s->wrap_acc_32 = bias_dt != DType::kI64;
    }
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class TIn, class TW, class TOut>
void fc_q_compute(KernelContext& ctx, const FcQState& s) {
  const TIn* x = ctx.input(kInput).as<TIn>();
  const TW* w = ctx.input(kWeights).as<TW>();
  const bool has_bias = ctx.has_input(kBias);
  const bool bias64 = has_bias && ctx.input(kBias).dtype == DType::kI64;
  const uint8_t* bias = has_bias ? ctx.input(kBias).data : nullptr;
  TOut* y = ctx.output(0).as<TOut>();
  auto batch_rows = [&](size_t begin, size_t end) {
    for (size_t bi = begin; bi < end; ++bi) {
      const int64_t b = static_cast<int64_t>(bi);
      const TIn* xr = x + b * s.depth;
      for (int64_t u = 0; u < s.units; ++u) {
        const TW* wr = w + u * s.depth;
        int64_t acc = 0;
        for (int64_t d = 0; d < s.depth; ++d)
          acc += static_cast<int64_t>(wr[d] + s.weights_offset) * (xr[d] + s.input_offset);
        if (has_bias)
          acc += bias64 ? reinterpret_cast<const int64_t*>(bias)[u] : reinterpret_cast<const int32_t*>(bias)[u];
        if (s.wrap_acc_32) acc = static_cast<int32_t>(static_cast<uint64_t>(acc));
        int32_t v;
        if (s.rescale == FcRescale::kDouble) {
          const double r = std::round(static_cast<double>(acc) * s.real_scales[static_cast<size_t>(u)]);
          v = static_cast<int32_t>(std::min(std::max(r, -2147483648.0), 2147483647.0));
        } else {
          v = requantize(acc, s.multipliers[static_cast<size_t>(u)], s.mode);
        }
        v = wrapping_add(v, s.output_offset);
        y[b * s.units + u] = static_cast<TOut>(std::min(std::max(v, s.act_min), s.act_max));
      }
    }
  };
  parallel_rows(ctx, static_cast<size_t>(s.batches), batch_rows);
}

Status fc_q_run(KernelContext& ctx) {
  const FcQState& s = *ctx.state<FcQState>();
  const DType dt = ctx.input(kInput).dtype, wdt = ctx.input(kWeights).dtype, odt = ctx.output(0).dtype;
  if (dt == DType::kU8 && odt == DType::kU8) fc_q_compute<uint8_t, uint8_t, uint8_t>(ctx, s);
  else if (dt == DType::kU8) fc_q_compute<uint8_t, uint8_t, int16_t>(ctx, s);
  else if (dt == DType::kI8) fc_q_compute<int8_t, int8_t, int8_t>(ctx, s);
  else if (wdt == DType::kI8) fc_q_compute<int16_t, int8_t, int16_t>(ctx, s);
  else fc_q_compute<int16_t, int16_t, int16_t>(ctx, s);
  return Status::Ok();
}

}  // namespace

Kernel fully_connected_quantized_kernel() {
  return Kernel{"reference/fully_connected_quantized", fc_q_prepare, fc_q_run};
}

}  // namespace eir::ref
