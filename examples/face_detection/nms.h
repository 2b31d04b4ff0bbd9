// Weighted non-max suppression as MediaPipe's NonMaxSuppressionCalculator with algorithm WEIGHTED
// and overlap_type INTERSECTION_OVER_UNION (one class, no limit on the number of results).
#pragma once

#include <vector>

#include "detection.h"

namespace face {

// Intersection over union of two boxes; 0 when they do not overlap or the union is empty.
float iou(const Detection& a, const Detection& b);

// Repeatedly takes the highest-scoring remaining detection, gathers every remaining detection whose
// IoU with it exceeds min_suppression_threshold (itself included), and outputs their score-weighted
// average box and keypoints with the top score. Output is in decreasing score order.
std::vector<Detection> weighted_nms(const std::vector<Detection>& detections, float min_suppression_threshold);

}  // namespace face
