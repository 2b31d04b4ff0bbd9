// AVX2 + FMA3 GEMM/IGEMM bodies (NR = 16: two ymm accumulators per row), instantiated by the
// *-avx2.cc tile files, which are compiled with -mavx2 -mfma. Each k step broadcasts one A value
// per row and issues 2 * MR FMAs against two 8-float weight vectors.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir::ukernel_avx2 {

constexpr int kNR = 16;

// Clamps and stores MR rows of 16 (or the nc < 16 tail). Rows are stored from the last down so
// that the real row mr-1 is written last where rows past mr alias it.
template <int MR>
inline void store_rows(size_t nc, __m256 (&v0)[MR], __m256 (&v1)[MR], float** cp, __m256 vmin, __m256 vmax) {
  #pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = _mm256_min_ps(_mm256_max_ps(v0[i], vmin), vmax);
    v1[i] = _mm256_min_ps(_mm256_max_ps(v1[i], vmin), vmax);
  }
  if (nc >= 16) {
    #pragma GCC unroll 16
    for (int i = MR - 1; i >= 0; --i) {
      _mm256_storeu_ps(cp[i], v0[i]);
      _mm256_storeu_ps(cp[i] + 8, v1[i]);
    }
    return;
  }
  #pragma GCC unroll 16
  for (int i = MR - 1; i >= 0; --i) {
    float* o = cp[i];
    __m256 x = v0[i];
    if (nc & 8) {
      _mm256_storeu_ps(o, x);
      x = v1[i];
      o += 8;
    }
    __m128 h = _mm256_castps256_ps128(x);
    if (nc & 4) {
      _mm_storeu_ps(o, h);
      h = _mm256_extractf128_ps(x, 1);
      o += 4;
    }
    if (nc & 2) {
      _mm_storel_pi(reinterpret_cast<__m64*>(o), h);
      h = _mm_movehl_ps(h, h);
      o += 2;
    }
    if (nc & 1) _mm_store_ss(o, h);
  }
}

template <int MR>
inline void init_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
  #pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
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
  const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
  for (;;) {
    __m256 v0[MR], v1[MR];
    v0[0] = _mm256_load_ps(w);
    v1[0] = _mm256_load_ps(w + 8);
    #pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) {
      v0[i] = v0[0];
      v1[i] = v1[0];
    }
    w += kNR;
    if constexpr (MR == 1) {
      // One row: two k steps in flight so that the FMA latency is hidden.
      __m256 u0 = _mm256_setzero_ps(), u1 = _mm256_setzero_ps();
      size_t k = 0;
      for (; k + 2 <= kc; k += 2) {
        const __m256 a0 = _mm256_broadcast_ss(ap[0] + k), a1 = _mm256_broadcast_ss(ap[0] + k + 1);
        v0[0] = _mm256_fmadd_ps(a0, _mm256_load_ps(w), v0[0]);
        v1[0] = _mm256_fmadd_ps(a0, _mm256_load_ps(w + 8), v1[0]);
        u0 = _mm256_fmadd_ps(a1, _mm256_load_ps(w + 16), u0);
        u1 = _mm256_fmadd_ps(a1, _mm256_load_ps(w + 24), u1);
        w += 2 * kNR;
      }
      if (k < kc) {
        const __m256 a0 = _mm256_broadcast_ss(ap[0] + k);
        v0[0] = _mm256_fmadd_ps(a0, _mm256_load_ps(w), v0[0]);
        v1[0] = _mm256_fmadd_ps(a0, _mm256_load_ps(w + 8), v1[0]);
        w += kNR;
      }
      v0[0] = _mm256_add_ps(v0[0], u0);
      v1[0] = _mm256_add_ps(v1[0], u1);
    } else {
      for (size_t k = 0; k < kc; ++k) {
        const __m256 w0 = _mm256_load_ps(w), w1 = _mm256_load_ps(w + 8);
        w += kNR;
        #pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          const __m256 av = _mm256_broadcast_ss(ap[i] + k);
          v0[i] = _mm256_fmadd_ps(av, w0, v0[i]);
          v1[i] = _mm256_fmadd_ps(av, w1, v1[i]);
        }
      }
    }
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
  const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
  for (;;) {
    __m256 v0[MR], v1[MR];
    v0[0] = _mm256_load_ps(w);
    v1[0] = _mm256_load_ps(w + 8);
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
      for (size_t k = 0; k < kc; ++k) {
        const __m256 w0 = _mm256_load_ps(w), w1 = _mm256_load_ps(w + 8);
        w += kNR;
        #pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          const __m256 av = _mm256_broadcast_ss(ap[i] + k);
          v0[i] = _mm256_fmadd_ps(av, w0, v0[i]);
          v1[i] = _mm256_fmadd_ps(av, w1, v1[i]);
        }
      }
    }
    store_rows<MR>(nc, v0, v1, cp, vmin, vmax);
    if (nc <= static_cast<size_t>(kNR)) return;
    nc -= kNR;
    #pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

}  // namespace eir::ukernel_avx2
