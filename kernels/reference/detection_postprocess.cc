// CUSTOM:TFLite_Detection_PostProcess (SSD box decoding + non-maximum suppression), following
// TFLite's kernels/detection_postprocess.cc exactly.
//
// Inputs:  0 box encodings [1, N, >=4] (y, x, h, w per anchor, float32 or uint8),
//          1 class scores [1, N, C'] with C' = num_classes or num_classes + 1 (a leading
//            background class), float32 or uint8,
//          2 anchors [N, 4] (y, x, h, w); uint8 exactly when the box encodings are uint8.
// Outputs: 0 boxes [1, D, 4] (ymin, xmin, ymax, xmax), 1 classes [1, D], 2 scores [1, D],
//          3 number of detections [1], all float32; D = max_detections * max_classes_per_detection.
//
// uint8 inputs are dequantized first ((q - zero_point) * scale). Boxes are decoded in double
// (CenterSizeEncoding with the y/x/h/w scales). Two NMS variants:
//   fast (default): each anchor competes with its best class score; one NMS over all anchors,
//     then the top max_classes_per_detection classes of each kept anchor are reported;
//   regular (use_regular_nms): NMS per class (at most detections_per_class each), results
//     merged by score and truncated to max_detections.
// Single-class NMS keeps scores >= nms_score_threshold, sorts them with a *stable* descending
// sort, and drops any box whose IoU with an already selected box is > nms_iou_threshold.
// Outputs beyond the number of detections are zero (TFLite leaves the fast path's unset).
// run() allocates nothing: all working arrays live in the scratch buffer.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "kernels/reference/sequence_kernels.h"

namespace eir::ref {
namespace {

constexpr int kBoxes = 0, kScores = 1, kAnchors = 2;

struct BoxCorner {
  float ymin, xmin, ymax, xmax;
};
struct CenterSize {
  float y, x, h, w;
};
struct ScoredIndex {  // regular NMS: index = anchor * C' + class + label offset
  int index;
  float score;
};

struct DppState : KernelState {
  DetectionPostProcessParams p;
  int num_boxes = 0;
  int num_classes_with_background = 0;
  int label_offset = 0;
  int box_code_size = 4;          // dims[2] of the box encodings
  int num_categories_per_anchor = 1;  // fast NMS: min(max_classes_per_detection, num_classes)
  int num_detections_per_class = 0;   // regular NMS: min(detections_per_class, max_detections)
  // Byte offsets of the working arrays inside the scratch buffer.
  size_t off_decoded = 0, off_scores = 0, off_max_scores = 0, off_class_order = 0, off_class_tmp = 0,
         off_keep_scores = 0, off_keep_indices = 0, off_sorted = 0, off_sort_tmp = 0, off_active = 0,
         off_selected = 0, off_class_scores = 0, off_merged = 0, off_merge_tmp = 0;
};

// Carves aligned sub-arrays out of one scratch allocation.
class ScratchLayout {
 public:
  template <class T>
  size_t add(size_t count) {
    offset_ = (offset_ + 15) & ~static_cast<size_t>(15);
    const size_t at = offset_;
    offset_ += count * sizeof(T);
    return at;
  }
  size_t size() const { return offset_; }

