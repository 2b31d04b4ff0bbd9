// PAD and PADV2 float32, rank <= 5 (TFLite's limit). paddings: constant int32/int64 [rank, 2],
// each >= 0. The pad value is PADV2's constant_values, else 0 (float tensors never pad with a
// zero point).
//
// The output is seen as blocks of [rows, cols] (its two innermost dims), split across threads: a
// block outside the input's box is filled with the pad value; one inside gets its top rows
// filled and then, in one microkernel call, each input row with its left and right pad, then its
// bottom rows. Every output byte is written once (the reference fills the whole output first and
// copies over it), and short rows (a channel pad of 24 -> 28) cost no call each.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/f32_misc_util.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

constexpr int kMaxRank = 5;
constexpr int kInput = 0, kPaddings = 1, kConstantValue = 2;
constexpr size_t kFloatsPerTask = 16 * 1024;  // output floats per task, at least one block

// The shape seen as [outer..., rows, cols] (rank < 2 gets leading 1s): blocks of rows x cols.
struct PadState : KernelState {
  const F32MiscConfig* config = nullptr;
  int rank = 0;  // of the original shape (0: a scalar copy)
  int dims = 0;  // >= 2
  int64_t in_dims[kMaxRank] = {0}, out_dims[kMaxRank] = {0}, before[kMaxRank] = {0};
  size_t blocks = 0;  // output blocks (product of the outer output dims)
};

bool pad_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() < 2 || node.inputs.size() > 3 || node.outputs.size() != 1) return false;
  const Tensor* in = tensor_at(node.inputs, tensors, kInput);
  const Tensor* out = tensor_at(node.outputs, tensors, 0);
  return in && out && in->dtype == DType::kF32 && out->dtype == DType::kF32 && in->rank() <= kMaxRank;
}

Status pad_prepare(KernelContext& ctx, const F32MiscConfig& config) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kInput, DType::kF32));
  EIR_RETURN_IF_ERROR(ref::expect_output_dtype(ctx, 0, DType::kF32));
  const Tensor& in = ctx.input(kInput);
  const int rank = in.rank();
  if (rank > kMaxRank) return unsupported(ctx.describe_input(kInput), ": PAD supports rank <= ", kMaxRank);
  std::vector<int64_t> pads;
  EIR_RETURN_IF_ERROR(ref::read_constant_ints(ctx, kPaddings, /*allow_int64=*/true, &pads));
  const Tensor& paddings = ctx.input(kPaddings);
  if (paddings.rank() != 2 || paddings.dim(0) != rank || paddings.dim(1) != 2)
    return invalid_model(ctx.describe_input(kPaddings), " must have shape [", rank, ",2]");
  if (ctx.has_input(kConstantValue)) {
    EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kConstantValue, DType::kF32));
    if (ctx.input(kConstantValue).num_elements() != 1)
      return invalid_model(ctx.describe_input(kConstantValue), " must hold one value");
  }
  auto state = std::make_unique<PadState>();
  state->config = &config;
  state->rank = rank;
  state->dims = std::max(rank, 2);
  const int lead = state->dims - rank;  // leading 1s added for rank < 2
  for (int d = 0; d < lead; ++d) state->in_dims[d] = state->out_dims[d] = 1;
  Shape out_shape(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const int64_t before = pads[2 * static_cast<size_t>(d)], after = pads[2 * static_cast<size_t>(d) + 1];
    if (before < 0 || after < 0 || before > std::numeric_limits<int32_t>::max() ||
        after > std::numeric_limits<int32_t>::max())
      return invalid_model(ctx.describe_input(kPaddings), ": paddings of dim ", d, " must be in [0, 2^31), got (",
                           before, ",", after, ")");
    const int64_t size = in.dim(d) + before + after;
    if (in.dim(d) < 0 || size > std::numeric_limits<int32_t>::max())
      return invalid_model(ctx.describe_input(kPaddings), ": padded dim ", d, " is too large");
    out_shape[static_cast<size_t>(d)] = static_cast<int32_t>(size);
    state->in_dims[lead + d] = in.dim(d);
    state->out_dims[lead + d] = size;
    state->before[lead + d] = before;
  }
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  state->blocks = 1;
  for (int d = 0; d < state->dims - 2; ++d) state->blocks *= static_cast<size_t>(state->out_dims[d]);
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status pad_run(KernelContext& ctx) {
  const PadState& s = *ctx.state<PadState>();
  const float* x = ctx.input(kInput).as<const float>();
  float* y = ctx.output(0).as<float>();
  const float value = ctx.has_input(kConstantValue) ? ctx.input(kConstantValue).as<const float>()[0] : 0.0f;
  if (s.rank == 0) {
    y[0] = x[0];
    return Status::Ok();
  }
  const int r = s.dims - 2, c = s.dims - 1;  // the rows and cols dims
  const size_t out_rows = static_cast<size_t>(s.out_dims[r]), out_cols = static_cast<size_t>(s.out_dims[c]);
  const size_t in_rows = static_cast<size_t>(s.in_dims[r]), in_cols = static_cast<size_t>(s.in_dims[c]);
  const size_t block_floats = out_rows * out_cols;
  if (s.blocks == 0 || block_floats == 0) return Status::Ok();
  const eir_f32_pad_ukernel_fn pad = s.config->pad;
  // The microkernel with no input columns is a fill.
  auto fill = [&](float* out, size_t n) {
    if (n != 0) pad(1, 0, n, 0, x, 0, out, n, value);
  };
  auto blocks = [&](size_t begin, size_t end) {
    // Multi-index of output block `begin` over the outer dims, then incremented block by block.
    int64_t idx[kMaxRank] = {0};
    size_t rest = begin;
    for (int d = r - 1; d >= 0; --d) {
      idx[d] = static_cast<int64_t>(rest % static_cast<size_t>(s.out_dims[d]));
      rest /= static_cast<size_t>(s.out_dims[d]);
    }
    for (size_t b = begin; b < end; ++b) {
      float* out = y + b * block_floats;
      bool inside = in_rows != 0;
      size_t in_block = 0;  // flat index of the input block when inside
      for (int d = 0; d < r && inside; ++d) {
        const int64_t i = idx[d] - s.before[d];
        inside = i >= 0 && i < s.in_dims[d];
        in_block = in_block * static_cast<size_t>(s.in_dims[d]) + static_cast<size_t>(i);
      }
      if (!inside) {
        fill(out, block_floats);
      } else {
        const size_t top = static_cast<size_t>(s.before[r]), left = static_cast<size_t>(s.before[c]);
        fill(out, top * out_cols);
        pad(in_rows, in_cols, left, out_cols - left - in_cols, x + in_block * in_rows * in_cols, in_cols,
            out + top * out_cols, out_cols, value);
        fill(out + (top + in_rows) * out_cols, (out_rows - top - in_rows) * out_cols);
      }
      for (int d = r - 1; d >= 0; --d) {
        if (++idx[d] < s.out_dims[d]) break;
        idx[d] = 0;
      }
    }
  };
  ctx.thread_pool()->parallel_for(s.blocks, std::max<size_t>(1, kFloatsPerTask / block_floats), blocks);
  return Status::Ok();
}

}  // namespace

Kernel pad_f32_kernel(const F32MiscConfig& config) {
  Kernel k;
  k.name = config_kernel_name("fast/pad_f32_", config);
  k.prepare = prepare_for<pad_prepare>(config);
  k.run = pad_run;
  k.supports = pad_supports;
  return k;
}

}  // namespace eir::fast
