// What the float and quantized MEAN reference kernels share: reading and resolving the constant
// axis input into the output shape, and visiting the input in row-major order with each element's
// output index (the order TFLite's reducers accumulate in).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/reference/spatial_util.h"

namespace eir::ref {

constexpr int kMaxMeanRank = 8;

struct MeanAxes {
  bool reduced[kMaxMeanRank] = {false};
  int64_t count = 1;  // input elements per output element
};

// Reads input 1 (constant int32 axes; negative count from the end; repeats ignored) for input 0
// and computes the output shape (reduced dims dropped, or kept as 1 with keep_dims). `resolved`,
// when given, gets the distinct axes in the order given (TFLite's ResolveAxisForShape). With
// scalar_ignores_axes, a rank-0 input ignores its axes (the float kernel, as TFLite); otherwise
// every axis is out of range for it.
inline Status resolve_mean_axes(const KernelContext& ctx, bool keep_dims, bool scalar_ignores_axes, MeanAxes* out,
                                Shape* out_shape, std::vector<int>* resolved = nullptr) {
  const Tensor& in = ctx.input(0);
  const int rank = in.rank();
  if (rank > kMaxMeanRank) return unsupported(ctx.describe_input(0), ": MEAN supports rank <= ", kMaxMeanRank);
  std::vector<int64_t> axes;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, /*allow_int64=*/false, &axes));
  if (rank == 0 && scalar_ignores_axes) axes.clear();
  for (int64_t a : axes) {
    int axis = 0;
    if (a < -rank || a >= rank || !normalize_axis(static_cast<int>(a), rank, &axis))
      return invalid_model(ctx.describe_input(1), ": axis ", a, " is out of range for rank ", rank);
    if (resolved != nullptr && !out->reduced[axis]) resolved->push_back(axis);
    out->reduced[axis] = true;
  }
  out_shape->clear();
  for (int d = 0; d < rank; ++d) {
    if (!out->reduced[d]) out_shape->push_back(in.dim(d));
    else if (keep_dims) out_shape->push_back(1);
    if (out->reduced[d]) out->count *= in.dim(d);  // <= element count, no overflow
  }
  return Status::Ok();
}

// Calls visit(o, i) for every input element i, in input order, with o its output's index.
template <class Visit>
void for_each_mean_element(const Tensor& in, const MeanAxes& axes, Visit&& visit) {
  const int rank = in.rank();
  // Output stride of each input dim: 0 for reduced dims (all their elements share an output).
  int64_t out_stride[kMaxMeanRank] = {0};
  int64_t stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (axes.reduced[d]) continue;
    out_stride[d] = stride;
    stride *= in.dim(d);
  }
  const int64_t total = in.num_elements();
  int64_t idx[kMaxMeanRank] = {0};
  int64_t o = 0;
  for (int64_t i = 0; i < total; ++i) {
    visit(o, i);
    for (int d = rank - 1; d >= 0; --d) {
      o += out_stride[d];
      if (++idx[d] < in.dim(d)) break;
      o -= out_stride[d] * idx[d];
      idx[d] = 0;
    }
  }
}

}  // namespace eir::ref
