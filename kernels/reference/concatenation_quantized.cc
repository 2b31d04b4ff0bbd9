// CONCATENATION, quantized: uint8, int8, int16, as TFLite's kernel:
//   * uint8: inputs whose scale / zero point differ from the output's are requantized in float
//     (ConcatenationWithScaling): q = round(x * (s_in * (1 / s_out)) + (-zp_in * scale)) + zp_out,
//     clamped to [0, 255]; others are copied.
//   * int8: every input must already have the output's scale and zero point (TFLite rejects
//     anything else); the data is copied.
//   * int16: zero points must be 0; the data is copied (TFLite does not rescale int16 inputs).
// The fused activation must be NONE.
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct ConcatQState : KernelState {
  int axis = 0;
  int64_t outer = 1, inner = 1;  // product of dims before / after the axis
};

Status concat_q_prepare(KernelContext& ctx) {
  const ConcatParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  if (ctx.num_inputs() < 1) return invalid_model("CONCATENATION needs at least one input");
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(ctx.num_inputs(), ctx.num_inputs()));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  if (p->activation != Activation::kNone)
    return unsupported("CONCATENATION with a fused activation (TFLite accepts only NONE)");
  const Tensor& t0 = ctx.input(0);
  const DType dt = t0.dtype;
  if (!is_quantized_activation_dtype(dt))
    return unsupported(ctx.describe_input(0), ": quantized CONCATENATION takes uint8, int8 or int16");
  const Tensor& out = ctx.output(0);
  const bool is16 = dt == DType::kI16;
  EIR_RETURN_IF_ERROR(check_quantized_output(ctx, 0, dt, is16));
  auto s = std::make_unique<ConcatQState>();
  if (t0.rank() == 0) return unsupported(ctx.describe_input(0), ": concatenation of scalars");
  if (!normalize_axis(p->axis, t0.rank(), &s->axis))
    return invalid_model("concatenation axis ", p->axis, " is out of range for rank ", t0.rank());
  Shape out_shape = t0.shape;
  int64_t sum_axis = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    EIR_RETURN_IF_ERROR(check_quantized_input(ctx, i, dt, is16));
    const Tensor& t = ctx.input(i);
    if (t.rank() != t0.rank())
      return invalid_model(ctx.describe_input(i), " has rank ", t.rank(), ", expected ", t0.rank());
    for (int d = 0; d < t0.rank(); ++d) {
      if (d != s->axis && t.dim(d) != t0.dim(d))
        return invalid_model(ctx.describe_input(i), " has dim ", d, " = ", t.dim(d), ", expected ", t0.dim(d));
    }
    sum_axis += t.dim(s->axis);
    if (dt == DType::kI8 && (t.quant.scale() != out.quant.scale() || t.quant.zero_point() != out.quant.zero_point()))
      return invalid_model(ctx.describe_input(i), ": int8 CONCATENATION inputs must have the output's scale and zero point");
  }
  if (sum_axis > INT32_MAX) return invalid_model("concatenated dim is too large");
  out_shape[static_cast<size_t>(s->axis)] = static_cast<int32_t>(sum_axis);
  for (int d = 0; d < s->axis; ++d) s->outer *= t0.dim(d);
  for (int d = s->axis + 1; d < t0.rank(); ++d) s->inner *= t0.dim(d);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

Status concat_q_run(KernelContext& ctx) {
  const ConcatQState& s = *ctx.state<ConcatQState>();
  Tensor& out = ctx.output(0);
  const size_t elem = dtype_size(out.dtype);
  uint8_t* dst = out.data;
  const float out_scale = out.quant.scale();
  const int32_t out_zp = out.quant.zero_point();
  const float inverse_output_scale = 1.f / out_scale;
  for (int64_t k = 0; k < s.outer; ++k) {
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor& t = ctx.input(i);
      const int64_t count = t.dim(s.axis) * s.inner;
      const uint8_t* src = t.data + static_cast<size_t>(k * count) * elem;
      const bool rescale =
          out.dtype == DType::kU8 && (t.quant.zero_point() != out_zp || t.quant.scale() != out_scale);
      if (!rescale) {
        std::memcpy(dst, src, static_cast<size_t>(count) * elem);
      } else {
        const float scale = t.quant.scale() * inverse_output_scale;
        const float bias = static_cast<float>(-t.quant.zero_point()) * scale;
        for (int64_t j = 0; j < count; ++j) {
          // Two float roundings (product, then sum), as TFLite on x86 (no FMA contraction).
          const float prod = static_cast<float>(src[j]) * scale;
          const float sum = prod + bias;
          const int32_t v = static_cast<int32_t>(std::round(sum)) + out_zp;
          dst[j] = static_cast<uint8_t>(std::max<int32_t>(std::min<int32_t>(255, v), 0));
        }
      }
      dst += static_cast<size_t>(count) * elem;
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel concatenation_quantized_kernel() {
  return Kernel{"reference/concatenation_quantized", concat_q_prepare, concat_q_run};
}

}  // namespace eir::ref
