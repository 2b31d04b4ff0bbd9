#include "resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace eir_examples {
namespace {

constexpr int kCoordBits = 5;                 // source positions in 1/32 pixel
constexpr int kCoordSteps = 1 << kCoordBits;
constexpr int kWeightBits = 15;               // weights in 1/32768
constexpr int kWeightOne = 1 << kWeightBits;

// One axis of the sampling: for each output index, the left/top neighbour and the 1/32 fraction.
struct Tap {
  int index;     // floor of the source position
  int fraction;  // 0..31
};

std::vector<Tap> axis_taps(float start, float extent, int out_size) {
  std::vector<Tap> taps(out_size);
  const double scale = static_cast<double>(extent) / out_size;
  for (int i = 0; i < out_size; ++i) {
    const double pos = start + (i + 0.5) * scale - 0.5;
    const long fixed = std::lround(pos * kCoordSteps);
    // Floor division (positions left of the image are negative).
    const long whole = fixed >= 0 ? fixed / kCoordSteps : -((-fixed + kCoordSteps - 1) / kCoordSteps);
    taps[i] = {static_cast<int>(whole), static_cast<int>(fixed - whole * kCoordSteps)};
  }
  return taps;
}

// The four integer weights for fractions (fx, fy), summing exactly to kWeightOne. The products are
// rounded individually and any rounding surplus goes to the largest weight, as OpenCV's
// interpolation table does.
void bilinear_weights(int fx, int fy, int w[4]) {
  const float ax = static_cast<float>(fx) / kCoordSteps, ay = static_cast<float>(fy) / kCoordSteps;
  const float f[4] = {(1 - ay) * (1 - ax), (1 - ay) * ax, ay * (1 - ax), ay * ax};
  int sum = 0, largest = 0;
  for (int k = 0; k < 4; ++k) {
    w[k] = static_cast<int>(std::lround(f[k] * kWeightOne));
    sum += w[k];
    if (w[k] > w[largest]) largest = k;
  }
  w[largest] += kWeightOne - sum;
}

}  // namespace

Image resample_bilinear(const Image& src, const RectF& roi, int out_w, int out_h) {
  Image out(out_w, out_h);
  if (src.empty() || out_w <= 0 || out_h <= 0) return out;
  const std::vector<Tap> xs = axis_taps(roi.x, roi.width, out_w);
  const std::vector<Tap> ys = axis_taps(roi.y, roi.height, out_h);

  auto pixel = [&src](int x, int y, int c) -> int {
    if (x < 0 || y < 0 || x >= src.width || y >= src.height) return 0;  // zero border
    return src.at(x, y)[c];
  };

  for (int oy = 0; oy < out_h; ++oy) {
    const Tap ty = ys[oy];
    for (int ox = 0; ox < out_w; ++ox) {
      const Tap tx = xs[ox];
      int w[4];
      bilinear_weights(tx.fraction, ty.fraction, w);
      uint8_t* dst = out.at(ox, oy);
      for (int c = 0; c < 3; ++c) {
        const int acc = w[0] * pixel(tx.index, ty.index, c) + w[1] * pixel(tx.index + 1, ty.index, c) +
                        w[2] * pixel(tx.index, ty.index + 1, c) + w[3] * pixel(tx.index + 1, ty.index + 1, c);
        const int v = (acc + (kWeightOne >> 1)) >> kWeightBits;
        dst[c] = static_cast<uint8_t>(std::clamp(v, 0, 255));
      }
    }
  }
  return out;
}

}  // namespace eir_examples
