// CUSTOM:TFLite_Detection_PostProcess reference kernel: decoding, fast and regular NMS.
#include <catch2/catch.hpp>

#include <cmath>

#include "kernels/reference/sequence_kernels.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using eir::testing::OpTester;

namespace {

DetectionPostProcessParams default_params() {
  DetectionPostProcessParams p;
  p.max_detections = 3;
  p.max_classes_per_detection = 1;
  p.detections_per_class = 2;
  p.use_regular_nms = false;
  p.nms_score_threshold = 0.0f;
  p.nms_iou_threshold = 0.5f;
  p.num_classes = 2;
  p.y_scale = p.x_scale = 10.0f;
  p.h_scale = p.w_scale = 5.0f;
  return p;
}

struct Dpp {
  OpTester t{"TFLite_Detection_PostProcess"};
  int boxes = -1, classes = -1, scores = -1, num = -1;
  // Float inputs; zero box encodings decode to the anchors themselves.
  Dpp(const std::vector<float>& anchors, const std::vector<float>& class_scores, int classes_with_bg,
      const DetectionPostProcessParams& p, std::vector<float> encodings = {}) {
    const int n = static_cast<int>(anchors.size()) / 4;
    if (encodings.empty()) encodings.assign(static_cast<size_t>(4 * n), 0.0f);
    t.add_input(DType::kF32, {1, n, 4}, encodings);
    t.add_input(DType::kF32, {1, n, classes_with_bg}, class_scores);
    t.add_constant(DType::kF32, {n, 4}, anchors);
    add_outputs(p);
  }
  Dpp() = default;
  void add_outputs(const DetectionPostProcessParams& p) {
    boxes = t.add_output(DType::kF32);
    classes = t.add_output(DType::kF32);
    scores = t.add_output(DType::kF32);
    num = t.add_output(DType::kF32);
    t.node().params = p;
  }
  Status run() { return t.run(ref::detection_postprocess_kernel()); }
  std::vector<float> out_boxes() const { return t.output_values<float>(boxes); }
  std::vector<float> out_classes() const { return t.output_values<float>(classes); }
  std::vector<float> out_scores() const { return t.output_values<float>(scores); }
  float out_num() const { return t.output_values<float>(num)[0]; }
};

// Anchors as (ycenter, xcenter, h, w): box 0 = [0,0,1,1], box 1 = [0.05,0,1.05,1] (IoU with
// box 0 = 0.905), box 2 = [2.5,2.5,3.5,3.5] (disjoint).
const std::vector<float> kAnchors = {0.5f, 0.5f, 1, 1, 0.55f, 0.5f, 1, 1, 3, 3, 1, 1};
// Background column first, then classes 0 and 1.
const std::vector<float> kScores = {0, 0.9f, 0.1f, 0, 0.8f, 0.7f, 0, 0.3f, 0.6f};

}  // namespace

TEST_CASE("DetectionPostProcess: fast NMS suppresses the overlapping box", "[ops][detection]") {
  Dpp d(kAnchors, kScores, 3, default_params());
  REQUIRE(d.run().ok());
  CHECK(d.t.shape(d.boxes) == Shape{1, 3, 4});
  CHECK(d.t.shape(d.classes) == Shape{1, 3});
  CHECK(d.t.shape(d.num) == Shape{1});
  CHECK(d.out_num() == 2.0f);
  // Box 0 (class 0, 0.9) then box 2 (class 1, 0.6); box 1 (0.8) overlaps box 0; last slot zero.
  const std::vector<float> b = d.out_boxes();
  const std::vector<float> expected_boxes = {0, 0, 1, 1, 2.5f, 2.5f, 3.5f, 3.5f, 0, 0, 0, 0};
  for (size_t i = 0; i < b.size(); ++i) CHECK(b[i] == Approx(expected_boxes[i]));
  CHECK(d.out_classes() == std::vector<float>{0, 1, 0});
  CHECK(d.out_scores() == std::vector<float>{0.9f, 0.6f, 0});
}

