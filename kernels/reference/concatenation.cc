// CONCATENATION of float32 / int32 / int64 / bool tensors along one axis: a plain copy. The
// int8/uint8/int16 kernels (which may requantize inputs) are registered by register_quantized.cc.
// Like TFLite, a fused activation other than NONE is refused.
#include <cstring>
#include <memory>
#include <vector>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

struct ConcatState : KernelState {
  size_t outer = 0;                   // product of the dims before the axis
  std::vector<size_t> chunk_bytes;    // per input: its axis dim * inner size * element size
};

Status concat_prepare(KernelContext& ctx) {
  if (ctx.num_inputs() < 1) return invalid_model("CONCATENATION needs at least 1 input");
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(ctx.num_inputs(), ctx.num_inputs()));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const auto* params = ctx.node().params_as<ConcatParams>();
  const ConcatParams p = params ? *params : ConcatParams{};
  if (p.activation != Activation::kNone)
    return unsupported("CONCATENATION with a fused activation is not supported (TFLite refuses it too)");
  const Tensor& t0 = ctx.input(0);
  const int rank = t0.rank();
  int axis = 0;
  if (!normalize_axis(p.axis, rank, &axis))
    return invalid_model("CONCATENATION axis ", p.axis, " is out of range for rank ", rank);
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, t0.dtype));
  Shape out_shape = t0.shape;
  int64_t axis_total = 0;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(i, t0.dtype));
    const Tensor& t = ctx.input(i);
    if (t.rank() != rank)
      return invalid_model(ctx.describe_input(i), " must have rank ", rank, " like input 0, got ", t.rank());
    for (int d = 0; d < rank; ++d) {
      if (d != axis && t.dim(d) != t0.dim(d))
        return invalid_model(ctx.describe_input(i), " dim ", d, " is ", t.dim(d), " but input 0 has ", t0.dim(d));
    }
    axis_total += t.dim(axis);
    if (axis_total > INT32_MAX) return invalid_model("CONCATENATION output dim ", axis, " overflows");
  }
  out_shape[static_cast<size_t>(axis)] = static_cast<int32_t>(axis_total);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));

  auto state = std::make_unique<ConcatState>();
  state->outer = static_cast<size_t>(dims_product(t0.shape, 0, axis));
  const size_t inner = static_cast<size_t>(dims_product(t0.shape, axis + 1, rank)) * dtype_size(t0.dtype);
  for (int i = 0; i < ctx.num_inputs(); ++i)
    state->chunk_bytes.push_back(static_cast<size_t>(ctx.input(i).dim(axis)) * inner);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status concat_run(KernelContext& ctx) {
  const ConcatState& st = *ctx.state<ConcatState>();
  uint8_t* out = ctx.output(0).data;
  const int n = ctx.num_inputs();
  for (size_t o = 0; o < st.outer; ++o) {
    for (int i = 0; i < n; ++i) {
      const size_t bytes = st.chunk_bytes[static_cast<size_t>(i)];
      if (bytes == 0) continue;
      std::memcpy(out, ctx.input(i).data + o * bytes, bytes);
      out += bytes;
    }
  }
  return Status::Ok();
}

}  // namespace

void register_concatenation_kernels(KernelRegistry& r) {
  const Kernel k{"reference/concatenation", &concat_prepare, &concat_run};
  add_for_dtypes(r, BuiltinOp::kConcatenation, {DType::kF32, DType::kI32, DType::kI64, DType::kBool}, 7, k);
}

}  // namespace eir::ref
