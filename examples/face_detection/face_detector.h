// The face detection pipeline of MediaPipe's FaceDetectionShortRangeCpu graph on top of eir:
// letterbox to 128x128 in [-1, 1] -> model -> SSD decoding -> weighted NMS -> letterbox removal.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "detection.h"
#include "eir/eir.hpp"
#include "image.h"
#include "letterbox.h"
#include "ssd_anchors.h"

namespace face {

// Everything after the model: decodes the raw box (896 x 16) and score (896) tensors, suppresses
// overlapping boxes and maps the survivors onto the original image. Usable without the runtime.
eir::Result<std::vector<Detection>> postprocess(const float* raw_boxes, size_t raw_boxes_count,
                                                const float* raw_scores, size_t raw_scores_count,
                                                const Letterbox& letterbox);

class FaceDetector {
 public:
  // Loads the short-range face model and checks its input/output signature.
  static eir::Result<std::unique_ptr<FaceDetector>> create(const std::string& model_path, int num_threads);

  eir::Result<std::vector<Detection>> detect(const eir_examples::Image& image);

  double last_inference_ms() const { return last_inference_ms_; }

 private:
  FaceDetector(eir::Model model, std::unique_ptr<eir::Session> session, int boxes_output, int scores_output);

  eir::Model model_;  // kept alive for the session
  std::unique_ptr<eir::Session> session_;
  int boxes_output_, scores_output_;
  double last_inference_ms_ = 0;
};

}  // namespace face
