// RESIZE_BILINEAR, float32, NHWC; size = constant int32 [new_height, new_width].
// TFLite's float reference, step by step (all in float):
//   scale = in / out, or (in-1)/(out-1) with align_corners and out > 1;
//   src = (dst + 0.5) * scale - 0.5 with half_pixel_centers, else dst * scale;
//   lo = max(floor(src), 0), hi = min(ceil(src), in-1);
//   the weights use src - lo unclamped: below the first pixel src < 0 = lo = hi, so the two
//   weights still sum to one and the edge pixel is reproduced.

#include <cmath>
#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

struct Axis {
  float src;
  int64_t lo, hi;
};

float resize_scale(int64_t in, int64_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

Axis source_coordinate(int64_t dst, float scale, bool half_pixel_centers, int64_t in) {
  Axis a;
  a.src = half_pixel_centers ? (static_cast<float>(dst) + 0.5f) * scale - 0.5f : static_cast<float>(dst) * scale;
  // TFLite clamps lo only from below; the upper clamp never binds except where float rounding
  // puts src at `in`, where TFLite would read past the image.
  a.lo = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(std::floor(a.src)), 0), in - 1);
  a.hi = std::min<int64_t>(static_cast<int64_t>(std::ceil(a.src)), in - 1);
  return a;
}

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
      const Axis ay = source_coordinate(oy, scale_h, p.half_pixel_centers, in_h);
      const float dy = ay.src - static_cast<float>(ay.lo);
      const float* r0 = x + (b * in_h + ay.lo) * in_w * ch;
      const float* r1 = x + (b * in_h + ay.hi) * in_w * ch;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        const Axis ax = source_coordinate(ox, scale_w, p.half_pixel_centers, in_w);
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
