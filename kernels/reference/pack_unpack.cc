// PACK (stack N same-shaped tensors along a new axis) and UNPACK (split a tensor into its slices
// along an axis, dropping that axis), any dtype. As in TFLite, quantized tensors must all carry
// the output's scale and zero point: these ops only move bytes and never requantize.
#include <cstring>
#include <memory>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

struct BlockCopyState : KernelState {
  size_t outer = 0;        // product of the dims before the axis
  size_t block_bytes = 0;  // bytes of one slice: product of the dims after the axis * elem size
};

Status expect_same_quant(const KernelContext& ctx, const Tensor& t, const std::string& what, const Tensor& out) {
  if (t.quant.scale() != out.quant.scale() || t.quant.zero_point() != out.quant.zero_point())
    return unsupported(what, " has scale ", t.quant.scale(), " / zero point ", t.quant.zero_point(),
                       " but the output has ", out.quant.scale(), " / ", out.quant.zero_point(),
                       "; requantizing is not supported by this op");
  return Status::Ok();
}

Status pack_prepare(KernelContext& ctx) {
  const auto* pp = ctx.node().params_as<PackParams>();
  const PackParams p = pp ? *pp : PackParams{};
  const int n = ctx.num_inputs();
  if (n < 1) return invalid_model("PACK needs at least 1 input");
  if (pp && p.values_count != n) return invalid_model("PACK values_count is ", p.values_count, " but it has ", n, " inputs");
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(n, n));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& t0 = ctx.input(0);
  const Tensor& out = ctx.output(0);
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, t0.dtype));
  for (int i = 0; i < n; ++i) {
    EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(i, t0.dtype));
    if (ctx.input(i).shape != t0.shape)
      return invalid_model(ctx.describe_input(i), " must have the shape of input 0, ", shape_to_string(t0.shape));
    EIR_RETURN_IF_ERROR(expect_same_quant(ctx, ctx.input(i), ctx.describe_input(i), out));
  }
  int axis = 0;
  if (!normalize_axis(p.axis, t0.rank() + 1, &axis))
    return invalid_model("PACK axis ", p.axis, " is out of range for inputs of rank ", t0.rank());
  Shape out_shape = t0.shape;
  out_shape.insert(out_shape.begin() + axis, n);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<BlockCopyState>();
  state->outer = static_cast<size_t>(dims_product(t0.shape, 0, axis));
  state->block_bytes = static_cast<size_t>(dims_product(t0.shape, axis, t0.rank())) * dtype_size(t0.dtype);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status pack_run(KernelContext& ctx) {
  const BlockCopyState& st = *ctx.state<BlockCopyState>();
  uint8_t* out = ctx.output(0).data;
  if (st.block_bytes == 0) return Status::Ok();
  for (size_t o = 0; o < st.outer; ++o) {
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      std::memcpy(out, ctx.input(i).data + o * st.block_bytes, st.block_bytes);
      out += st.block_bytes;
    }
  }
  return Status::Ok();
}

Status unpack_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  const Tensor& in = ctx.input(0);
  const auto* pp = ctx.node().params_as<UnpackParams>();
  const UnpackParams p = pp ? *pp : UnpackParams{};
  int axis = 0;
  if (!normalize_axis(p.axis, in.rank(), &axis))
    return invalid_model("UNPACK axis ", p.axis, " is out of range for ", ctx.describe_input(0));
  const int count = in.dim(axis);
  if (pp && p.num != count) return invalid_model("UNPACK num is ", p.num, " but dim ", axis, " of the input is ", count);
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(count));
  Shape out_shape = in.shape;
  out_shape.erase(out_shape.begin() + axis);
  for (int i = 0; i < count; ++i) {
    EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, i, in.dtype));
    EIR_RETURN_IF_ERROR(expect_same_quant(ctx, in, ctx.describe_input(0), ctx.output(i)));
    EIR_RETURN_IF_ERROR(ctx.set_output_shape(i, out_shape));
  }
  auto state = std::make_unique<BlockCopyState>();
  state->outer = static_cast<size_t>(dims_product(in.shape, 0, axis));
  state->block_bytes = static_cast<size_t>(dims_product(in.shape, axis + 1, in.rank())) * dtype_size(in.dtype);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status unpack_run(KernelContext& ctx) {
  const BlockCopyState& st = *ctx.state<BlockCopyState>();
  const uint8_t* in = ctx.input(0).data;
  const int count = ctx.num_outputs();
  if (st.block_bytes == 0) return Status::Ok();
  for (size_t o = 0; o < st.outer; ++o) {
    for (int i = 0; i < count; ++i) {
      std::memcpy(ctx.output(i).data + o * st.block_bytes, in, st.block_bytes);
      in += st.block_bytes;
    }
  }
  return Status::Ok();
}

}  // namespace

void register_pack_unpack_kernels(KernelRegistry& r) {
  add_for_movement_dtypes(r, BuiltinOp::kPack, 5, Kernel{"reference/pack", &pack_prepare, &pack_run});
  add_for_movement_dtypes(r, BuiltinOp::kUnpack, 6, Kernel{"reference/unpack", &unpack_prepare, &unpack_run});
}

}  // namespace eir::ref
