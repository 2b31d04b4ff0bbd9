// RESIZE_BILINEAR float32 (NHWC): the sample positions and weights of every output column and
// row are computed once at prepare (resize_coordinates.h, the reference kernel's rules); a run
// then blends rows of channels with two lerps per element (vertical at both columns, then
// horizontal), loops the compiler vectorizes over the channels. The reference recomputes
// positions per pixel and is ~5x slower on segmentation heads (257x257x21 outputs).
// Results differ from the reference's four-term blend by float rounding only (~1e-7 relative).
#include <memory>
#include <vector>

#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/reference/float_spatial.h"
#include "kernels/reference/resize_coordinates.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::fast {
namespace {

struct ResizeState : KernelState {
  struct Tap {
    size_t lo, hi;  // element offsets of the two source pixels (column: within a row; row: in the image)
    float w;        // weight of `hi`
  };
  std::vector<Tap> columns, rows;
  size_t channels = 0, in_image = 0, out_row = 0;
};

Status resize_prepare(KernelContext& ctx) {
  // Validation and output shape: exactly the reference kernel's.
  EIR_RETURN_IF_ERROR(ref::resize_bilinear_f32_kernel().prepare(ctx));
  if (ctx.validating()) return Status::Ok();
  const ResizeParams p = ref::params_or_default<ResizeParams>(ctx);
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  const int64_t in_h = in.dim(1), in_w = in.dim(2), ch = in.dim(3), out_h = out.dim(1), out_w = out.dim(2);
  auto s = std::make_unique<ResizeState>();
  s->channels = static_cast<size_t>(ch);
  s->in_image = static_cast<size_t>(in_h * in_w * ch);
  s->out_row = static_cast<size_t>(out_w * ch);
  if (in_h > 0 && in_w > 0) {
    const float scale_w = ref::resize_scale(in_w, out_w, p.align_corners);
    for (int64_t ox = 0; ox < out_w; ++ox) {
      const ref::ResizeAxis a = ref::resize_source(ox, scale_w, p.half_pixel_centers, in_w);
      s->columns.push_back({static_cast<size_t>(a.lo * ch), static_cast<size_t>(a.hi * ch), a.src - static_cast<float>(a.lo)});
    }
    const float scale_h = ref::resize_scale(in_h, out_h, p.align_corners);
    for (int64_t oy = 0; oy < out_h; ++oy) {
      const ref::ResizeAxis a = ref::resize_source(oy, scale_h, p.half_pixel_centers, in_h);
      s->rows.push_back({static_cast<size_t>(a.lo * in_w * ch), static_cast<size_t>(a.hi * in_w * ch),
                         a.src - static_cast<float>(a.lo)});
    }
  }
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// One output row: for each column, lerp the two source rows at both source columns, then lerp
// between the columns.
void blend_row(const ResizeState& s, const float* __restrict r0, const float* __restrict r1, float dy,
               float* __restrict o) {
  const size_t ch = s.channels;
  for (const ResizeState::Tap& col : s.columns) {
    const float* __restrict a0 = r0 + col.lo;
    const float* __restrict b0 = r1 + col.lo;
    const float* __restrict a1 = r0 + col.hi;
    const float* __restrict b1 = r1 + col.hi;
    const float dx = col.w;
    for (size_t c = 0; c < ch; ++c) {
      const float left = a0[c] + dy * (b0[c] - a0[c]);
      const float right = a1[c] + dy * (b1[c] - a1[c]);
      o[c] = left + dx * (right - left);
    }
    o += ch;
  }
}

Status resize_run(KernelContext& ctx) {
  const ResizeState& s = *ctx.state<ResizeState>();
  const Tensor& in = ctx.input(0);
  const Tensor& out = ctx.output(0);
  if (in.num_elements() == 0) {
    if (out.num_elements() != 0) return invalid_model("cannot resize an empty image to a non-empty one");
    return Status::Ok();
  }
  const float* x = in.as<float>();
  float* y = out.as<float>();
  const size_t out_h = s.rows.size();
  ctx.thread_pool()->parallel_for(static_cast<size_t>(in.dim(0)) * out_h, 4, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const size_t b = r / out_h;
      const ResizeState::Tap& row = s.rows[r % out_h];
      const float* image = x + b * s.in_image;
      blend_row(s, image + row.lo, image + row.hi, row.w, y + r * s.out_row);
    }
  });
  return Status::Ok();
}

}  // namespace

Kernel resize_bilinear_f32_kernel() {
  Kernel k;
  k.name = "fast/resize_bilinear_f32";
  k.prepare = resize_prepare;
  k.run = resize_run;
  return k;
}

}  // namespace eir::fast
