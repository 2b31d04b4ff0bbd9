// RESIZE_BILINEAR, quantized: uint8, int8, int16 (NHWC); size = constant int32 [height, width].
// The output keeps the input's quantization (values are interpolated in the quantized domain).
//
// Numerics as TFLite's default kernel on x86:
//   * uint8: optimized_ops::ResizeBilinear -> ResizeBilinearGenericSmallChannel, in float:
//       src = (dst + 0.5) * scale - 0.5 (half_pixel_centers) or dst * scale;
//       lo = max(floor(src), 0), hi = min(ceil(src), in - 1);
//       out = uint8(v00 w00 + v01 w01 + v10 w10 + v11 w11 + 0.5f), summed left to right.
//     (TFLite has a special NEON-free fixed-point kernel for an exact 8x half-pixel upscale of
//     8-multiple depths, ResizeBilinear888Uint8; it is not reproduced: eir uses the generic path.)
//   * int8 / int16: reference_ops::ResizeBilinearInteger, in 10-bit fixed point:
//       scale_10 = round(1024 * in / out) (or (in-1)/(out-1) with align_corners);
//       src_10 = dst * scale_10 (+ scale_10 / 2 - 512 with half_pixel_centers);
//       lo = max(src_10 / 1024, 0) (truncating division), hi = min(ceil(src_10 / 1024), in - 1);
//       out = (sum of value * weight_20 +- 2^19) / 2^20 (rounding half away from zero).
#include <cmath>
#include <vector>

#include "kernels/reference/quantized_common.h"
#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/spatial_util.h"

namespace eir::ref {
namespace {

struct ResizeQState : KernelState {
  int32_t out_h = 0, out_w = 0;
};

Status resize_q_prepare(KernelContext& ctx) {
  const ResizeParams p = params_or_default<ResizeParams>(ctx);
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(2, 2));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  const DType dt = ctx.input(0).dtype;
  if (!is_quantized_activation_dtype(dt))
    return unsupported(ctx.describe_input(0), ": quantized RESIZE_BILINEAR takes uint8, int8 or int16");
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(0, 4));
  EIR_RETURN_IF_ERROR(check_quantized_input(ctx, 0, dt));
  const Tensor& out = ctx.output(0);
  if (out.dtype != dt)
    return invalid_model(ctx.describe_output(0), " must be ", dtype_name(dt), ", got ", dtype_name(out.dtype));
  if (p.align_corners && p.half_pixel_centers)
    return invalid_model("align_corners and half_pixel_centers cannot both be set");
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(1, DType::kI32));
  std::vector<int64_t> size;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 1, /*allow_int64=*/false, &size));
  if (ctx.input(1).rank() != 1 || size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return invalid_model(ctx.describe_input(1), " must hold two positive sizes [height, width]");
  const Tensor& in = ctx.input(0);
  if (in.dim(1) <= 0 || in.dim(2) <= 0) return invalid_model(ctx.describe_input(0), " has an empty image");
  // The 10-bit fixed-point path multiplies sizes by 1024 in int32.
  if (size[0] > (1 << 20) || size[1] > (1 << 20) || in.dim(1) > (1 << 20) || in.dim(2) > (1 << 20))
    return unsupported("RESIZE_BILINEAR sizes above 2^20");
  auto s = std::make_unique<ResizeQState>();
  s->out_h = static_cast<int32_t>(size[0]);
  s->out_w = static_cast<int32_t>(size[1]);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), s->out_h, s->out_w, in.dim(3)}));
  ctx.set_state(std::move(s));
  return Status::Ok();
}

// ---- uint8: float interpolation ----

struct FloatAxis {
  float src = 0.0f;
  int32_t lo = 0, hi = 0;
};

FloatAxis float_axis(int32_t dst, float scale, bool half_pixel, int32_t in) {
  FloatAxis a;
  a.src = half_pixel ? (static_cast<float>(dst) + 0.5f) * scale - 0.5f : static_cast<float>(dst) * scale;
  a.lo = std::max(static_cast<int32_t>(std::floor(a.src)), 0);
  a.hi = std::min(static_cast<int32_t>(std::ceil(a.src)), in - 1);
  return a;
}