 private:
  size_t offset_ = 0;
};

template <class T>
T* at(uint8_t* scratch, size_t offset) {
  return reinterpret_cast<T*>(scratch + offset);
}

Status prepare(KernelContext& ctx) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(3, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(4));
  const auto* params = ctx.node().params_as<DetectionPostProcessParams>();
  if (!params) return invalid_model("missing TFLite_Detection_PostProcess options");
  auto st = std::make_unique<DppState>();
  st->p = *params;
  const DetectionPostProcessParams& p = st->p;

  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kBoxes, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kScores, 3));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(kAnchors, 2));
  const Tensor& boxes = ctx.input(kBoxes);
  const Tensor& scores = ctx.input(kScores);
  const Tensor& anchors = ctx.input(kAnchors);
  if (boxes.dtype != DType::kF32 && boxes.dtype != DType::kU8)
    return unsupported(ctx.describe_input(kBoxes), " must be float32 or uint8");
  if (scores.dtype != DType::kF32 && scores.dtype != DType::kU8)
    return unsupported(ctx.describe_input(kScores), " must be float32 or uint8");
  // TFLite reads the anchors with the box encodings' type.
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(kAnchors, boxes.dtype));
  for (int i : {kBoxes, kAnchors, kScores}) {
    const Tensor& t = ctx.input(i);
    if (t.dtype == DType::kU8 && (t.quant.empty() || !(t.quant.scale() > 0.0f) || !std::isfinite(t.quant.scale())))
      return invalid_model(ctx.describe_input(i), " is uint8 but has no valid quantization scale");
  }

  if (boxes.dim(0) != 1) return unsupported(ctx.describe_input(kBoxes), ": only batch size 1 is supported");
  if (scores.dim(0) != 1) return unsupported(ctx.describe_input(kScores), ": only batch size 1 is supported");
  st->num_boxes = boxes.dim(1);
  st->box_code_size = boxes.dim(2);
  if (st->box_code_size < 4)
    return invalid_model(ctx.describe_input(kBoxes), " must have at least 4 values per box, got ", st->box_code_size);
  if (scores.dim(1) != st->num_boxes)
    return invalid_model(ctx.describe_input(kScores), " must have ", st->num_boxes, " boxes (dim 1), got ", scores.dim(1));
  if (anchors.dim(0) != st->num_boxes || anchors.dim(1) != 4)
    return invalid_model(ctx.describe_input(kAnchors), " must have shape [", st->num_boxes, ",4]");

  if (p.num_classes <= 0) return invalid_model("num_classes must be > 0, got ", p.num_classes);
  st->num_classes_with_background = scores.dim(2);
  st->label_offset = st->num_classes_with_background - p.num_classes;
  if (st->label_offset != 0 && st->label_offset != 1)
    return invalid_model(ctx.describe_input(kScores), " must have num_classes (", p.num_classes,
                         ") or num_classes + 1 classes, got ", st->num_classes_with_background);
  if (p.max_detections < 0) return invalid_model("max_detections must be >= 0, got ", p.max_detections);
  if (p.max_classes_per_detection <= 0)
    return invalid_model("max_classes_per_detection must be > 0, got ", p.max_classes_per_detection);
  if (!(p.nms_iou_threshold > 0.0f && p.nms_iou_threshold <= 1.0f))
    return invalid_model("nms_iou_threshold must be in (0, 1], got ", p.nms_iou_threshold);
  st->num_categories_per_anchor = std::min(p.max_classes_per_detection, p.num_classes);
  st->num_detections_per_class = std::min(p.detections_per_class, p.max_detections);
  if (p.use_regular_nms && st->num_detections_per_class <= 0)
    return invalid_model("regular NMS needs detections_per_class and max_detections > 0");
  const int64_t num_detected = static_cast<int64_t>(p.max_detections) * p.max_classes_per_detection;
  if (num_detected > (1 << 24)) return invalid_model("max_detections * max_classes_per_detection is too large");

  for (int o = 0; o < 4; ++o) {
    if (ctx.output(o).dtype != DType::kF32) return invalid_model(ctx.describe_output(o), " must be float32");
  }
  const int d = static_cast<int>(num_detected);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {1, d, 4}));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(1, {1, d}));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(2, {1, d}));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(3, {1}));

  const size_t n = static_cast<size_t>(st->num_boxes);
  const size_t c = static_cast<size_t>(p.num_classes);
  ScratchLayout layout;
  st->off_decoded = layout.add<BoxCorner>(n);
  st->off_scores = layout.add<float>(scores.dtype == DType::kU8 ? n * st->num_classes_with_background : 0);
  st->off_keep_scores = layout.add<float>(n);
  st->off_keep_indices = layout.add<int>(n);
  st->off_sorted = layout.add<int>(n);
  st->off_sort_tmp = layout.add<int>(n);
  st->off_active = layout.add<uint8_t>(n);
  if (p.use_regular_nms) {
    const size_t per_class = static_cast<size_t>(st->num_detections_per_class);
    const size_t merged = static_cast<size_t>(p.max_detections) + per_class;
    st->off_selected = layout.add<int>(per_class);
    st->off_class_scores = layout.add<float>(n);
    st->off_merged = layout.add<ScoredIndex>(merged);
    st->off_merge_tmp = layout.add<ScoredIndex>(merged);
  } else {
    st->off_selected = layout.add<int>(static_cast<size_t>(p.max_detections));
    st->off_max_scores = layout.add<float>(n);
    st->off_class_order = layout.add<int>(n * static_cast<size_t>(st->num_categories_per_anchor));
    st->off_class_tmp = layout.add<int>(c);
  }
  ctx.request_scratch(layout.size());
  ctx.set_state(std::move(st));
  return Status::Ok();
}

