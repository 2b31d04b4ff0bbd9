// TRANSPOSE, any dtype: output dim i is input dim perm[i]. perm must be a constant permutation
// of [0, rank), negative entries counting from the end as in TFLite (a repeated entry would make
// the copy read outside the input, so it is refused).
#include <memory>
#include <vector>

#include "kernels/reference/misc_common.h"
#include "kernels/reference/strided_copy.h"

namespace eir::ref {
namespace {

Status transpose_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  const int rank = in.rank();
  if (rank > kMaxCopyDims) return unsupported("TRANSPOSE of rank ", rank, " (max ", kMaxCopyDims, ")");
  std::vector<int64_t> perm;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, "perm", &perm));
  if (perm.size() != static_cast<size_t>(rank))
    return invalid_model("TRANSPOSE perm has ", perm.size(), " entries but ", ctx.describe_input(0), " has rank ", rank);
  bool seen[kMaxCopyDims] = {};
  for (int64_t& p : perm) {
    if (p < 0) p += rank;  // TFLite accepts perm entries in [-rank, rank)
    if (p < 0 || p >= rank || seen[p])
      return invalid_model("TRANSPOSE perm ", ctx.describe_input(1), " is not a permutation of [0, ", rank, ")");
    seen[p] = true;
  }
  int64_t in_strides[kMaxCopyDims] = {};
  row_major_strides(in.shape, in_strides);
  auto state = std::make_unique<StridedCopyState>();
  state->rank = rank;
  state->elem = dtype_size(in.dtype);
  Shape out_shape(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i) {
    const int src = static_cast<int>(perm[static_cast<size_t>(i)]);
    out_shape[static_cast<size_t>(i)] = in.dim(src);
    state->count[i] = in.dim(src);
    state->step[i] = in_strides[src];
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

}  // namespace

void register_transpose_kernels(KernelRegistry& r) {
  add_for_movement_dtypes(r, BuiltinOp::kTranspose, 9,
                          Kernel{"reference/transpose", &transpose_prepare, &strided_copy_run});
}

}  // namespace eir::ref
