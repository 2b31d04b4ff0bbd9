// Where RESIZE_BILINEAR samples its input (TFLite's float rules, all in float), shared by the
// reference kernel and the fast driver so that both pick the same pixels and weights:
//   scale = in / out, or (in-1)/(out-1) with align_corners and out > 1;
//   src = (dst + 0.5) * scale - 0.5 with half_pixel_centers, else dst * scale;
//   lo = max(floor(src), 0), hi = min(ceil(src), in-1);
//   the weights use src - lo unclamped: below the first pixel src < 0 = lo = hi, so the two
//   weights still sum to one and the edge pixel is reproduced.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace eir::ref {

struct ResizeAxis {
  float src;
  int64_t lo, hi;
};

inline float resize_scale(int64_t in, int64_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

inline ResizeAxis resize_source(int64_t dst, float scale, bool half_pixel_centers, int64_t in) {
  ResizeAxis a;
  a.src = half_pixel_centers ? (static_cast<float>(dst) + 0.5f) * scale - 0.5f : static_cast<float>(dst) * scale;
  // TFLite clamps lo only from below; the upper clamp never binds except where float rounding
  // puts src at `in`, where TFLite would read past the image.
  a.lo = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(std::floor(a.src)), 0), in - 1);
  a.hi = std::min<int64_t>(static_cast<int64_t>(std::ceil(a.src)), in - 1);
  return a;
}

}  // namespace eir::ref