// ---------------------------------------------------------------- decoding

CenterSize read_center_size(const Tensor& t, int row, int row_size) {
  CenterSize v;
  float* dst[4] = {&v.y, &v.x, &v.h, &v.w};
  if (t.dtype == DType::kU8) {
    const uint8_t* q = t.as<uint8_t>() + static_cast<size_t>(row) * row_size;
    const float zp = static_cast<float>(t.quant.zero_point());
    const float scale = t.quant.scale();
    for (int k = 0; k < 4; ++k) *dst[k] = (static_cast<float>(q[k]) - zp) * scale;
  } else {
    const float* f = t.as<float>() + static_cast<size_t>(row) * row_size;
    for (int k = 0; k < 4; ++k) *dst[k] = f[k];
  }
  return v;
}

void decode_boxes(const DppState& st, const Tensor& boxes, const Tensor& anchors, BoxCorner* decoded) {
  const DetectionPostProcessParams& p = st.p;
  for (int i = 0; i < st.num_boxes; ++i) {
    const CenterSize box = read_center_size(boxes, i, st.box_code_size);
    const CenterSize anchor = read_center_size(anchors, i, 4);
    // TFLite evaluates these in double and rounds each result to float.
    const float ycenter = static_cast<float>(static_cast<double>(box.y) / static_cast<double>(p.y_scale) *
                                                 static_cast<double>(anchor.h) +
                                             static_cast<double>(anchor.y));
    const float xcenter = static_cast<float>(static_cast<double>(box.x) / static_cast<double>(p.x_scale) *
                                                 static_cast<double>(anchor.w) +
                                             static_cast<double>(anchor.x));
    const float half_h = static_cast<float>(
        0.5 * std::exp(static_cast<double>(box.h) / static_cast<double>(p.h_scale)) * static_cast<double>(anchor.h));
    const float half_w = static_cast<float>(
        0.5 * std::exp(static_cast<double>(box.w) / static_cast<double>(p.w_scale)) * static_cast<double>(anchor.w));
    decoded[i] = BoxCorner{ycenter - half_h, xcenter - half_w, ycenter + half_h, xcenter + half_w};
  }
}

// ---------------------------------------------------------------- NMS helpers

float intersection_over_union(const BoxCorner& a, const BoxCorner& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float ymin = std::max<float>(a.ymin, b.ymin);
  const float xmin = std::max<float>(a.xmin, b.xmin);
  const float ymax = std::min<float>(a.ymax, b.ymax);
  const float xmax = std::min<float>(a.xmax, b.xmax);
  const float intersection = std::max<float>(ymax - ymin, 0.0f) * std::max<float>(xmax - xmin, 0.0f);
  return intersection / (area_a + area_b - intersection);
}

// Stable descending argsort of values[0..n) into order (bottom-up merge sort through tmp);
// identical to TFLite's std::stable_sort with `values[i] > values[j]`, without allocating.
void stable_argsort_descending(const float* values, int n, int* order, int* tmp) {
  std::iota(order, order + n, 0);
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      const int mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = values[order[j]] > values[order[i]] ? order[j++] : order[i++];
      while (i < mid) tmp[k++] = order[i++];
      while (j < hi) tmp[k++] = order[j++];
    }
    std::copy(tmp, tmp + n, order);
  }
}

