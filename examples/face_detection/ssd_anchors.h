// SSD anchor generation as MediaPipe's SsdAnchorsCalculator (non-multiscale path).
#pragma once

#include <vector>

namespace face {

// Anchor centre and size, relative to the input tensor (0..1).
struct Anchor {
  float x_center = 0, y_center = 0, width = 1, height = 1;
};

struct SsdAnchorOptions {
  int input_width = 128;
  int input_height = 128;
  float min_scale = 0.1484375f;
  float max_scale = 0.75f;
  float anchor_offset_x = 0.5f;
  float anchor_offset_y = 0.5f;
  std::vector<int> strides = {8, 16, 16, 16};  // one per layer
  std::vector<float> aspect_ratios = {1.0f};
  float interpolated_scale_aspect_ratio = 1.0f;  // > 0 adds one anchor per layer between scales
  bool fixed_anchor_size = true;                 // all anchors 1x1: the model predicts absolute sizes
};

// The options of MediaPipe's face_detection_short_range_common.pbtxt (896 anchors).
SsdAnchorOptions face_short_range_anchor_options();

// Anchors in the order the model's outputs use: layer by layer (consecutive layers with the same
// stride share one grid), then row, column, and anchor within the cell.
std::vector<Anchor> generate_ssd_anchors(const SsdAnchorOptions& options);

}  // namespace face
