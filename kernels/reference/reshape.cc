// Shape-only ops whose data is an unchanged copy of the input: RESHAPE, SQUEEZE, EXPAND_DIMS.
// Registered for every data-movement dtype.
#include <cstring>
#include <vector>

#include "kernels/reference/common.h"
#include "kernels/reference/misc_common.h"

namespace eir::ref {
namespace {

// Copies input 0 to output 0 byte for byte (the executor may alias them; memmove is then a no-op).
Status copy_run(KernelContext& ctx) {
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  const size_t bytes = in.bytes();
  if (out.bytes() != bytes) return internal_error("copy: output holds ", out.bytes(), " bytes, input ", bytes);
  if (bytes != 0 && out.data != in.data) std::memmove(out.data, in.data, bytes);
  return Status::Ok();
}

Status expect_same_io_dtype(const KernelContext& ctx) { return expect_output_dtype(ctx, 0, ctx.input(0).dtype); }

// ---- RESHAPE ----

// TFLite's ResolveOutputShape: at most one -1, inferred from the element counts (0 if the input
// is empty); every other dim >= 0; the element counts must match.
Status resolve_reshape(const KernelContext& ctx, const std::vector<int64_t>& requested, Shape* out) {
  const Tensor& in = ctx.input(0);
  const int64_t in_count = in.num_elements();
  int64_t in_nonzero = 1;
  for (int32_t d : in.shape)
    if (d != 0) in_nonzero *= d;  // cannot overflow: in_count did not
  int stretch = -1;
  int64_t out_nonzero = 1, out_count = 1;
  out->assign(requested.size(), 0);
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t v = requested[i];
    if (v == -1) {
      if (stretch != -1) return invalid_model("RESHAPE: the new shape has more than one -1 dim");
      stretch = static_cast<int>(i);
      continue;
    }
    if (v < 0 || v > INT32_MAX) return invalid_model("RESHAPE: the new shape has invalid dim ", v);
    (*out)[i] = static_cast<int32_t>(v);
    if (v != 0 && __builtin_mul_overflow(out_nonzero, v, &out_nonzero))
      return invalid_model("RESHAPE: the new shape overflows");
    if (__builtin_mul_overflow(out_count, v, &out_count)) return invalid_model("RESHAPE: the new shape overflows");
  }
  if (stretch != -1) {
    int64_t inferred = (in_count == 0 && out_count != 0) ? 0 : in_nonzero / out_nonzero;
    if (inferred > INT32_MAX) return invalid_model("RESHAPE: the inferred dim overflows");
    (*out)[static_cast<size_t>(stretch)] = static_cast<int32_t>(inferred);
    out_count *= inferred;
  }
  if (out_count != in_count)
    return invalid_model("RESHAPE: ", ctx.describe_input(0), " has ", in_count, " elements but the new shape ",
                         shape_to_string(*out), " has ", out_count);
  return Status::Ok();
}

Status reshape_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(expect_same_io_dtype(ctx));
  std::vector<int64_t> requested;
  // As in TFLite: a rank-1 int32 shape tensor wins; otherwise the options' new_shape is used,
  // where the legacy value [0] means a scalar.
  if (ctx.has_input(1) && ctx.input(1).rank() == 1 && ctx.input(1).dtype == DType::kI32) {
    EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, "shape", &requested));
  } else {
    if (const auto* p = ctx.node().params_as<ReshapeParams>())
      requested.assign(p->new_shape.begin(), p->new_shape.end());
    if (requested.size() == 1 && requested[0] == 0) requested.clear();
  }
  Shape out;
  EIR_RETURN_IF_ERROR(resolve_reshape(ctx, requested, &out));
  return ctx.set_output_shape(0, out);
}

// ---- SQUEEZE ----

Status squeeze_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(expect_same_io_dtype(ctx));
  const Shape& in = ctx.input(0).shape;
  const int rank = static_cast<int>(in.size());
  std::vector<bool> squeeze(in.size(), false);
  const auto* p = ctx.node().params_as<SqueezeParams>();
  if (p == nullptr || p->squeeze_dims.empty()) {
    for (int d = 0; d < rank; ++d) squeeze[static_cast<size_t>(d)] = in[static_cast<size_t>(d)] == 1;
  } else {
    for (int32_t raw : p->squeeze_dims) {
      int d = 0;
      if (!normalize_axis(raw, rank, &d)) return invalid_model("SQUEEZE dim ", raw, " is out of range for rank ", rank);
      if (in[static_cast<size_t>(d)] != 1)
        return invalid_model("SQUEEZE dim ", raw, " of ", ctx.describe_input(0), " has size ",
                             in[static_cast<size_t>(d)], ", not 1");
      squeeze[static_cast<size_t>(d)] = true;
    }
  }
  Shape out;
  for (int d = 0; d < rank; ++d)
    if (!squeeze[static_cast<size_t>(d)]) out.push_back(in[static_cast<size_t>(d)]);
  return ctx.set_output_shape(0, out);
}

// ---- EXPAND_DIMS ----

Status expand_dims_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(expect_same_io_dtype(ctx));
  int64_t axis = 0;
  EIR_RETURN_IF_ERROR(read_constant_scalar_int(ctx, 1, "axis", &axis));
  const Shape& in = ctx.input(0).shape;
  const int64_t rank = static_cast<int64_t>(in.size());
  if (axis < 0) axis += rank + 1;
  if (axis < 0 || axis > rank) return invalid_model("EXPAND_DIMS axis is out of range for rank ", rank);
  Shape out = in;
  out.insert(out.begin() + axis, 1);
  return ctx.set_output_shape(0, out);
}

}  // namespace

void register_reshape_kernels(KernelRegistry& r) {
  add_for_movement_dtypes(r, BuiltinOp::kReshape, 1, Kernel{"reference/reshape", &reshape_prepare, &copy_run});
  add_for_movement_dtypes(r, BuiltinOp::kSqueeze, 2, Kernel{"reference/squeeze", &squeeze_prepare, &copy_run});
  add_for_movement_dtypes(r, BuiltinOp::kExpandDims, 1,
                          Kernel{"reference/expand_dims", &expand_dims_prepare, &copy_run});
}

}  // namespace eir::ref