void resize_uint8(const ResizeParams& p, const Tensor& in, const ResizeQState& s, uint8_t* y) {
  const int32_t batches = in.dim(0), in_h = in.dim(1), in_w = in.dim(2), depth = in.dim(3);
  const uint8_t* x = in.as<uint8_t>();
  const float h_scale = (p.align_corners && s.out_h > 1) ? static_cast<float>(in_h - 1) / static_cast<float>(s.out_h - 1)
                                                         : static_cast<float>(in_h) / static_cast<float>(s.out_h);
  const float w_scale = (p.align_corners && s.out_w > 1) ? static_cast<float>(in_w - 1) / static_cast<float>(s.out_w - 1)
                                                         : static_cast<float>(in_w) / static_cast<float>(s.out_w);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const FloatAxis ay = float_axis(oy, h_scale, p.half_pixel_centers, in_h);
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const FloatAxis ax = float_axis(ox, w_scale, p.half_pixel_centers, in_w);
        const int64_t base = static_cast<int64_t>(b) * in_h;
        const int64_t off[4] = {((base + ay.lo) * in_w + ax.lo) * depth, ((base + ay.lo) * in_w + ax.hi) * depth,
                                ((base + ay.hi) * in_w + ax.lo) * depth, ((base + ay.hi) * in_w + ax.hi) * depth};
        const float fy = ay.src - static_cast<float>(ay.lo), fx = ax.src - static_cast<float>(ax.lo);
        const float w[4] = {(1 - fy) * (1 - fx), (1 - fy) * fx, fy * (1 - fx), fy * fx};
        for (int32_t c = 0; c < depth; ++c) {
          float v = static_cast<float>(x[off[0] + c]) * w[0];
          v = v + static_cast<float>(x[off[1] + c]) * w[1];
          v = v + static_cast<float>(x[off[2] + c]) * w[2];
          v = v + static_cast<float>(x[off[3] + c]) * w[3];
          v = v + 0.5f;
          *y++ = static_cast<uint8_t>(std::min(std::max(v, 0.0f), 255.0f));  // in range already
        }
      }
    }
  }
}

// ---- int8 / int16: 10-bit fixed point ----

struct IntAxis {
  int32_t src = 0;  // in 1/1024 units
  int32_t lo = 0, hi = 0;
};

IntAxis int_axis(int32_t dst, int32_t scale_10, bool half_pixel, int32_t in) {
  IntAxis a;
  a.src = half_pixel ? dst * scale_10 + scale_10 / 2 - (1 << 9) : dst * scale_10;
  a.lo = std::max(a.src / (1 << 10), 0);
  a.hi = std::min((a.src + (1 << 10) - 1) / (1 << 10), in - 1);
  return a;
}

int32_t scale_10(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

template <class T>
void resize_integer(const ResizeParams& p, const Tensor& in, const ResizeQState& s, T* y) {
  const int32_t batches = in.dim(0), in_h = in.dim(1), in_w = in.dim(2), depth = in.dim(3);
  const T* x = in.as<T>();
  const int32_t hs = scale_10(in_h, s.out_h, p.align_corners);
  const int32_t ws = scale_10(in_w, s.out_w, p.align_corners);
  for (int32_t b = 0; b < batches; ++b) {
    for (int32_t oy = 0; oy < s.out_h; ++oy) {
      const IntAxis ay = int_axis(oy, hs, p.half_pixel_centers, in_h);
      for (int32_t ox = 0; ox < s.out_w; ++ox) {
        const IntAxis ax = int_axis(ox, ws, p.half_pixel_centers, in_w);
        const int64_t base = static_cast<int64_t>(b) * in_h;
        const int64_t fy = ay.src - (1 << 10) * ay.lo, fx = ax.src - (1 << 10) * ax.lo;
        for (int32_t c = 0; c < depth; ++c) {
          const int64_t v00 = x[((base + ay.lo) * in_w + ax.lo) * depth + c];
          const int64_t v10 = x[((base + ay.hi) * in_w + ax.lo) * depth + c];
          const int64_t v01 = x[((base + ay.lo) * in_w + ax.hi) * depth + c];
          const int64_t v11 = x[((base + ay.hi) * in_w + ax.hi) * depth + c];
          const int64_t out_20 = v00 * ((1 << 10) - fy) * ((1 << 10) - fx) + v10 * fy * ((1 << 10) - fx) +
                                 v01 * ((1 << 10) - fy) * fx + v11 * fy * fx;
          const int64_t round = out_20 > 0 ? (1 << 19) : -(1 << 19);
          *y++ = static_cast<T>((out_20 + round) / (1 << 20));
        }
      }
    }
  }
}

Status resize_q_run(KernelContext& ctx) {
  const ResizeQState& s = *ctx.state<ResizeQState>();
  const ResizeParams p = params_or_default<ResizeParams>(ctx);
  const Tensor& in = ctx.input(0);
  Tensor& out = ctx.output(0);
  switch (in.dtype) {
    case DType::kU8: resize_uint8(p, in, s, out.as<uint8_t>()); break;
    case DType::kI8: resize_integer<int8_t>(p, in, s, out.as<int8_t>()); break;
    case DType::kI16: resize_integer<int16_t>(p, in, s, out.as<int16_t>()); break;
    default: return internal_error("resize_bilinear_quantized: unexpected dtype");
  }
  return Status::Ok();
}

}  // namespace

Kernel resize_bilinear_quantized_kernel() {
  return Kernel{"reference/resize_bilinear_quantized", resize_q_prepare, resize_q_run};
}

}  // namespace eir::ref