// Single-class NMS over all anchors' `scores`; writes at most max_detections anchor indices to
// selected (highest score first) and returns how many.
int nms_single_class(const DppState& st, const BoxCorner* decoded, const float* scores, int max_detections,
                     uint8_t* scratch, int* selected) {
  float* keep_scores = at<float>(scratch, st.off_keep_scores);
  int* keep_indices = at<int>(scratch, st.off_keep_indices);
  int* sorted = at<int>(scratch, st.off_sorted);
  int* sort_tmp = at<int>(scratch, st.off_sort_tmp);
  uint8_t* active = at<uint8_t>(scratch, st.off_active);

  int num_kept = 0;
  for (int i = 0; i < st.num_boxes; ++i) {
    if (scores[i] >= st.p.nms_score_threshold) {
      keep_scores[num_kept] = scores[i];
      keep_indices[num_kept] = i;
      ++num_kept;
    }
  }
  stable_argsort_descending(keep_scores, num_kept, sorted, sort_tmp);

  const int output_size = std::min(num_kept, max_detections);
  int num_selected = 0;
  int num_active = num_kept;
  std::fill(active, active + num_kept, uint8_t{1});
  for (int i = 0; i < num_kept; ++i) {
    if (num_active == 0 || num_selected >= output_size) break;
    if (!active[i]) continue;
    const int box_i = keep_indices[sorted[i]];
    selected[num_selected++] = box_i;
    active[i] = 0;
    --num_active;
    for (int j = i + 1; j < num_kept; ++j) {
      if (!active[j]) continue;
      if (intersection_over_union(decoded[box_i], decoded[keep_indices[sorted[j]]]) > st.p.nms_iou_threshold) {
        active[j] = 0;
        --num_active;
      }
    }
  }
  return num_selected;
}

// optimized_ops::ArgMaxVector for float: first maximum, NaNs skipped (0 if all are NaN).
int arg_max(const float* v, int n) {
  int best = 0;
  float best_value = v[0];
  for (int i = 1; i < n; ++i) {
    if (!std::isnan(v[i]) && (std::isnan(best_value) || v[i] > best_value)) {
      best_value = v[i];
      best = i;
    }
  }
  return std::isnan(best_value) ? 0 : best;
}

// ---------------------------------------------------------------- fast NMS

int fast_nms(const DppState& st, const BoxCorner* decoded, const float* scores, uint8_t* scratch, float* out_boxes,
             float* out_classes, float* out_scores) {
  const int c = st.p.num_classes, cw = st.num_classes_with_background, k = st.num_categories_per_anchor;
  float* max_scores = at<float>(scratch, st.off_max_scores);
  int* class_order = at<int>(scratch, st.off_class_order);  // [num_boxes, k]: top-k classes per anchor
  int* class_tmp = at<int>(scratch, st.off_class_tmp);
  int* selected = at<int>(scratch, st.off_selected);

  for (int row = 0; row < st.num_boxes; ++row) {
    const float* box_scores = scores + static_cast<size_t>(row) * cw + st.label_offset;
    int* top = class_order + static_cast<size_t>(row) * k;
    if (k == 1) {
      top[0] = arg_max(box_scores, c);
    } else {
      // TFLite's DecreasingPartialArgSort: std::partial_sort of class indices (not stable;
      // the same library algorithm gives the same order of ties).
      std::iota(class_tmp, class_tmp + c, 0);
      std::partial_sort(class_tmp, class_tmp + k, class_tmp + c,
                        [box_scores](int a, int b) { return box_scores[a] > box_scores[b]; });
      std::copy(class_tmp, class_tmp + k, top);
    }
    max_scores[row] = box_scores[top[0]];
  }

  const int num_selected = nms_single_class(st, decoded, max_scores, st.p.max_detections, scratch, selected);
  for (int d = 0; d < num_selected; ++d) {
    const int anchor = selected[d];
    const float* box_scores = scores + static_cast<size_t>(anchor) * cw + st.label_offset;
    const int* top = class_order + static_cast<size_t>(anchor) * k;
    for (int col = 0; col < k; ++col) {
      // Slots per detection are max_classes_per_detection wide even when k is smaller.
      const size_t slot = static_cast<size_t>(st.p.max_classes_per_detection) * d + col;
      std::memcpy(out_boxes + 4 * slot, &decoded[anchor], sizeof(BoxCorner));
      out_classes[slot] = static_cast<float>(top[col]);
      out_scores[slot] = box_scores[top[col]];
    }
  }
  return num_selected;
}

// ---------------------------------------------------------------- regular NMS

// Stable merge of the sorted runs [0, mid) and [mid, end) of v by descending score
// (std::inplace_merge semantics: on ties the first run comes first).
void merge_by_score(ScoredIndex* v, int mid, int end, ScoredIndex* tmp) {
  int i = 0, j = mid, k = 0;
  while (i < mid && j < end) tmp[k++] = v[j].score > v[i].score ? v[j++] : v[i++];
  while (i < mid) tmp[k++] = v[i++];
  while (j < end) tmp[k++] = v[j++];
  std::copy(tmp, tmp + end, v);
}

