// RESIZE_NEAREST_NEIGHBOR for any fixed-size dtype (pixels are copied as bytes), NHWC;
// size = constant int32 [new_height, new_width]. Source index as TFLite's reference, in float:
//   scale = in / out, or (in-1)/(out-1) with align_corners and out > 1;
//   src = (dst + (half_pixel_centers ? 0.5 : 0)) * scale, rounded half away from zero with
//   align_corners, else floored; then clamped to <= in-1 (and >= 0 with half_pixel_centers).
#include <cmath>
#include <cstring>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

int64_t nearest_source(int64_t dst, int64_t in, int64_t out, const ResizeParams& p) {
  const float scale = (p.align_corners && out > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                                   : static_cast<float>(in) / static_cast<float>(out);
  const float pos = (static_cast<float>(dst) + (p.half_pixel_centers ? 0.5f : 0.0f)) * scale;
  const int64_t src = static_cast<int64_t>(p.align_corners ? std::round(pos) : std::floor(pos));
  return std::max<int64_t>(std::min<int64_t>(src, in - 1), 0);  // >= 0 holds anyway: pos >= 0
}

Status resize_nearest_prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const Tensor& in = ctx.input(0);
  if (dtype_size(in.dtype) == 0) return unsupported("RESIZE_NEAREST_NEIGHBOR of ", dtype_name(in.dtype));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, in.dtype));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  std::vector<int64_t> size;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, /*allow_int64=*/false, &size));
  if (ctx.input(1).rank() != 1 || size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return invalid_model(ctx.describe_input(1), " must hold two positive sizes [height, width]");
  return ctx.set_output_shape(0, {in.dim(0), static_cast<int32_t>(size[0]), static_cast<int32_t>(size[1]), in.dim(3)});
}

Status resize_nearest_run(KernelContext& ctx) {
  const ResizeParams p = params_or_default<ResizeParams>(ctx);
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const int64_t in_h = in.dim(1), in_w = in.dim(2);
  const int64_t out_h = out.dim(1), out_w = out.dim(2);
  if (in_h == 0 || in_w == 0) {
    if (out.num_elements() != 0) return invalid_model("cannot resize an empty image to a non-empty one");
    return Status::Ok();
  }
  const size_t pixel = dtype_size(in.dtype) * static_cast<size_t>(in.dim(3));
  uint8_t* o = out.data;
  for (int64_t b = 0; b < in.dim(0); ++b) {
    for (int64_t oy = 0; oy < out_h; ++oy) {
      const int64_t iy = nearest_source(oy, in_h, out_h, p);
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const int64_t ix = nearest_source(ox, in_w, out_w, p);
        std::memcpy(o, in.data + static_cast<size_t>((b * in_h + iy) * in_w + ix) * pixel, pixel);
        o += pixel;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Kernel resize_nearest_neighbor_kernel() {
  return Kernel{"reference/resize_nearest_neighbor", resize_nearest_prepare, resize_nearest_run};
}

}  // namespace eir::ref
