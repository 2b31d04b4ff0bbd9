// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND for any fixed-size dtype (pixels copied as bytes), on
// 4-D NHWC or 3-D NHC inputs (treated as NH1C with a width block of 1), as TFLite.
// block_shape: constant int32 [spatial dims]; paddings / crops: constant int32 [spatial dims, 2].
// Batch order as TFLite: space-to-batch output batch ob = (sy * block_w + sx) * N + b, whose
// pixel (oy, ox) is padded-input pixel (oy * block_h + sy, ox * block_w + sx) of batch b.
// SPACE_TO_BATCH pads with the output zero point for 8- and 16-bit types, else with 0.
#include <cstring>
#include <limits>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

constexpr int kInput = 0, kBlockShape = 1, kPaddings = 2;

struct SpaceBatchState : KernelState {
  int64_t block_h = 1, block_w = 1;
  int64_t before_h = 0, before_w = 0;  // padding (space-to-batch) or crop (batch-to-space)
  uint8_t pad_value[8] = {0};
};

// NHC is viewed as NH1C: the 4-D dims of a 3- or 4-D tensor.
void dims4(const Tensor& t, int64_t d[4]) {
  d[0] = t.dim(0);
  d[1] = t.dim(1);
  d[2] = t.rank() == 4 ? t.dim(2) : 1;
  d[3] = t.dim(t.rank() - 1);
}

// Shared validation; fills block and before/after amounts for the `spatial` dims.
Status read_block_args(KernelContext& ctx, std::vector<int64_t>* block, std::vector<int64_t>* amounts) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(3, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(kInput);
  const Tensor& out = ctx.output(0);
  const size_t elem = dtype_size(in.dtype);
  if (elem == 0 || elem > 8) return unsupported("SPACE/BATCH moves of ", dtype_name(in.dtype), " tensors");
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  if (in.rank() != 3 && in.rank() != 4)
    return unsupported(ctx.describe_input(kInput), " must have rank 3 or 4");
  if ((in.dtype == DType::kU8 || in.dtype == DType::kI8 || in.dtype == DType::kI16) &&
      (in.quant.scale() != out.quant.scale() || in.quant.zero_point() != out.quant.zero_point()))
    return invalid_model(ctx.describe_output(0), " must have the input's scale and zero point");
  if (in.dtype == DType::kI16 && out.quant.zero_point() != 0)
    return invalid_model(ctx.describe_output(0), ": int16 zero point must be 0");
  const int spatial = in.rank() - 2;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, kBlockShape, /*allow_int64=*/false, block));
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, kPaddings, /*allow_int64=*/false, amounts));
  const Tensor& bt = ctx.input(kBlockShape);
  const Tensor& pt = ctx.input(kPaddings);
  if (bt.rank() != 1 || bt.dim(0) != spatial)
    return invalid_model(ctx.describe_input(kBlockShape), " must have shape [", spatial, "]");
  if (pt.rank() != 2 || pt.dim(0) != spatial || pt.dim(1) != 2)
    return invalid_model(ctx.describe_input(kPaddings), " must have shape [", spatial, ",2]");
  for (int64_t v : *block)
    if (v <= 0) return invalid_model(ctx.describe_input(kBlockShape), ": block sizes must be > 0, got ", v);
  for (int64_t v : *amounts)
    if (v < 0) return invalid_model(ctx.describe_input(kPaddings), ": values must be >= 0, got ", v);
  return Status::Ok();
}

void set_state_blocks(SpaceBatchState* s, const std::vector<int64_t>& block, const std::vector<int64_t>& amounts) {
  s->block_h = block[0];
  s->before_h = amounts[0];
  if (block.size() == 2) {
    s->block_w = block[1];
    s->before_w = amounts[2];
  }
}