TEST_CASE("DetectionPostProcess: score threshold and IoU threshold", "[ops][detection]") {
  SECTION("boxes below the score threshold are dropped") {
    DetectionPostProcessParams p = default_params();
    p.nms_score_threshold = 0.65f;
    Dpp d(kAnchors, kScores, 3, p);
    REQUIRE(d.run().ok());
    CHECK(d.out_num() == 1.0f);
    CHECK(d.out_scores() == std::vector<float>{0.9f, 0, 0});
  }
  SECTION("an IoU threshold above the overlap keeps both boxes") {
    DetectionPostProcessParams p = default_params();
    p.nms_iou_threshold = 0.95f;
    Dpp d(kAnchors, kScores, 3, p);
    REQUIRE(d.run().ok());
    CHECK(d.out_num() == 3.0f);
    CHECK(d.out_scores() == std::vector<float>{0.9f, 0.8f, 0.6f});
  }
}

TEST_CASE("DetectionPostProcess: regular NMS runs per class and merges by score", "[ops][detection]") {
  DetectionPostProcessParams p = default_params();
  p.use_regular_nms = true;
  Dpp d(kAnchors, kScores, 3, p);
  REQUIRE(d.run().ok());
  // Class 0 keeps box 0 (0.9) and box 2 (0.3); class 1 keeps box 1 (0.7) and box 2 (0.6), box 0
  // being suppressed by box 1. Merged and truncated to 3.
  CHECK(d.out_num() == 3.0f);
  CHECK(d.out_classes() == std::vector<float>{0, 1, 1});
  CHECK(d.out_scores() == std::vector<float>{0.9f, 0.7f, 0.6f});
  const std::vector<float> b = d.out_boxes();
  CHECK(b[4] == Approx(0.05f));  // second detection is box 1
  CHECK(b[8] == Approx(2.5f));   // third is box 2
}

TEST_CASE("DetectionPostProcess: equal scores keep anchor order (stable sort)", "[ops][detection]") {
  // Four disjoint boxes, all with score 0.5 for the only class (no background column).
  const std::vector<float> anchors = {0, 0, 1, 1, 0, 5, 1, 1, 0, 10, 1, 1, 0, 15, 1, 1};
  DetectionPostProcessParams p = default_params();
  p.num_classes = 1;
  p.max_detections = 4;
  for (bool regular : {false, true}) {
    p.use_regular_nms = regular;
    p.detections_per_class = 4;
    Dpp d(anchors, {0.5f, 0.5f, 0.5f, 0.5f}, 1, p);
    REQUIRE(d.run().ok());
    CHECK(d.out_num() == 4.0f);
    const std::vector<float> b = d.out_boxes();
    for (int k = 0; k < 4; ++k) CHECK(b[static_cast<size_t>(4 * k + 1)] == Approx(5.0f * k - 0.5f));
  }
}

TEST_CASE("DetectionPostProcess: center-size decoding with scales", "[ops][detection]") {
  // Encoding (y, x, h, w) = (1, -1, 5 ln 2, 0) on anchor (0.5, 0.5, 0.2, 0.4), scales 10/10/5/5:
  // center (0.52, 0.46), half sizes (0.2, 0.2).
  DetectionPostProcessParams p = default_params();
  p.num_classes = 1;
  p.max_detections = 1;
  Dpp d({0.5f, 0.5f, 0.2f, 0.4f}, {0.0f, 0.7f}, 2, p, {1.0f, -1.0f, 5.0f * std::log(2.0f), 0.0f});
  REQUIRE(d.run().ok());
  const std::vector<float> b = d.out_boxes();
  CHECK(b[0] == Approx(0.32f));
  CHECK(b[1] == Approx(0.26f));
  CHECK(b[2] == Approx(0.72f));
  CHECK(b[3] == Approx(0.66f));
  CHECK(d.out_scores()[0] == Approx(0.7f));
}

