#include "resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace eir_examples {
namespace {

// One axis of the sampling: for each output index, the left/top neighbour and the weight of the
// right/bottom one.
struct Tap {
  int index;
  double fraction;
};

std::vector<Tap> axis_taps(float start, float extent, int out_size) {
  std::vector<Tap> taps(out_size);
  const double scale = static_cast<double>(extent) / out_size;
  for (int i = 0; i < out_size; ++i) {
    const double pos = start + i * scale;
    const double whole = std::floor(pos);
    taps[i] = {static_cast<int>(whole), pos - whole};
  }
  return taps;
}

}  // namespace

Image resample_bilinear(const Image& src, const RectF& roi, int out_w, int out_h) {
  Image out(out_w, out_h);
  if (src.empty() || out_w <= 0 || out_h <= 0) return out;
  const std::vector<Tap> xs = axis_taps(roi.x, roi.width, out_w);
  const std::vector<Tap> ys = axis_taps(roi.y, roi.height, out_h);

  auto pixel = [&src](int x, int y, int c) -> double {
    if (x < 0 || y < 0 || x >= src.width || y >= src.height) return 0.0;  // zero border
    return src.at(x, y)[c];
  };

  for (int oy = 0; oy < out_h; ++oy) {
    const Tap ty = ys[oy];
    for (int ox = 0; ox < out_w; ++ox) {
      const Tap tx = xs[ox];
      uint8_t* dst = out.at(ox, oy);
      for (int c = 0; c < 3; ++c) {
        // Along x first, then y (this order reproduces the shared reference inputs best).
        const double top =
            (1 - tx.fraction) * pixel(tx.index, ty.index, c) + tx.fraction * pixel(tx.index + 1, ty.index, c);
        const double bottom =
            (1 - tx.fraction) * pixel(tx.index, ty.index + 1, c) + tx.fraction * pixel(tx.index + 1, ty.index + 1, c);
        const double v = top * (1 - ty.fraction) + bottom * ty.fraction;
        // Round to nearest (ties to even under the default rounding mode), then saturate.
        dst[c] = static_cast<uint8_t>(std::clamp(std::nearbyint(v), 0.0, 255.0));
      }
    }
  }
  return out;
}

}  // namespace eir_examples