Status space_to_batch_prepare(KernelContext& ctx) {
  std::vector<int64_t> block, pads;
  EIR_RETURN_IF_ERROR(read_block_args(ctx, &block, &pads));
  const Tensor& in = ctx.input(kInput);
  Shape out_shape = in.shape;
  int64_t batch = in.dim(0);
  for (size_t d = 0; d < block.size(); ++d) {
    const int64_t padded = in.dim(static_cast<int>(d) + 1) + pads[2 * d] + pads[2 * d + 1];
    if (padded % block[d] != 0)
      return invalid_model("padded spatial dim ", d, " (", padded, ") is not a multiple of block size ", block[d]);
    batch *= block[d];
    if (padded / block[d] > INT32_MAX || batch > INT32_MAX) return invalid_model("output shape overflows");
    out_shape[d + 1] = static_cast<int32_t>(padded / block[d]);
  }
  out_shape[0] = static_cast<int32_t>(batch);
  auto state = std::make_unique<SpaceBatchState>();
  set_state_blocks(state.get(), block, pads);
  // Pad value: TFLite memsets 8-bit outputs with the zero point's low byte; 16-bit zero points
  // are 0 (checked above); float, int32 and int64 pad with 0.
  if (dtype_size(in.dtype) == 1) state->pad_value[0] = static_cast<uint8_t>(ctx.output(0).quant.zero_point());
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status batch_to_space_prepare(KernelContext& ctx) {
  std::vector<int64_t> block, crops;
  EIR_RETURN_IF_ERROR(read_block_args(ctx, &block, &crops));
  const Tensor& in = ctx.input(kInput);
  Shape out_shape = in.shape;
  int64_t batch = in.dim(0);
  for (size_t d = 0; d < block.size(); ++d) {
    if (batch % block[d] != 0)
      return invalid_model(ctx.describe_input(kInput), ": batch is not divisible by the block sizes");
    batch /= block[d];
    const int64_t size = in.dim(static_cast<int>(d) + 1) * block[d] - crops[2 * d] - crops[2 * d + 1];
    if (size < 0 || size > INT32_MAX)
      return invalid_model(ctx.describe_input(kPaddings), ": crops leave spatial dim ", d, " with size ", size);
    out_shape[d + 1] = static_cast<int32_t>(size);
  }
  out_shape[0] = static_cast<int32_t>(batch);
  auto state = std::make_unique<SpaceBatchState>();
  set_state_blocks(state.get(), block, crops);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

// Walks the batched tensor [NB, bh, bw, C]; each pixel corresponds to space pixel
// (y * block_h + sy - before_h, x * block_w + sx - before_w) of space batch ob % N, where
// (sy, sx) = divmod(ob / N, block_w). Outside the space tensor: padding / cropped away.
void move(const SpaceBatchState& s, const Tensor& space, const Tensor& batched, bool to_batch) {
  const size_t elem = dtype_size(space.dtype);
  int64_t sd[4], bd[4];
  dims4(space, sd);
  dims4(batched, bd);
  const size_t pixel = static_cast<size_t>(sd[3]) * elem;
  for (int64_t ob = 0; ob < bd[0]; ++ob) {
    const int64_t b = ob % sd[0], shift = ob / sd[0];
    const int64_t sy = shift / s.block_w, sx = shift % s.block_w;
    for (int64_t y = 0; y < bd[1]; ++y) {
      const int64_t iy = y * s.block_h + sy - s.before_h;
      for (int64_t x = 0; x < bd[2]; ++x) {
        const int64_t ix = x * s.block_w + sx - s.before_w;
        uint8_t* bp = batched.data + static_cast<size_t>(((ob * bd[1] + y) * bd[2] + x) * bd[3]) * elem;
        const bool inside = iy >= 0 && iy < sd[1] && ix >= 0 && ix < sd[2];
        if (!inside) {
          if (to_batch) fill_elements(bp, s.pad_value, elem, sd[3]);
          continue;
        }
        uint8_t* sp = space.data + static_cast<size_t>(((b * sd[1] + iy) * sd[2] + ix) * sd[3]) * elem;
        if (to_batch) std::memcpy(bp, sp, pixel);
        else std::memcpy(sp, bp, pixel);
      }
    }
  }
}

Status space_to_batch_run(KernelContext& ctx) {
  move(*ctx.state<SpaceBatchState>(), ctx.input(kInput), ctx.output(0), /*to_batch=*/true);
  return Status::Ok();
}

Status batch_to_space_run(KernelContext& ctx) {
  move(*ctx.state<SpaceBatchState>(), ctx.output(0), ctx.input(kInput), /*to_batch=*/false);
  return Status::Ok();
}

}  // namespace

Kernel space_to_batch_nd_kernel() {
  return Kernel{"reference/space_to_batch_nd", space_to_batch_prepare, space_to_batch_run};
}
Kernel batch_to_space_nd_kernel() {
  return Kernel{"reference/batch_to_space_nd", batch_to_space_prepare, batch_to_space_run};
}

}  // namespace eir::ref
