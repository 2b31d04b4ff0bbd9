#include "face_detector.h"

#include <chrono>
#include <sstream>

#include "decode.h"
#include "nms.h"

namespace face {
namespace {

constexpr int kTensorSize = 128;           // the short-range model's input is 128x128 RGB
constexpr float kMinSuppressionThreshold = 0.3f;

std::string shape_string(const std::vector<int32_t>& shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? "," : "") << shape[i];
  os << ']';
  return os.str();
}

size_t element_count(const std::vector<int32_t>& shape) {
  size_t n = 1;
  for (int32_t d : shape) n *= static_cast<size_t>(d < 0 ? 0 : d);
  return n;
}

}  // namespace

eir::Result<std::vector<Detection>> postprocess(const float* raw_boxes, size_t raw_boxes_count,
                                                const float* raw_scores, size_t raw_scores_count,
                                                const Letterbox& letterbox) {
  static const std::vector<Anchor> anchors = generate_ssd_anchors(face_short_range_anchor_options());
  EIR_ASSIGN_OR_RETURN(std::vector<Detection> decoded,
                       decode_detections(raw_boxes, raw_boxes_count, raw_scores, raw_scores_count, anchors,
                                         face_short_range_decode_options()));
  std::vector<Detection> kept = weighted_nms(decoded, kMinSuppressionThreshold);
  for (Detection& d : kept) d = remove_letterbox(d, letterbox);
  return kept;
}

FaceDetector::FaceDetector(eir::Model model, std::unique_ptr<eir::Session> session, int boxes_output,
                           int scores_output)
    : model_(std::move(model)), session_(std::move(session)), boxes_output_(boxes_output),
      scores_output_(scores_output) {}

eir::Result<std::unique_ptr<FaceDetector>> FaceDetector::create(const std::string& model_path, int num_threads) {
  EIR_ASSIGN_OR_RETURN(eir::Model model, eir::Model::load_file(model_path));
  if (model.num_inputs() != 1 || model.num_outputs() != 2) {
    return eir::invalid_argument("'", model_path, "' has ", model.num_inputs(), " inputs and ", model.num_outputs(),
                                 " outputs; the face detector expects 1 image input and 2 outputs (boxes, scores)");
  }
  const eir::TensorInfo& in = model.input_info(0);
  if (in.dtype != eir::DType::kF32 || in.shape != std::vector<int32_t>{1, kTensorSize, kTensorSize, 3}) {
    return eir::invalid_argument("model input '", in.name, "' is ", eir::dtype_name(in.dtype), " ",
                                 shape_string(in.shape), "; expected float32 [1,128,128,3]");
  }
  // Identify the outputs by shape: boxes carry 16 values per anchor, scores one.
  const auto anchors = static_cast<size_t>(face_short_range_decode_options().num_boxes);
  int boxes = -1, scores = -1;
  for (int i = 0; i < 2; ++i) {
    const eir::TensorInfo& out = model.output_info(i);
    if (out.dtype != eir::DType::kF32) {
      return eir::invalid_argument("model output '", out.name, "' is ", eir::dtype_name(out.dtype),
                                   "; expected float32");
    }
    const size_t n = element_count(out.shape);
    if (n == anchors * face_short_range_decode_options().num_coords) boxes = i;
    else if (n == anchors) scores = i;
  }
  if (boxes < 0 || scores < 0) {
    return eir::invalid_argument("model outputs ", shape_string(model.output_info(0).shape), " and ",
                                 shape_string(model.output_info(1).shape),
                                 " are not the expected boxes [1,896,16] and scores [1,896,1]");
  }

  eir::SessionOptions options;
  options.num_threads = num_threads;
  EIR_ASSIGN_OR_RETURN(std::unique_ptr<eir::Session> session, eir::Session::create(model, options));
  return std::unique_ptr<FaceDetector>(new FaceDetector(std::move(model), std::move(session), boxes, scores));
}

eir::Result<std::vector<Detection>> FaceDetector::detect(const eir_examples::Image& image) {
  const Letterbox box = compute_letterbox(image.width, image.height, kTensorSize, kTensorSize);
  const eir_examples::Image tensor_image = letterbox_image(image, box, kTensorSize, kTensorSize);

  EIR_ASSIGN_OR_RETURN(eir::TensorView input, session_->input_checked(0));
  if (input.bytes != tensor_image.rgb.size() * sizeof(float)) {
    return eir::internal_error("input tensor holds ", input.bytes, " bytes, expected ",
                               tensor_image.rgb.size() * sizeof(float));
  }
  to_float_tensor(tensor_image, -1.0f, 1.0f, input.data_as<float>());

  const auto start = std::chrono::steady_clock::now();
  EIR_RETURN_IF_ERROR(session_->run());
  last_inference_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  EIR_ASSIGN_OR_RETURN(eir::TensorView boxes, session_->output_checked(boxes_output_));
  EIR_ASSIGN_OR_RETURN(eir::TensorView scores, session_->output_checked(scores_output_));
  return postprocess(boxes.data_as<const float>(), boxes.bytes / sizeof(float), scores.data_as<const float>(),
                     scores.bytes / sizeof(float), box);
}

}  // namespace face