TEST_CASE("DetectionPostProcess: several classes per detection (fast NMS)", "[ops][detection]") {
  DetectionPostProcessParams p = default_params();
  p.max_detections = 2;
  p.max_classes_per_detection = 2;
  Dpp d(kAnchors, kScores, 3, p);
  REQUIRE(d.run().ok());
  CHECK(d.t.shape(d.classes) == Shape{1, 4});
  CHECK(d.out_num() == 2.0f);
  // Box 0: class 0 (0.9), class 1 (0.1); box 2: class 1 (0.6), class 0 (0.3).
  CHECK(d.out_classes() == std::vector<float>{0, 1, 1, 0});
  CHECK(d.out_scores() == std::vector<float>{0.9f, 0.1f, 0.6f, 0.3f});
}

TEST_CASE("DetectionPostProcess: uint8 inputs are dequantized first", "[ops][detection]") {
  Dpp d;
  // Encodings: scale 0.5, zero point 128 -> 130 = 1.0; anchors scale 0.1: (5, 5, 2, 4) -> (0.5, 0.5, 0.2, 0.4).
  d.t.add_input(DType::kU8, {1, 1, 4}, std::vector<uint8_t>{130, 126, 128, 128}, QuantParams{{0.5f}, {128}, 0});
  d.t.add_input(DType::kU8, {1, 1, 2}, std::vector<uint8_t>{0, 192}, QuantParams{{1.0f / 256}, {0}, 0});
  d.t.add_constant(DType::kU8, {1, 4}, std::vector<uint8_t>{5, 5, 2, 4}, QuantParams{{0.1f}, {0}, 0});
  DetectionPostProcessParams p = default_params();
  p.num_classes = 1;
  p.max_detections = 1;
  d.add_outputs(p);
  REQUIRE(d.run().ok());
  // ycenter = 1/10 * 0.2 + 0.5 = 0.52, xcenter = -0.1 * 0.4 + 0.5 = 0.46, half sizes 0.1, 0.2.
  const std::vector<float> b = d.out_boxes();
  CHECK(b[0] == Approx(0.42f));
  CHECK(b[1] == Approx(0.26f));
  CHECK(b[2] == Approx(0.62f));
  CHECK(b[3] == Approx(0.66f));
  CHECK(d.out_scores()[0] == 0.75f);
  CHECK(d.out_num() == 1.0f);
}

TEST_CASE("DetectionPostProcess: malformed nodes are refused", "[ops][detection]") {
  SECTION("anchors of the wrong shape") {
    Dpp d(kAnchors, kScores, 3, default_params());
    d.t.tensor(2).shape = {2, 4};
    CHECK(!d.run().ok());
  }
  SECTION("scores with too many classes") {
    DetectionPostProcessParams p = default_params();
    p.num_classes = 1;  // 3 score columns = num_classes + 2
    Dpp d(kAnchors, kScores, 3, p);
    CHECK(!d.run().ok());
  }
  SECTION("IoU threshold outside (0, 1]") {
    DetectionPostProcessParams p = default_params();
    p.nms_iou_threshold = 0.0f;
    Dpp d(kAnchors, kScores, 3, p);
    CHECK(!d.run().ok());
  }
  SECTION("float boxes with uint8 anchors") {
    Dpp d(kAnchors, kScores, 3, default_params());
    d.t.tensor(2).dtype = DType::kU8;
    CHECK(!d.run().ok());
  }
  SECTION("missing options") {
    Dpp d(kAnchors, kScores, 3, default_params());
    d.t.node().params = std::monostate{};
    CHECK(!d.run().ok());
  }
  SECTION("a negative anchor size gives an invalid decoded box at run time") {
    std::vector<float> anchors = kAnchors;
    anchors[2] = -1.0f;
    Dpp d(anchors, kScores, 3, default_params());
    const Status st = d.run();
    REQUIRE(!st.ok());
    CHECK(st.message().find("decoded box 0") != std::string::npos);
  }
  SECTION("batch size 2") {
    Dpp d(kAnchors, kScores, 3, default_params());
    d.t.tensor(0).shape = {2, 3, 4};
    CHECK(!d.run().ok());
  }
}
