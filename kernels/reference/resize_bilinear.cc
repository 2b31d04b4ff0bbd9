// RESIZE_BILINEAR, float32, NHWC; size = constant int32 [new_height, new_width]. TFLite's float
// reference, step by step: sample positions as in resize_coordinates.h, then the four-term blend.

#include <cmath>
#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/resize_coordinates.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

Status resize_bilinear_prepare(KernelContext& ctx) {
  const ResizeParams p = params_or_default<ResizeParams>(ctx);
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(0, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  if (p.align_corners && p.half_pixel_centers)
    return invalid_model("align_corners and half_pixel_centers cannot both be set");
  std::vector<int64_t> size;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, /*allow_int64=*/false, &size));
  if (ctx.input(1).rank() != 1 || size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return invalid_model(ctx.describe_input(1), " must hold two positive sizes [height, width]");
  const Tensor& in = ctx.input(0);
  return ctx.set_output_shape(0, {in.dim(0), static_cast<int32_t>(size[0]), static_cast<int32_t>(size[1]), in.dim(3)});
}

Status resize_bilinear_run(KernelContext& ctx) {
  const ResizeParams p = params_or_default<ResizeParams>(ctx);
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const float* x = in.as<float>();
  float* y = out.as<float>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ch = in.dim(3);
  const int64_t out_h = out.dim(1), out_w = out.dim(2);
  if (in_h == 0 || in_w == 0) {
    if (out.num_elements() != 0) return invalid_model("cannot resize an empty image to a non-empty one");
    return Status::Ok();
  }
  const float scale_h = resize_scale(in_h, out_h, p.align_corners);
  const float scale_w = resize_scale(in_w, out_w, p.align_corners);

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      const ResizeAxis ay = resize_source(oy, scale_h, p.half_pixel_centers, in_h);
      const float dy = ay.src - static_cast<float>(ay.lo);
      const float* r0 = x + (b * in_h + ay.lo) * in_w * ch;
      const float* r1 = x + (b * in_h + ay.hi) * in_w * ch;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const ResizeAxis ax = resize_source(ox, scale_w, p.half_pixel_centers, in_w);
        const float dx = ax.src - static_cast<float>(ax.lo);
        float* o = y + ((b * out_h + oy) * out_w + ox) * ch;
        for (int64_t c = 0; c < ch; ++c) {
          o[c] = r0[ax.lo * ch + c] * (1 - dy) * (1 - dx) + r1[ax.lo * ch + c] * dy * (1 - dx) +
                 r0[ax.hi * ch + c] * (1 - dy) * dx + r1[ax.hi * ch + c] * dy * dx;
        }
      }
    }
  };
  ctx.thread_pool()->parallel_for(static_cast<size_t>(in.dim(0) * out_h), 1, std::move(rows));
  return Status::Ok();
}

}  // namespace

Kernel resize_bilinear_f32_kernel() {
  return Kernel{"reference/resize_bilinear_f32", resize_bilinear_prepare, resize_bilinear_run};
}

}  // namespace eir::ref
