// STRIDED_SLICE and SLICE, any dtype: both reduce, at prepare, to a start offset plus a
// (count, step) pair per dim, which run() walks with an odometer.
//
// STRIDED_SLICE follows TFLite's strided_slice.cc: new_axis and ellipsis masks are first turned
// into an "effective" input shape (new axes become size-1 dims, the ellipsis expands to full
// ranges), then each effective dim gets TFLite's StartForAxis/EndForAxis clamping (negative
// indices count from the end; positive strides clamp to [0, n], negative ones to [-1, n-1];
// begin/end masks take the whole range; offset=true makes end relative to begin).
// Deviations, all in cases where TFLite would write an output inconsistent with its own shape:
// a shrink_axis index outside the dim is an error here, and the output dims are always
// computed from the clamped ranges that are actually copied.
#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "kernels/reference/misc_common.h"
#include "kernels/reference/strided_copy.h"

namespace eir::ref {
namespace {

inline int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }
inline bool bit(uint32_t mask, int i) { return i >= 0 && i < 32 && ((mask >> i) & 1u) != 0; }

// ---- STRIDED_SLICE ----

struct AxisSpec {
  int64_t begin = 0, end = 0, stride = 1;
  bool begin_mask = false, end_mask = false, shrink = false;
};

Status strided_slice_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(4, 4));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& input = ctx.input(0);
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, input.dtype));
  for (int i = 1; i <= 3; ++i)
    if (ctx.input(i).rank() != 1) return invalid_model(ctx.describe_input(i), " must have rank 1");
  std::vector<int64_t> begin, end, strides;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, "begin", &begin));
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 2, "end", &end));
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 3, "strides", &strides));
  const int n = static_cast<int>(begin.size());
  if (end.size() != begin.size() || strides.size() != begin.size())
    return invalid_model("STRIDED_SLICE begin, end and strides must have the same length, got ", begin.size(), ", ",
                         end.size(), ", ", strides.size());
  if (n > 31) return invalid_model("STRIDED_SLICE supports at most 31 indices, got ", n);
  const auto* pp = ctx.node().params_as<StridedSliceParams>();
  const StridedSliceParams p = pp ? *pp : StridedSliceParams{};
  const uint32_t ellipsis_mask = static_cast<uint32_t>(p.ellipsis_mask);
  const uint32_t new_axis_mask = static_cast<uint32_t>(p.new_axis_mask);
  if (__builtin_popcount(ellipsis_mask & ((n >= 32) ? ~0u : ((1u << n) - 1))) > 1)
    return invalid_model("STRIDED_SLICE: more than one ellipsis in the slice spec");
  const int in_rank = input.rank();

  // New axes requested outside the ellipsis each add a dim to the effective input.
  int num_add_axis = 0;
  for (int i = 0; i < n; ++i)
    if (!bit(ellipsis_mask, i) && bit(new_axis_mask, i)) ++num_add_axis;
  const int eff_dims = in_rank + num_add_axis;
  if (eff_dims > kMaxCopyDims) return unsupported("STRIDED_SLICE over ", eff_dims, " dims (max ", kMaxCopyDims, ")");

  // Which effective dims the ellipsis covers and which are new axes (TFLite's mapping).
  uint32_t eff_ellipsis = 0, eff_new_axis = 0;
  int ellipsis_start = eff_dims, expanded = 0;
  for (int i = 0; i < eff_dims;) {
    if (bit(ellipsis_mask, i)) {
      ellipsis_start = i;
      const int ellipsis_end = std::max(i + 1, std::min(i + 1 + num_add_axis + in_rank - n, eff_dims));
      expanded = ellipsis_end - ellipsis_start - 1;
      for (; i < ellipsis_end; ++i) eff_ellipsis |= 1u << i;
      continue;
    }
    if (bit(new_axis_mask, i - expanded)) eff_new_axis |= 1u << i;
    ++i;
  }

  Shape eff_shape(static_cast<size_t>(eff_dims), 1);
  std::vector<AxisSpec> spec(static_cast<size_t>(eff_dims));
  int added_axes = 0;
  for (int i = 0; i < eff_dims; ++i) {
    AxisSpec& s = spec[static_cast<size_t>(i)];
    if (bit(eff_new_axis, i) && !bit(eff_ellipsis, i)) {
      s.begin = 0;
      s.end = 1;
      eff_shape[static_cast<size_t>(i)] = 1;
      ++added_axes;
      continue;
    }
    const int in_dim = i - added_axes;
    if (in_dim < 0 || in_dim >= in_rank)
      return invalid_model("STRIDED_SLICE: the slice spec does not fit ", ctx.describe_input(0));
    eff_shape[static_cast<size_t>(i)] = input.dim(in_dim);
    if (bit(eff_ellipsis, i) || i >= n + expanded) {
      s.begin_mask = s.end_mask = true;  // a full range
      continue;
    }
    const int orig = i > ellipsis_start ? i - expanded : i;
    if (orig < 0 || orig >= n) return internal_error("STRIDED_SLICE: spec index ", orig, " out of range");
    s.begin = begin[static_cast<size_t>(orig)];
    s.end = end[static_cast<size_t>(orig)];
    s.stride = strides[static_cast<size_t>(orig)];
    s.begin_mask = bit(static_cast<uint32_t>(p.begin_mask), orig);
    s.end_mask = bit(static_cast<uint32_t>(p.end_mask), orig);
    s.shrink = bit(static_cast<uint32_t>(p.shrink_axis_mask), orig);
  }

  auto state = std::make_unique<StridedCopyState>();
  state->rank = eff_dims;
  state->elem = dtype_size(input.dtype);
  int64_t in_strides[kMaxCopyDims] = {};
  row_major_strides(eff_shape, in_strides);
  Shape out_shape;
  for (int i = 0; i < eff_dims; ++i) {
    const AxisSpec& s = spec[static_cast<size_t>(i)];
    const int64_t size = eff_shape[static_cast<size_t>(i)];
    if (s.stride == 0) return invalid_model("STRIDED_SLICE: stride ", i, " is 0");
    if (s.stride < -INT32_MAX || s.stride > INT32_MAX) return invalid_model("STRIDED_SLICE: stride out of range");
    // StartForAxis
    int64_t start = s.begin < 0 ? s.begin + size : s.begin;
    start = s.stride > 0 ? clamp64(start, 0, size) : clamp64(start, -1, size - 1);
    if (s.begin_mask) start = s.stride > 0 ? 0 : size - 1;
    int64_t count = 0;
    if (s.shrink) {
      if (start < 0 || start >= size)
        return invalid_model("STRIDED_SLICE: shrink_axis index ", s.begin, " is out of range for dim ", i, " of size ",
                             size);
      count = 1;
    } else {
      // EndForAxis
      int64_t stop = p.offset ? s.end + start : s.end;
      if (stop < 0) stop += size;
      stop = s.stride > 0 ? clamp64(stop, 0, size) : clamp64(stop, -1, size - 1);
      if (s.end_mask) stop = s.stride > 0 ? size : -1;
      const int64_t len = stop - start;
      if (len != 0 && (len < 0) == (s.stride < 0)) count = (len - (s.stride > 0 ? 1 : -1)) / s.stride + 1;
      out_shape.push_back(static_cast<int32_t>(count));
    }
    if (count > 0) state->start += start * in_strides[i];
    state->count[i] = count;
    state->step[i] = s.stride * in_strides[i];
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

// ---- SLICE ----

Status slice_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(3, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& input = ctx.input(0);
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, input.dtype));
  const int rank = input.rank();
  if (rank > kMaxCopyDims) return unsupported("SLICE over ", rank, " dims (max ", kMaxCopyDims, ")");
  std::vector<int64_t> begin, size;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, "begin", &begin));
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 2, "size", &size));
  if (begin.size() != static_cast<size_t>(rank) || size.size() != static_cast<size_t>(rank))
    return invalid_model("SLICE begin and size must have ", rank, " elements (the input rank), got ", begin.size(),
                         " and ", size.size());
  auto state = std::make_unique<StridedCopyState>();
  state->rank = rank;
  state->elem = dtype_size(input.dtype);
  int64_t in_strides[kMaxCopyDims] = {};
  row_major_strides(input.shape, in_strides);
  Shape out_shape;
  for (int d = 0; d < rank; ++d) {
    const int64_t dim = input.dim(d);
    const int64_t b = begin[static_cast<size_t>(d)];
    int64_t s = size[static_cast<size_t>(d)];
    if (b < 0 || b > dim) return invalid_model("SLICE begin ", b, " is out of range for dim ", d, " of size ", dim);
    if (s == -1) s = dim - b;  // -1: everything from begin on
    if (s < 0 || b + s > dim)
      return invalid_model("SLICE begin ", b, " and size ", size[static_cast<size_t>(d)], " do not fit dim ", d,
                           " of size ", dim);
    out_shape.push_back(static_cast<int32_t>(s));
    state->start += b * in_strides[d];
    state->count[d] = s;
    state->step[d] = in_strides[d];
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

}  // namespace

void register_slice_kernels(KernelRegistry& r) {
  add_for_movement_dtypes(r, BuiltinOp::kStridedSlice, 8,
                          Kernel{"reference/strided_slice", &strided_slice_prepare, &strided_copy_run});
  add_for_movement_dtypes(r, BuiltinOp::kSlice, 8, Kernel{"reference/slice", &slice_prepare, &strided_copy_run});
}

}  // namespace eir::ref
