// SHAPE (the input's dims as an int32 or int64 vector; its value depends only on the input's
// shape, so the executor may fold it at prepare time) and SPLIT (even split along a constant
// axis, any data dtype).
#include <cstring>
#include <memory>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

// ---- SHAPE ----

Status shape_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType out = ctx.output(0).dtype;
  if (out != DType::kI32 && out != DType::kI64)
    return invalid_model(ctx.describe_output(0), ": SHAPE output must be int32 or int64");
  if (const auto* p = ctx.node().params_as<ShapeParams>()) {
    if (p->out_type != 0 && p->out_type != static_cast<int>(out))
      return invalid_model("SHAPE out_type ", dtype_name(static_cast<DType>(p->out_type)), " does not match ",
                           ctx.describe_output(0));
  }
  return ctx.set_output_shape(0, Shape{static_cast<int32_t>(ctx.input(0).rank())});
}

Status shape_run(KernelContext& ctx) {
  const Shape& in = ctx.input(0).shape;
  Tensor& out = ctx.output(0);
  for (size_t i = 0; i < in.size(); ++i) {
    if (out.dtype == DType::kI32)
      out.as<int32_t>()[i] = in[i];
    else
      out.as<int64_t>()[i] = in[i];
  }
  return Status::Ok();
}

// ---- SPLIT: inputs (axis, data) ----

struct SplitState : KernelState {
  size_t outer = 0;        // product of the dims before the axis
  size_t chunk_bytes = 0;  // bytes of one output per outer index
};

Status split_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  const Tensor& in = ctx.input(1);
  const auto* pp = ctx.node().params_as<SplitParams>();
  const int num_splits = pp ? pp->num_splits : ctx.num_outputs();
  if (num_splits <= 0) return invalid_model("SPLIT num_splits must be positive, got ", num_splits);
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(num_splits));
  int64_t raw_axis = 0;
  EIR_RETURN_IF_ERROR(read_constant_scalar_int(ctx, 0, "axis", &raw_axis));
  int axis = 0;
  if (raw_axis < -in.rank() || raw_axis >= in.rank() || !normalize_axis(static_cast<int>(raw_axis), in.rank(), &axis))
    return invalid_model("SPLIT axis ", raw_axis, " is out of range for ", ctx.describe_input(1));
  if (in.dim(axis) % num_splits != 0)
    return invalid_model("SPLIT: dim ", axis, " of ", ctx.describe_input(1), " does not split evenly into ", num_splits);
  Shape out_shape = in.shape;
  out_shape[static_cast<size_t>(axis)] = in.dim(axis) / num_splits;
  for (int i = 0; i < num_splits; ++i) {
    EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, i, in.dtype));
    EIR_RETURN_IF_ERROR(ctx.set_output_shape(i, out_shape));
  }
  auto state = std::make_unique<SplitState>();
  state->outer = static_cast<size_t>(dims_product(in.shape, 0, axis));
  state->chunk_bytes = static_cast<size_t>(dims_product(out_shape, axis, in.rank())) * dtype_size(in.dtype);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status split_run(KernelContext& ctx) {
  const SplitState& st = *ctx.state<SplitState>();
  const uint8_t* in = ctx.input(1).data;
  if (st.chunk_bytes == 0) return Status::Ok();
  for (size_t o = 0; o < st.outer; ++o) {
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      std::memcpy(ctx.output(i).data + o * st.chunk_bytes, in, st.chunk_bytes);
      in += st.chunk_bytes;
    }
  }
  return Status::Ok();
}

}  // namespace

void register_shape_kernels(KernelRegistry& r) {
  r.add(BuiltinOp::kShape, DType::kUnknown, 1, Kernel{"reference/shape", &shape_prepare, &shape_run});
  // SPLIT's first input is the int32 axis, so that is its registry key; any data dtype works.
  r.add(BuiltinOp::kSplit, DType::kI32, 5, Kernel{"reference/split", &split_prepare, &split_run});
}

}  // namespace eir::ref
