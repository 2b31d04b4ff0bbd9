// AArch64 NEON float vector operations (4 lanes) for the family templates (dwconv-impl.h, ...).
// Include only from *-neon.cc files; unnamed namespace for the reason given in f32-vec-avx512f.h.
#pragma once

#include <arm_neon.h>

#include <cstddef>

namespace eir::simd {
namespace {

struct Neon {
  using V = float32x4_t;
  static constexpr size_t kLanes = 4;

  static V loadu(const float* p) { return vld1q_f32(p); }
  // n in (0, kLanes): lanes [0, n) from p (nothing past them is read), the others 0.
  static V load_tail(const float* p, size_t n) {
    V v = vdupq_n_f32(0.0f);
    v = vld1q_lane_f32(p, v, 0);
    if (n > 1) v = vld1q_lane_f32(p + 1, v, 1);
    if (n > 2) v = vld1q_lane_f32(p + 2, v, 2);
    return v;
  }
  static void storeu(float* p, V v) { vst1q_f32(p, v); }
  static void store_tail(float* p, V v, size_t n) {
    float32x2_t h = vget_low_f32(v);
    if (n & 2) {
      vst1_f32(p, h);
      h = vget_high_f32(v);
      p += 2;
    }
    if (n & 1) vst1_lane_f32(p, h, 0);
  }
  static V set1(float x) { return vdupq_n_f32(x); }
  static V zero() { return vdupq_n_f32(0.0f); }

  static V add(V a, V b) { return vaddq_f32(a, b); }
  static V sub(V a, V b) { return vsubq_f32(a, b); }
  static V mul(V a, V b) { return vmulq_f32(a, b); }
  static V div(V a, V b) { return vdivq_f32(a, b); }
  static V fma(V a, V b, V c) { return vfmaq_f32(c, a, b); }  // a * b + c
  static V abs(V x) { return vabsq_f32(x); }
  // FMAX/FMIN return NaN when either operand is NaN, so a NaN x survives the clamp.
  static V clamp(V x, V lo, V hi) { return vminq_f32(vmaxq_f32(x, lo), hi); }
  // acc < v ? v : acc: FMAXNM ignores a NaN operand (acc is never NaN), as TFLite's max pooling.
  static V max_into(V acc, V v) { return vmaxnmq_f32(acc, v); }
  // x < y ? a : b, lane-wise (false for NaN).
  static V lt_select(V x, V y, V a, V b) { return vbslq_f32(vcltq_f32(x, y), a, b); }
  static V round(V x) { return vrndnq_f32(x); }
  // 2^n for integer-valued n in [-126, 127].
  static V exp2i(V n) {
    const int32x4_t e = vaddq_s32(vcvtnq_s32_f32(n), vdupq_n_s32(127));
    return vreinterpretq_f32_s32(vshlq_n_s32(e, 23));
  }
};

}  // namespace
}  // namespace eir::simd
