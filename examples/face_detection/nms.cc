#include "nms.h"

#include <algorithm>
#include <numeric>

namespace face {

float iou(const Detection& a, const Detection& b) {
  const float ix = std::min(a.xmax(), b.xmax()) - std::max(a.xmin, b.xmin);
  const float iy = std::min(a.ymax(), b.ymax()) - std::max(a.ymin, b.ymin);
  if (ix < 0 || iy < 0) return 0.0f;
  const float inter = ix * iy;
  const float uni = a.width * a.height + b.width * b.height - inter;
  return uni > 0.0f ? inter / uni : 0.0f;
}

std::vector<Detection> weighted_nms(const std::vector<Detection>& detections, float min_suppression_threshold) {
  // Indices by decreasing score; stable so that ties keep box order (deterministic output).
  std::vector<size_t> remaining(detections.size());
  std::iota(remaining.begin(), remaining.end(), size_t{0});
  std::stable_sort(remaining.begin(), remaining.end(),
                   [&](size_t a, size_t b) { return detections[a].score > detections[b].score; });

  std::vector<Detection> out;
  std::vector<size_t> kept, cluster;
  while (!remaining.empty()) {
    const Detection& top = detections[remaining.front()];
    kept.clear();
    cluster.clear();
    for (size_t idx : remaining) {
      (iou(detections[idx], top) > min_suppression_threshold ? cluster : kept).push_back(idx);
    }

    Detection merged = top;  // keeps the top score
    if (!cluster.empty()) {
      float total = 0, xmin = 0, ymin = 0, xmax = 0, ymax = 0;
      std::vector<Keypoint> kps(top.keypoints.size());
      for (size_t idx : cluster) {
        const Detection& d = detections[idx];
        const float w = d.score;
        total += w;
        xmin += d.xmin * w;
        ymin += d.ymin * w;
        xmax += d.xmax() * w;
        ymax += d.ymax() * w;
        for (size_t k = 0; k < kps.size() && k < d.keypoints.size(); ++k) {
          kps[k].x += d.keypoints[k].x * w;
          kps[k].y += d.keypoints[k].y * w;
        }
      }
      merged.xmin = xmin / total;
      merged.ymin = ymin / total;
      merged.width = xmax / total - merged.xmin;
      merged.height = ymax / total - merged.ymin;
      for (size_t k = 0; k < kps.size(); ++k) merged.keypoints[k] = {kps[k].x / total, kps[k].y / total};
    }
    out.push_back(std::move(merged));
    // A top detection with IoU <= threshold with itself (an empty box) would never leave the list.
    if (kept.size() == remaining.size()) break;
    remaining.swap(kept);
  }
  return out;
}

}  // namespace face
