// AArch64 ARMv8.2-FP16 GEMM/IGEMM bodies (NR = 16: two float16x8 accumulators per row),
// instantiated by the *-neonfp16arith.cc tile files (compiled with -march=armv8.2-a+fp16). The
// main loop reads 4 consecutive fp16 A values per row as one 64-bit vector and multiplies each
// weight row by one lane (FMLA .8h by element): 6 rows x 2 accumulators + 6 A + 8 weight
// registers fit the 32 vector registers. The accumulators are clamped in fp16, then widened to
// float32 for the store. fp16 data is loaded through uint16_t pointers (the interface type) and
// reinterpreted, which is free.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/f16-gemm/f16-gemm.h"

namespace eir::ukernel_neonfp16arith {

constexpr int kNR = 16;

inline float16x8_t load8(const uint16_t* p) { return vreinterpretq_f16_u16(vld1q_u16(p)); }
inline float16x4_t load4(const uint16_t* p) { return vreinterpret_f16_u16(vld1_u16(p)); }

template <int MR>
inline void init_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// Rows are stored from the last down so that the real row mr-1 is written last where rows past mr
// alias it.
template <int MR>
inline void store_rows(size_t nc, float16x8_t (&v0)[MR], float16x8_t (&v1)[MR], float** cp, float16x8_t vmin,
                       float16x8_t vmax) {
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = vminq_f16(vmaxq_f16(v0[i], vmin), vmax);
    v1[i] = vminq_f16(vmaxq_f16(v1[i], vmin), vmax);
  }
  if (nc >= static_cast<size_t>(kNR)) {
#pragma GCC unroll 16
    for (int i = MR - 1; i >= 0; --i) {
      vst1q_f32(cp[i], vcvt_f32_f16(vget_low_f16(v0[i])));
      vst1q_f32(cp[i] + 4, vcvt_high_f32_f16(v0[i]));
      vst1q_f32(cp[i] + 8, vcvt_f32_f16(vget_low_f16(v1[i])));
      vst1q_f32(cp[i] + 12, vcvt_high_f32_f16(v1[i]));
    }
    return;
  }
#pragma GCC unroll 16
  for (int i = MR - 1; i >= 0; --i) {
    float* o = cp[i];
    float16x8_t x = v0[i];
    if (nc & 8) {
      vst1q_f32(o, vcvt_f32_f16(vget_low_f16(x)));
      vst1q_f32(o + 4, vcvt_high_f32_f16(x));
      x = v1[i];
      o += 8;
    }
    float32x4_t q = vcvt_f32_f16(vget_low_f16(x));
    if (nc & 4) {
      vst1q_f32(o, q);
      q = vcvt_high_f32_f16(x);
      o += 4;
    }
    float32x2_t h = vget_low_f32(q);
    if (nc & 2) {
      vst1_f32(o, h);
      h = vget_high_f32(q);
      o += 2;
    }
    if (nc & 1) vst1_lane_f32(o, h, 0);
  }
}

// acc[i] += A[i][k..k+3] . W[k..k+3] for all MR rows; `w` advances by 4 weight rows.
template <int MR>
inline void step4(const float16x4_t (&av)[MR], const uint16_t*& w, float16x8_t (&v0)[MR], float16x8_t (&v1)[MR]) {
  const float16x8_t w0a = load8(w), w1a = load8(w + 8);
  const float16x8_t w0b = load8(w + 16), w1b = load8(w + 24);
  const float16x8_t w0c = load8(w + 32), w1c = load8(w + 40);
  const float16x8_t w0d = load8(w + 48), w1d = load8(w + 56);
  w += 4 * kNR;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = vfmaq_lane_f16(v0[i], w0a, av[i], 0);
    v1[i] = vfmaq_lane_f16(v1[i], w1a, av[i], 0);
    v0[i] = vfmaq_lane_f16(v0[i], w0b, av[i], 1);
    v1[i] = vfmaq_lane_f16(v1[i], w1b, av[i], 1);
    v0[i] = vfmaq_lane_f16(v0[i], w0c, av[i], 2);
    v1[i] = vfmaq_lane_f16(v1[i], w1c, av[i], 2);
    v0[i] = vfmaq_lane_f16(v0[i], w0d, av[i], 3);
    v1[i] = vfmaq_lane_f16(v1[i], w1d, av[i], 3);
  }
}

// The kc % 4 leftover k steps, one at a time.
template <int MR>
inline void step1(const uint16_t* const (&ap)[MR], size_t k, const uint16_t*& w, float16x8_t (&v0)[MR],
                  float16x8_t (&v1)[MR]) {
  const float16x8_t w0 = load8(w), w1 = load8(w + 8);
  w += kNR;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    const float16x8_t a = vreinterpretq_f16_u16(vld1q_dup_u16(ap[i] + k));
    v0[i] = vfmaq_f16(v0[i], a, w0);
    v1[i] = vfmaq_f16(v1[i], a, w1);
  }
}

template <int MR>
inline void accumulate(const uint16_t* const (&ap)[MR], size_t kc, const uint16_t*& w, float16x8_t (&v0)[MR],
                       float16x8_t (&v1)[MR]) {
  size_t k = 0;
  for (; k + 4 <= kc; k += 4) {
    float16x4_t av[MR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) av[i] = load4(ap[i] + k);
    step4<MR>(av, w, v0, v1);
  }
  for (; k < kc; ++k) step1<MR>(ap, k, w, v0, v1);
}

template <int MR>
inline void init_acc(const uint16_t*& w, float16x8_t (&v0)[MR], float16x8_t (&v1)[MR]) {
  v0[0] = load8(w);
  v1[0] = load8(w + 8);
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) {
    v0[i] = v0[0];
    v1[i] = v1[0];
  }
  w += kNR;
}

inline float16x8_t bound(float x) { return vdupq_n_f16(static_cast<float16_t>(x)); }

template <int MR>
inline void gemm(size_t mr, size_t nc, size_t kc, const uint16_t* a, size_t a_stride, const uint16_t* w, float* c,
                 size_t c_stride, const eir_f32_gemm_params* params) {
  const uint16_t* ap[MR];
  float* cp[MR];
  ap[0] = a;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  init_rows<MR>(mr, c, c_stride, cp);
  const float16x8_t vmin = bound(params->min), vmax = bound(params->max);
  for (;;) {
    float16x8_t v0[MR], v1[MR];
    init_acc<MR>(w, v0, v1);
    accumulate<MR>(ap, kc, w, v0, v1);
    store_rows<MR>(nc, v0, v1, cp, vmin, vmax);
    if (nc <= static_cast<size_t>(kNR)) return;
    nc -= kNR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

template <int MR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const uint16_t* const* a, const uint16_t* w, float* c,
                  size_t c_stride, const eir_f32_gemm_params* params) {
  float* cp[MR];
  init_rows<MR>(mr, c, c_stride, cp);
  const float16x8_t vmin = bound(params->min), vmax = bound(params->max);
  for (;;) {
    float16x8_t v0[MR], v1[MR];
    init_acc<MR>(w, v0, v1);
    const uint16_t* const* ind = a;
    for (size_t p = 0; p < ks; ++p) {
      const uint16_t* ap[MR];
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) ap[i] = ind[i];
      ind += MR;
      accumulate<MR>(ap, kc, w, v0, v1);
    }
    store_rows<MR>(nc, v0, v1, cp, vmin, vmax);
    if (nc <= static_cast<size_t>(kNR)) return;
    nc -= kNR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

}  // namespace eir::ukernel_neonfp16arith
