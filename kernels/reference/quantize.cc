// QUANTIZE: float32 -> uint8 / int8 / int16 (per-tensor or per-channel), and requantization
// between integer types: int8 / uint8 -> int8 / uint8 / int16, int16 -> int8 / int16 / int32,
// int32 -> int8 / int16.
//
// Numerics (TFLite quantize.cc, default optimized kernel on x86):
//   * per-tensor float: q = int32(round(x / double(scale))) + zero_point, clamped. The division is
//     in double (optimized_ops::AffineQuantize); round is half away from zero. Values whose rounded
//     quotient does not fit int32 (and NaN) convert to INT32_MIN as x86's cvttsd2si does, then the
//     zero point is added with int32 wraparound: this reproduces TFLite's results for inf / NaN.
//   * per-channel float: the reference kernel, with the division in float.
//   * integer requantize: q = MBQM(x - zp_in, s_in / s_out) + zp_out, clamped.
#include <cmath>
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"

namespace eir::ref {
namespace {

struct QuantizeState : KernelState {
  QuantizedMultiplier mult;
  int32_t in_zp = 0;
  // float -> int: per-channel
  bool per_channel = false;
  int axis = 0;
  int64_t inner = 1, channels = 1;  // elements after the axis; size of the axis
};

// x86 float -> int32 conversion semantics (cvttsd2si / cvttss2si): out-of-range and NaN give
// INT32_MIN ("integer indefinite").
inline int32_t x86_to_int32(double v) {
  if (!(v >= -2147483648.0 && v < 2147483648.0)) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}

Status quantize_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const DType dt = in.dtype, odt = out.dtype;
  bool ok = false;
  if (dt == DType::kF32) ok = odt == DType::kU8 || odt == DType::kI8 || odt == DType::kI16;
  if (dt == DType::kI8 || dt == DType::kU8) ok = odt == DType::kU8 || odt == DType::kI8 || odt == DType::kI16;
  if (dt == DType::kI16) ok = odt == DType::kI8 || odt == DType::kI16 || odt == DType::kI32;
  if (dt == DType::kI32) ok = odt == DType::kI8 || odt == DType::kI16;
  if (!ok) return unsupported("QUANTIZE from ", dtype_name(dt), " to ", dtype_name(odt));
  auto s = std::make_unique<QuantizeState>();
  // The output has the input's shape; set it first so per-channel checks see the real dims.
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, in.shape));
  QuantCheck ocheck;
  ocheck.allow_per_channel = dt == DType::kF32;
  ocheck.require_zero_point_zero = dt == DType::kI16 && odt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quant_params(out, ctx.describe_output(0), ocheck));
  if (dt == DType::kF32) {
    if (out.quant.per_channel()) {
      s->per_channel = true;
      s->axis = out.quant.axis;
      s->channels = in.dim(s->axis);
      for (int d = s->axis + 1; d < in.rank(); ++d) s->inner *= in.dim(d);
    }
  } else {
    QuantCheck icheck;
    icheck.require_zero_point_zero = dt == DType::kI16 && odt == DType::kI16;
    EIR_RETURN_IF_ERROR(check_quant_params(in, ctx.describe_input(0), icheck));
    s->in_zp = in.quant.zero_point();
    s->mult = quantize_multiplier(static_cast<double>(in.quant.scale()) / static_cast<double>(out.quant.scale()));
  }
  ctx.set_state(std::move(s));
  return Status::Ok();
}

template <class Out>
void quantize_float(const QuantizeState& s, const Tensor& out_t, const float* x, Out* y, int64_t n) {
  const int32_t lo = qmin<Out>(), hi = qmax<Out>();
  if (!s.per_channel) {
    const double scale = static_cast<double>(out_t.quant.scale());
    const int32_t zp = out_t.quant.zero_point();
    for (int64_t i = 0; i < n; ++i) {
      const int32_t q = wrapping_add(x86_to_int32(std::round(static_cast<double>(x[i]) / scale)), zp);
      y[i] = static_cast<Out>(std::min(std::max(q, lo), hi));
    }
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    const size_t c = static_cast<size_t>((i / s.inner) % s.channels);
    const float scale = out_t.quant.scales[c];
    const int32_t zp = out_t.quant.zero_points[c];
    const int32_t q = wrapping_add(x86_to_int32(std::round(x[i] / scale)), zp);  // float division
    y[i] = static_cast<Out>(std::min(std::max(q, lo), hi));
  }
}

template <class In, class Out>
void requantize(const QuantizeState& s, int32_t out_zp, const In* x, Out* y, int64_t n) {
  const int32_t lo = qmin<Out>(), hi = qmax<Out>();
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = wrapping_sub(static_cast<int32_t>(x[i]), s.in_zp);
    const int32_t q = wrapping_add(multiply_by_quantized_multiplier(v, s.mult), out_zp);
    y[i] = static_cast<Out>(std::min(std::max(q, lo), hi));
  }
}

template <class In>
Status requantize_to(const QuantizeState& s, const Tensor& in, Tensor& out, int64_t n) {
  const int32_t zp = out.quant.zero_point();
  switch (out.dtype) {
    case DType::kU8: requantize(s, zp, in.as<In>(), out.as<uint8_t>(), n); break;
    case DType::kI8: requantize(s, zp, in.as<In>(), out.as<int8_t>(), n); break;
    case DType::kI16: requantize(s, zp, in.as<In>(), out.as<int16_t>(), n); break;
    case DType::kI32: requantize(s, zp, in.as<In>(), out.as<int32_t>(), n); break;
    default: return internal_error("quantize: unexpected output dtype");
  }
  return Status::Ok();
}

Status quantize_run(KernelContext& ctx) {
  const QuantizeState& s = *ctx.state<QuantizeState>();
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const int64_t n = in.num_elements();
  switch (in.dtype) {
    case DType::kF32:
      switch (out.dtype) {
        case DType::kU8: quantize_float(s, out, in.as<float>(), out.as<uint8_t>(), n); break;
        case DType::kI8: quantize_float(s, out, in.as<float>(), out.as<int8_t>(), n); break;
        case DType::kI16: quantize_float(s, out, in.as<float>(), out.as<int16_t>(), n); break;
        default: return internal_error("quantize: unexpected output dtype");
      }
      return Status::Ok();
    case DType::kU8: return requantize_to<uint8_t>(s, in, out, n);
    case DType::kI8: return requantize_to<int8_t>(s, in, out, n);
    case DType::kI16: return requantize_to<int16_t>(s, in, out, n);
    case DType::kI32: return requantize_to<int32_t>(s, in, out, n);
    default: return internal_error("quantize: unexpected input dtype");
  }
}

}  // namespace

Kernel quantize_kernel() { return Kernel{"reference/quantize", quantize_prepare, quantize_run}; }

}  // namespace eir::ref