int regular_nms(const DppState& st, const BoxCorner* decoded, const float* scores, uint8_t* scratch, float* out_boxes,
                float* out_classes, float* out_scores) {
  const int cw = st.num_classes_with_background;
  float* class_scores = at<float>(scratch, st.off_class_scores);
  int* selected = at<int>(scratch, st.off_selected);
  ScoredIndex* merged = at<ScoredIndex>(scratch, st.off_merged);
  ScoredIndex* merge_tmp = at<ScoredIndex>(scratch, st.off_merge_tmp);

  int num_sorted = 0;
  for (int col = 0; col < st.p.num_classes; ++col) {
    for (int row = 0; row < st.num_boxes; ++row)
      class_scores[row] = scores[static_cast<size_t>(row) * cw + col + st.label_offset];
    const int num_selected =
        nms_single_class(st, decoded, class_scores, st.num_detections_per_class, scratch, selected);
    if (num_selected == 0) continue;
    for (int i = 0; i < num_selected; ++i) {
      merged[num_sorted + i].score = class_scores[selected[i]];
      merged[num_sorted + i].index = selected[i] * cw + col + st.label_offset;
    }
    merge_by_score(merged, num_sorted, num_sorted + num_selected, merge_tmp);
    num_sorted = std::min(num_sorted + num_selected, st.p.max_detections);
  }

  for (int d = 0; d < num_sorted; ++d) {
    const int anchor = merged[d].index / cw;
    const int class_index = merged[d].index - anchor * cw - st.label_offset;
    std::memcpy(out_boxes + 4 * static_cast<size_t>(d), &decoded[anchor], sizeof(BoxCorner));
    out_classes[d] = static_cast<float>(class_index);
    out_scores[d] = merged[d].score;
  }
  return num_sorted;
}

Status run(KernelContext& ctx) {
  const DppState& st = *ctx.state<DppState>();
  uint8_t* scratch = ctx.scratch();
  const Tensor& boxes = ctx.input(kBoxes);
  const Tensor& scores_t = ctx.input(kScores);
  BoxCorner* decoded = at<BoxCorner>(scratch, st.off_decoded);
  decode_boxes(st, boxes, ctx.input(kAnchors), decoded);

  // TFLite refuses (at run time) any decoded box with min > max.
  for (int i = 0; i < st.num_boxes; ++i) {
    if (decoded[i].ymin > decoded[i].ymax || decoded[i].xmin > decoded[i].xmax)
      return invalid_argument("decoded box ", i, " has min > max (negative anchor height or width?)");
  }

  const float* scores = nullptr;
  if (scores_t.dtype == DType::kU8) {
    // Dequantized like optimized_ops::Dequantize: float(double(scale) * (q - zero_point)).
    float* dq = at<float>(scratch, st.off_scores);
    const uint8_t* q = scores_t.as<uint8_t>();
    const double scale = scores_t.quant.scale();
    const int32_t zp = scores_t.quant.zero_point();
    const size_t count = static_cast<size_t>(st.num_boxes) * st.num_classes_with_background;
    for (size_t i = 0; i < count; ++i) dq[i] = static_cast<float>(scale * (static_cast<int32_t>(q[i]) - zp));
    scores = dq;
  } else {
    scores = scores_t.as<float>();
  }

  float* out_boxes = ctx.output(0).as<float>();
  float* out_classes = ctx.output(1).as<float>();
  float* out_scores = ctx.output(2).as<float>();
  const size_t slots = static_cast<size_t>(ctx.output(1).num_elements());
  std::fill(out_boxes, out_boxes + 4 * slots, 0.0f);
  std::fill(out_classes, out_classes + slots, 0.0f);
  std::fill(out_scores, out_scores + slots, 0.0f);

  const int num = st.p.use_regular_nms ? regular_nms(st, decoded, scores, scratch, out_boxes, out_classes, out_scores)
                                       : fast_nms(st, decoded, scores, scratch, out_boxes, out_classes, out_scores);
  ctx.output(3).as<float>()[0] = static_cast<float>(num);
  return Status::Ok();
}

}  // namespace

Kernel detection_postprocess_kernel() { return Kernel{"reference/detection_postprocess", prepare, run}; }

}  // namespace eir::ref
