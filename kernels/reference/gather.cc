// GATHER (with axis and batch_dims) and GATHER_ND, any data dtype, indices int16/int32/int64.
// Indices are data: every one is checked at run time and an out-of-range or negative index is a
// run-time error (as in TFLite), before anything is written.
#include <cstring>
#include <memory>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

bool is_index_dtype(DType d) { return d == DType::kI16 || d == DType::kI32 || d == DType::kI64; }

inline int64_t index_at(const Tensor& t, size_t i) {
  switch (t.dtype) {
    case DType::kI16: return t.as<const int16_t>()[i];
    case DType::kI32: return t.as<const int32_t>()[i];
    default: return t.as<const int64_t>()[i];
  }
}

// ---- GATHER ----

struct GatherState : KernelState {
  size_t batch = 0, outer = 0, coords = 0, inner_bytes = 0;
  int64_t axis_size = 0;
};

Status gather_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  const Tensor& pos = ctx.input(1);
  if (!is_index_dtype(pos.dtype))
    return invalid_model(ctx.describe_input(1), ": GATHER indices must be int16, int32 or int64");
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  const auto* pp = ctx.node().params_as<GatherParams>();
  const GatherParams p = pp ? *pp : GatherParams{};
  int axis = 0;
  if (!normalize_axis(p.axis, in.rank(), &axis))
    return invalid_model("GATHER axis ", p.axis, " is out of range for ", ctx.describe_input(0));
  int batch_dims = p.batch_dims < 0 ? p.batch_dims + pos.rank() : p.batch_dims;
  if (batch_dims < 0 || batch_dims > axis || batch_dims >= in.rank() || batch_dims > pos.rank())
    return invalid_model("GATHER batch_dims ", p.batch_dims, " is invalid for axis ", axis, ", ", ctx.describe_input(0),
                         " and ", ctx.describe_input(1));
  for (int d = 0; d < batch_dims; ++d)
    if (in.dim(d) != pos.dim(d))
      return invalid_model("GATHER batch dim ", d, " differs: ", in.dim(d), " in the input vs ", pos.dim(d),
                           " in the indices");
  Shape out_shape(in.shape.begin(), in.shape.begin() + axis);
  out_shape.insert(out_shape.end(), pos.shape.begin() + batch_dims, pos.shape.end());
  out_shape.insert(out_shape.end(), in.shape.begin() + axis + 1, in.shape.end());
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<GatherState>();
  state->batch = static_cast<size_t>(dims_product(in.shape, 0, batch_dims));
  state->outer = static_cast<size_t>(dims_product(in.shape, batch_dims, axis));
  state->axis_size = in.dim(axis);
  state->coords = static_cast<size_t>(dims_product(pos.shape, batch_dims, pos.rank()));
  state->inner_bytes = static_cast<size_t>(dims_product(in.shape, axis + 1, in.rank())) * dtype_size(in.dtype);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status gather_run(KernelContext& ctx) {
  const GatherState& st = *ctx.state<GatherState>();
  const Tensor& pos = ctx.input(1);
  const size_t num_indices = element_count(pos);
  for (size_t i = 0; i < num_indices; ++i) {
    const int64_t v = index_at(pos, i);
    if (v < 0 || v >= st.axis_size)
      return invalid_argument("GATHER index ", v, " at position ", i, " of ", ctx.describe_input(1),
                              " is out of range [0, ", st.axis_size, ")");
  }
  const uint8_t* in = ctx.input(0).data;
  uint8_t* out = ctx.output(0).data;
  const size_t inner = st.inner_bytes;
  const size_t axis_size = static_cast<size_t>(st.axis_size);
  for (size_t b = 0; b < st.batch; ++b) {
    for (size_t o = 0; o < st.outer; ++o) {
      const uint8_t* src = in + (b * st.outer + o) * axis_size * inner;
      for (size_t c = 0; c < st.coords; ++c) {
        const size_t idx = static_cast<size_t>(index_at(pos, b * st.coords + c));
        if (inner) std::memcpy(out, src + idx * inner, inner);
        out += inner;
      }
    }
  }
  return Status::Ok();
}

// ---- GATHER_ND ----

constexpr int kMaxNdDepth = 8;

struct GatherNdState : KernelState {
  size_t num_slices = 0, slice_bytes = 0;
  int depth = 0;
  int64_t dims[kMaxNdDepth] = {};     // params dims addressed by an index tuple
  int64_t strides[kMaxNdDepth] = {};  // their strides in slices
};

Status gather_nd_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& params = ctx.input(0);
  const Tensor& idx = ctx.input(1);
  if (!is_index_dtype(idx.dtype))
    return invalid_model(ctx.describe_input(1), ": GATHER_ND indices must be int16, int32 or int64");
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, params.dtype));
  if (params.rank() < 1) return invalid_model(ctx.describe_input(0), ": GATHER_ND params must be at least a vector");
  if (idx.rank() < 1) return invalid_model(ctx.describe_input(1), ": GATHER_ND indices must be at least a vector");
  const int depth = idx.dim(idx.rank() - 1);
  if (depth < 0 || depth > params.rank())
    return invalid_model("GATHER_ND index depth ", depth, " must be in [0, params rank ", params.rank(), "]");
  if (depth > kMaxNdDepth) return unsupported("GATHER_ND index depth ", depth, " (max ", kMaxNdDepth, ")");
  Shape out_shape(idx.shape.begin(), idx.shape.end() - 1);
  out_shape.insert(out_shape.end(), params.shape.begin() + depth, params.shape.end());
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  auto state = std::make_unique<GatherNdState>();
  state->depth = depth;
  state->num_slices = static_cast<size_t>(dims_product(idx.shape, 0, idx.rank() - 1));
  state->slice_bytes = static_cast<size_t>(dims_product(params.shape, depth, params.rank())) * dtype_size(params.dtype);
  int64_t stride = 1;
  for (int k = depth - 1; k >= 0; --k) {
    state->dims[k] = params.dim(k);
    state->strides[k] = stride;
    stride *= params.dim(k);
  }
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status gather_nd_run(KernelContext& ctx) {
  const GatherNdState& st = *ctx.state<GatherNdState>();
  const Tensor& idx = ctx.input(1);
  const size_t depth = static_cast<size_t>(st.depth);
  for (size_t s = 0; s < st.num_slices; ++s) {
    for (size_t k = 0; k < depth; ++k) {
      const int64_t v = index_at(idx, s * depth + k);
      if (v < 0 || v >= st.dims[k])
        return invalid_argument("GATHER_ND index ", v, " (slice ", s, ", component ", k, ") of ",
                                ctx.describe_input(1), " is out of range [0, ", st.dims[k], ")");
    }
  }
  const uint8_t* in = ctx.input(0).data;
  uint8_t* out = ctx.output(0).data;
  for (size_t s = 0; s < st.num_slices; ++s) {
    int64_t slice = 0;
    for (size_t k = 0; k < depth; ++k) slice += index_at(idx, s * depth + k) * st.strides[k];
    if (st.slice_bytes) std::memcpy(out, in + static_cast<size_t>(slice) * st.slice_bytes, st.slice_bytes);
    out += st.slice_bytes;
  }
  return Status::Ok();
}

}  // namespace

void register_gather_kernels(KernelRegistry& r) {
  add_for_movement_dtypes(r, BuiltinOp::kGather, 8, Kernel{"reference/gather", &gather_prepare, &gather_run});
  add_for_movement_dtypes(r, BuiltinOp::kGatherNd, 6,
                          Kernel{"reference/gather_nd", &gather_nd_prepare, &gather_nd_run});
}

}  // namespace eir::ref
