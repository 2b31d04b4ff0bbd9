// Decoding of raw SSD outputs into detections, as MediaPipe's TensorsToDetectionsCalculator (CPU
// path, raw box + score tensors, anchors from SsdAnchorsCalculator).
#pragma once

#include <cstddef>
#include <vector>

#include "detection.h"
#include "eir/status.hpp"
#include "ssd_anchors.h"

namespace face {

struct DecodeOptions {
  int num_boxes = 896;
  int num_coords = 16;             // values per box in the box tensor
  int box_coord_offset = 0;
  int keypoint_coord_offset = 4;
  int num_keypoints = 6;
  bool xywh_order = true;          // reverse_output_order: boxes are (x, y, w, h), keypoints (x, y)
  float x_scale = 128, y_scale = 128, w_scale = 128, h_scale = 128;
  bool sigmoid_score = true;
  float score_clipping = 100;      // logits clipped to +-this before the sigmoid (<= 0: no clipping)
  float min_score = 0.5f;
};

// The options of MediaPipe's face_detection_short_range_common.pbtxt.
DecodeOptions face_short_range_decode_options();

// raw_boxes: num_boxes x num_coords floats; raw_scores: num_boxes floats (one class).
// Returns every box whose score reaches min_score, in box order, coordinates relative to the
// input tensor. Boxes with a negative or NaN width/height are dropped, as MediaPipe does.
eir::Result<std::vector<Detection>> decode_detections(const float* raw_boxes, size_t raw_boxes_count,
                                                      const float* raw_scores, size_t raw_scores_count,
                                                      const std::vector<Anchor>& anchors,
                                                      const DecodeOptions& options);

}  // namespace face
