// AArch64 NEON GEMM/IGEMM bodies (NR = 8: two q-register accumulators per row), instantiated by
// the *-neon.cc tile files. The main loop reads 4 consecutive A values per row as one vector and
// multiplies each weight row by one lane (FMLA by element), so A costs one load per 4 k steps.
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir::ukernel_neon {

constexpr int kNR = 8;

template <int MR>
inline void init_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// Rows are stored from the last down so that the real row mr-1 is written last where rows past mr
// alias it.
template <int MR>
inline void store_rows(size_t nc, float32x4_t (&v0)[MR], float32x4_t (&v1)[MR], float** cp, float32x4_t vmin,
                       float32x4_t vmax) {
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = vminq_f32(vmaxq_f32(v0[i], vmin), vmax);
    v1[i] = vminq_f32(vmaxq_f32(v1[i], vmin), vmax);
  }
  if (nc >= static_cast<size_t>(kNR)) {
#pragma GCC unroll 16
    for (int i = MR - 1; i >= 0; --i) {
      vst1q_f32(cp[i], v0[i]);
      vst1q_f32(cp[i] + 4, v1[i]);
    }
    return;
  }
#pragma GCC unroll 16
  for (int i = MR - 1; i >= 0; --i) {
    float* o = cp[i];
    float32x4_t x = v0[i];
    if (nc & 4) {
      vst1q_f32(o, x);
      x = v1[i];
      o += 4;
    }
    float32x2_t h = vget_low_f32(x);
    if (nc & 2) {
      vst1_f32(o, h);
      h = vget_high_f32(x);
      o += 2;
    }
    if (nc & 1) vst1_lane_f32(o, h, 0);
  }
}

// acc[i] += A[i][k..k+3] . W[k..k+3] for all MR rows; `w` advances by 4 weight rows.
template <int MR>
inline void step4(const float32x4_t (&av)[MR], const float*& w, float32x4_t (&v0)[MR], float32x4_t (&v1)[MR]) {
  const float32x4_t w0a = vld1q_f32(w), w1a = vld1q_f32(w + 4);
  const float32x4_t w0b = vld1q_f32(w + 8), w1b = vld1q_f32(w + 12);
  const float32x4_t w0c = vld1q_f32(w + 16), w1c = vld1q_f32(w + 20);
  const float32x4_t w0d = vld1q_f32(w + 24), w1d = vld1q_f32(w + 28);
  w += 4 * kNR;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = vfmaq_laneq_f32(v0[i], w0a, av[i], 0);
    v1[i] = vfmaq_laneq_f32(v1[i], w1a, av[i], 0);
    v0[i] = vfmaq_laneq_f32(v0[i], w0b, av[i], 1);
    v1[i] = vfmaq_laneq_f32(v1[i], w1b, av[i], 1);
    v0[i] = vfmaq_laneq_f32(v0[i], w0c, av[i], 2);
    v1[i] = vfmaq_laneq_f32(v1[i], w1c, av[i], 2);
    v0[i] = vfmaq_laneq_f32(v0[i], w0d, av[i], 3);
    v1[i] = vfmaq_laneq_f32(v1[i], w1d, av[i], 3);
  }
}

// The kc % 4 leftover k steps, one at a time.
template <int MR>
inline void step1(const float* const (&ap)[MR], size_t k, const float*& w, float32x4_t (&v0)[MR],
                  float32x4_t (&v1)[MR]) {
  const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4);
  w += kNR;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    const float32x4_t a = vld1q_dup_f32(ap[i] + k);
    v0[i] = vfmaq_f32(v0[i], a, w0);
    v1[i] = vfmaq_f32(v1[i], a, w1);
  }
}

template <int MR>
inline void accumulate(const float* const (&ap)[MR], size_t kc, const float*& w, float32x4_t (&v0)[MR],
                       float32x4_t (&v1)[MR]) {
  size_t k = 0;
  for (; k + 4 <= kc; k += 4) {
    float32x4_t av[MR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) av[i] = vld1q_f32(ap[i] + k);
    step4<MR>(av, w, v0, v1);
  }
  for (; k < kc; ++k) step1<MR>(ap, k, w, v0, v1);
}

template <int MR>
inline void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w, float* c,
                 size_t c_stride, const eir_f32_gemm_params* params) {
  const float* ap[MR];
  float* cp[MR];
  ap[0] = a;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  init_rows<MR>(mr, c, c_stride, cp);
  const float32x4_t vmin = vdupq_n_f32(params->min), vmax = vdupq_n_f32(params->max);
  for (;;) {
    float32x4_t v0[MR], v1[MR];
    v0[0] = vld1q_f32(w);
    v1[0] = vld1q_f32(w + 4);
#pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) {
      v0[i] = v0[0];
      v1[i] = v1[0];
    }
    w += kNR;
    accumulate<MR>(ap, kc, w, v0, v1);
    store_rows<MR>(nc, v0, v1, cp, vmin, vmax);
    if (nc <= static_cast<size_t>(kNR)) return;
    nc -= kNR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

template <int MR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const float* const* a, const float* w, float* c,
                  size_t c_stride, const eir_f32_gemm_params* params) {
  float* cp[MR];
  init_rows<MR>(mr, c, c_stride, cp);
  const float32x4_t vmin = vdupq_n_f32(params->min), vmax = vdupq_n_f32(params->max);
  for (;;) {
    float32x4_t v0[MR], v1[MR];
    v0[0] = vld1q_f32(w);
    v1[0] = vld1q_f32(w + 4);
#pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) {
      v0[i] = v0[0];
      v1[i] = v1[0];
    }
    w += kNR;
    const float* const* ind = a;
    for (size_t p = 0; p < ks; ++p) {
      const float* ap[MR];
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

}  // namespace eir::ukernel_neon
