// DEPTH_TO_SPACE and SPACE_TO_DEPTH for any fixed-size dtype (elements copied as bytes), NHWC,
// with TFLite's (DCR) channel order: a space position (h % bs, w % bs) in the block owns the
// channel slice [((h % bs) * bs + w % bs) * C_small, ... + C_small) of the deep tensor.
#include <cstring>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

Status common_checks(KernelContext& ctx, int* block) {
  const BlockParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(1, 1));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  if (dtype_size(in.dtype) == 0) return unsupported("block moves of ", dtype_name(in.dtype), " tensors");
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  if (p->block_size <= 0 || p->block_size > 65535)
    return invalid_model("block_size must be in [1, 65535], got ", p->block_size);
  *block = p->block_size;
  return Status::Ok();
}

Status depth_to_space_prepare(KernelContext& ctx) {
  int bs = 0;
  EIR_RETURN_IF_ERROR(common_checks(ctx, &bs));
  const Tensor& in = ctx.input(0);
  const int64_t bb = int64_t{bs} * bs;
  if (in.dim(3) % bb != 0)
    return invalid_model(ctx.describe_input(0), ": channels must be a multiple of block_size^2 = ", bb);
  const int64_t out_h = int64_t{in.dim(1)} * bs, out_w = int64_t{in.dim(2)} * bs;
  if (out_h > INT32_MAX || out_w > INT32_MAX) return invalid_model(ctx.describe_input(0), ": output too large");
  return ctx.set_output_shape(0, {in.dim(0), static_cast<int32_t>(out_h), static_cast<int32_t>(out_w),
                                  static_cast<int32_t>(in.dim(3) / bb)});
}

Status space_to_depth_prepare(KernelContext& ctx) {
  int bs = 0;
  EIR_RETURN_IF_ERROR(common_checks(ctx, &bs));
  const Tensor& in = ctx.input(0);
  if (in.dim(1) % bs != 0 || in.dim(2) % bs != 0)
    return invalid_model(ctx.describe_input(0), ": height and width must be multiples of block_size ", bs);
  const int64_t out_c = int64_t{in.dim(3)} * bs * bs;
  if (out_c > INT32_MAX) return invalid_model(ctx.describe_input(0), ": output too large");
  return ctx.set_output_shape(0, {in.dim(0), in.dim(1) / bs, in.dim(2) / bs, static_cast<int32_t>(out_c)});
}

// Walks the space-side tensor [N, H, W, c] (c = channels of the space side); each run of c
// elements maps to one channel slice of the depth-side tensor [N, H/bs, W/bs, c*bs*bs].
// to_space: copy depth -> space; otherwise space -> depth.
void block_move(const Tensor& space, const Tensor& depth, int64_t bs, bool to_space) {
  const size_t elem = dtype_size(space.dtype);
  const int64_t n = space.dim(0), h = space.dim(1), w = space.dim(2), c = space.dim(3);
  const int64_t dh = depth.dim(1), dw = depth.dim(2), dc = depth.dim(3);
  const size_t run = static_cast<size_t>(c) * elem;
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t y = 0; y < h; ++y) {
      for (int64_t x = 0; x < w; ++x) {
        const int64_t s_off = ((b * h + y) * w + x) * c;
        const int64_t d_off = ((b * dh + y / bs) * dw + x / bs) * dc + ((y % bs) * bs + x % bs) * c;
        uint8_t* sp = space.data + static_cast<size_t>(s_off) * elem;
        uint8_t* dp = depth.data + static_cast<size_t>(d_off) * elem;
        if (to_space) std::memcpy(sp, dp, run);
        else std::memcpy(dp, sp, run);
      }
    }
  }
}

Status depth_to_space_run(KernelContext& ctx) {
  block_move(ctx.output(0), ctx.input(0), ctx.node().params_as<BlockParams>()->block_size, /*to_space=*/true);
  return Status::Ok();
}

Status space_to_depth_run(KernelContext& ctx) {
  block_move(ctx.input(0), ctx.output(0), ctx.node().params_as<BlockParams>()->block_size, /*to_space=*/false);
  return Status::Ok();
}

}  // namespace

Kernel depth_to_space_kernel() {
  return Kernel{"reference/depth_to_space", depth_to_space_prepare, depth_to_space_run};
}
Kernel space_to_depth_kernel() {
  return Kernel{"reference/space_to_depth", space_to_depth_prepare, space_to_depth_run};
}

}  // namespace eir::ref
