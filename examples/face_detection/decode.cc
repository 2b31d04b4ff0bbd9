#include "decode.h"

#include <cmath>

namespace face {

DecodeOptions face_short_range_decode_options() { return DecodeOptions{}; }

eir::Result<std::vector<Detection>> decode_detections(const float* raw_boxes, size_t raw_boxes_count,
                                                      const float* raw_scores, size_t raw_scores_count,
                                                      const std::vector<Anchor>& anchors,
                                                      const DecodeOptions& o) {
  const size_t n = static_cast<size_t>(o.num_boxes);
  if (o.box_coord_offset + 4 > o.num_coords ||
      o.keypoint_coord_offset + 2 * o.num_keypoints > o.num_coords) {
    return eir::invalid_argument("decode options: box/keypoint offsets do not fit in ", o.num_coords,
                                 " coordinates per box");
  }
  if (raw_boxes_count != n * o.num_coords) {
    return eir::invalid_argument("box tensor has ", raw_boxes_count, " values, expected ", n, " boxes x ",
                                 o.num_coords, " = ", n * o.num_coords);
  }
  if (raw_scores_count != n) {
    return eir::invalid_argument("score tensor has ", raw_scores_count, " values, expected ", n);
  }
  if (anchors.size() != n) {
    return eir::invalid_argument("have ", anchors.size(), " anchors, expected ", n);
  }

  std::vector<Detection> detections;
  for (size_t i = 0; i < n; ++i) {
    float score = raw_scores[i];
    if (o.sigmoid_score) {
      // Clipping keeps exp() finite for extreme logits.
      if (o.score_clipping > 0) score = std::fmax(-o.score_clipping, std::fmin(o.score_clipping, score));
      score = 1.0f / (1.0f + std::exp(-score));
    }
    if (!(score >= o.min_score)) continue;

    const float* box = raw_boxes + i * o.num_coords;
    const Anchor& a = anchors[i];
    const float* b = box + o.box_coord_offset;
    float xc = o.xywh_order ? b[0] : b[1];
    float yc = o.xywh_order ? b[1] : b[0];
    float w = o.xywh_order ? b[2] : b[3];
    float h = o.xywh_order ? b[3] : b[2];
    // Offsets are in tensor pixels relative to the anchor centre, sizes in tensor pixels.
    xc = xc / o.x_scale * a.width + a.x_center;
    yc = yc / o.y_scale * a.height + a.y_center;
    w = w / o.w_scale * a.width;
    h = h / o.h_scale * a.height;

    Detection d;
    d.score = score;
    const float xmin = xc - w / 2.f, ymin = yc - h / 2.f, xmax = xc + w / 2.f, ymax = yc + h / 2.f;
    d.xmin = xmin;
    d.ymin = ymin;
    d.width = xmax - xmin;
    d.height = ymax - ymin;
    if (std::isnan(d.width) || std::isnan(d.height) || d.width < 0 || d.height < 0) continue;

    for (int k = 0; k < o.num_keypoints; ++k) {
      const float* kp = box + o.keypoint_coord_offset + 2 * k;
      const float kx = o.xywh_order ? kp[0] : kp[1];
      const float ky = o.xywh_order ? kp[1] : kp[0];
      d.keypoints.push_back({kx / o.x_scale * a.width + a.x_center, ky / o.y_scale * a.height + a.y_center});
    }
    detections.push_back(std::move(d));
  }
  return detections;
}

}  // namespace face
