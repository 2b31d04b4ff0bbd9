#include "kernels/reference/quantized_common.h"

namespace eir::ref {

Status check_quantized_input(const KernelContext& ctx, int i, DType dtype, bool symmetric) {
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(i, dtype));
  QuantCheck check;
  check.require_zero_point_zero = symmetric;
  return check_quant_params(ctx.input(i), ctx.describe_input(i), check);
}

Status check_quantized_output(const KernelContext& ctx, int i, DType dtype, bool symmetric) {
  const Tensor& out = ctx.output(i);
  if (out.dtype != dtype)
    return invalid_model(ctx.describe_output(i), " must be ", dtype_name(dtype), ", got ", dtype_name(out.dtype));
  QuantCheck check;
  check.require_zero_point_zero = symmetric;
  return check_quant_params(out, ctx.describe_output(i), check);
}

Status prepare_unary_same_shape(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  return ctx.set_output_shape(0, ctx.input(0).shape);
}

}  // namespace eir::ref
