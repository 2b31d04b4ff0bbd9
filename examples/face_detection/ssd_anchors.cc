#include "ssd_anchors.h"

#include <cmath>

namespace face {
namespace {

// Linear interpolation of the anchor scale across the layers.
float layer_scale(const SsdAnchorOptions& o, int layer) {
  const int n = static_cast<int>(o.strides.size());
  if (n == 1) return (o.min_scale + o.max_scale) * 0.5f;
  return o.min_scale + (o.max_scale - o.min_scale) * layer / (n - 1.0f);
}

}  // namespace

SsdAnchorOptions face_short_range_anchor_options() { return SsdAnchorOptions{}; }

std::vector<Anchor> generate_ssd_anchors(const SsdAnchorOptions& o) {
  std::vector<Anchor> anchors;
  const int num_layers = static_cast<int>(o.strides.size());
  int layer = 0;
  while (layer < num_layers) {
    // Layers that share a stride share a feature map: their anchors are emitted together per cell.
    std::vector<float> widths, heights;
    int last = layer;
    for (; last < num_layers && o.strides[last] == o.strides[layer]; ++last) {
      const float scale = layer_scale(o, last);
      for (float ratio : o.aspect_ratios) {
        heights.push_back(scale / std::sqrt(ratio));
        widths.push_back(scale * std::sqrt(ratio));
      }
      if (o.interpolated_scale_aspect_ratio > 0.0f) {
        const float next = last == num_layers - 1 ? 1.0f : layer_scale(o, last + 1);
        const float interpolated = std::sqrt(scale * next);
        const float ratio = o.interpolated_scale_aspect_ratio;
        heights.push_back(interpolated / std::sqrt(ratio));
        widths.push_back(interpolated * std::sqrt(ratio));
      }
    }

    const int stride = o.strides[layer];
    const int rows = static_cast<int>(std::ceil(1.0f * o.input_height / stride));
    const int cols = static_cast<int>(std::ceil(1.0f * o.input_width / stride));
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < cols; ++x) {
        for (size_t k = 0; k < widths.size(); ++k) {
          Anchor a;
          a.x_center = (x + o.anchor_offset_x) / cols;
          a.y_center = (y + o.anchor_offset_y) / rows;
          if (!o.fixed_anchor_size) {
            a.width = widths[k];
            a.height = heights[k];
          }
          anchors.push_back(a);
        }
      }
    }
    layer = last;
  }
  return anchors;
}

}  // namespace face
