// Helpers shared by the reference kernels: output-size and padding arithmetic with TFLite's
// conventions, fused-activation ranges, and N-d broadcasting. Kept obviously correct.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "runtime/core/status.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/op_params.h"

namespace eir::ref {

// Output size along one spatial dim; TFLite's ComputeOutSize. Returns <= 0 for impossible sizes.
inline int conv_output_size(Padding padding, int in, int filter, int stride, int dilation) {
  int effective = (filter - 1) * dilation + 1;
  if (stride <= 0 || in < 0) return 0;
  if (padding == Padding::kSame) return (in + stride - 1) / stride;
  return (in + stride - effective) / stride;
}

// Leading padding (top/left) along one dim; TFLite's ComputePaddingWithOffset (offset dropped:
// the extra pad of an odd total goes at the end).
inline int conv_leading_padding(Padding padding, int in, int filter, int stride, int dilation, int out) {
  if (padding == Padding::kValid) return 0;
  int effective = (filter - 1) * dilation + 1;
  int total = std::max((out - 1) * stride + effective - in, 0);
  return total / 2;
}

// Clamp range of a fused activation in float.
inline void activation_range_f32(Activation act, float* lo, float* hi) {
  *lo = -std::numeric_limits<float>::infinity();
  *hi = std::numeric_limits<float>::infinity();
  switch (act) {
    case Activation::kRelu: *lo = 0.0f; break;
    case Activation::kReluN1To1: *lo = -1.0f; *hi = 1.0f; break;
    case Activation::kRelu6: *lo = 0.0f; *hi = 6.0f; break;
    default: break;
  }
}

// Applies a float fused activation that is not a plain clamp (TANH, SIGN_BIT) or clamps.
inline bool activation_is_clamp(Activation act) {
  return act == Activation::kNone || act == Activation::kRelu || act == Activation::kReluN1To1 ||
         act == Activation::kRelu6;
}

// Up to 6-d broadcasting of two shapes (NumPy rules). Output shape or error.
Result<Shape> broadcast_shapes(const Shape& a, const Shape& b);

// Iterates the elements of `out_shape` and yields the flat indices into `a` and `b` (each
// broadcast to out_shape). Calls fn(out_index, a_index, b_index).
class BroadcastIndexer {
 public:
  BroadcastIndexer(const Shape& a, const Shape& b, const Shape& out);
  template <class Fn>
  void for_each(Fn&& fn) const {
    const int64_t total = shape_num_elements(out_);
    int64_t idx[kMaxRank] = {0};
    int64_t ia = 0, ib = 0;
    for (int64_t o = 0; o < total; ++o) {
      fn(o, ia, ib);
      // Increment the multi-index from the innermost dim.
      for (int d = rank_ - 1; d >= 0; --d) {
        ++idx[d];
        ia += stride_a_[d];
        ib += stride_b_[d];
        if (idx[d] < out_[static_cast<size_t>(d)]) break;
        ia -= stride_a_[d] * idx[d];
        ib -= stride_b_[d] * idx[d];
        idx[d] = 0;
      }
    }
  }
  static constexpr int kMaxRank = 8;

 private:
  Shape out_;
  int rank_ = 0;
  int64_t stride_a_[kMaxRank] = {0};
  int64_t stride_b_[kMaxRank] = {0};
};

// Resolves a possibly negative axis against rank; false if out of range.
inline bool normalize_axis(int axis, int rank, int* out) {
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return false;
  *out = axis;
  return true;
}

}  // namespace eir::ref
