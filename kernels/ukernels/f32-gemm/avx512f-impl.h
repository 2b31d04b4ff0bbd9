// AVX-512F GEMM/IGEMM bodies (NR = 32: two zmm accumulators per row), instantiated by the
// *-avx512f.cc tile files. Each k step broadcasts one A value per row (folded into the FMA as an
// embedded broadcast) against two 16-float weight vectors; the nc < 32 tail uses masked stores.
#pragma once

// GCC 12 warns that _mm512_undefined_ps() (used inside _mm512_min_ps/_mm512_max_ps) is
// uninitialized once inlined (GCC bug 105593, fixed in GCC 13): silence that false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir::ukernel_avx512f {

constexpr int kNR = 32;

template <int MR>
inline void init_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// Clamps and stores MR rows (from the last down, so that the real row mr-1 is written last where
// rows past mr alias it).
template <int MR>
inline void store_rows(size_t nc, __m512 (&v0)[MR], __m512 (&v1)[MR], float** cp, __m512 vmin, __m512 vmax) {
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    v0[i] = _mm512_min_ps(_mm512_max_ps(v0[i], vmin), vmax);
    v1[i] = _mm512_min_ps(_mm512_max_ps(v1[i], vmin), vmax);
  }
  if (nc >= static_cast<size_t>(kNR)) {
#pragma GCC unroll 16
    for (int i = MR - 1; i >= 0; --i) {
      _mm512_storeu_ps(cp[i], v0[i]);
      _mm512_storeu_ps(cp[i] + 16, v1[i]);
    }
    return;
  }
  const __mmask16 m0 = static_cast<__mmask16>(nc >= 16 ? 0xFFFFu : (1u << nc) - 1u);
  const __mmask16 m1 = static_cast<__mmask16>(nc > 16 ? (1u << (nc - 16)) - 1u : 0u);
#pragma GCC unroll 16
  for (int i = MR - 1; i >= 0; --i) {
    _mm512_mask_storeu_ps(cp[i], m0, v0[i]);
    _mm512_mask_storeu_ps(cp[i] + 16, m1, v1[i]);
  }
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
  const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
  for (;;) {
    __m512 v0[MR], v1[MR];
    v0[0] = _mm512_load_ps(w);
    v1[0] = _mm512_load_ps(w + 16);
#pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) {
      v0[i] = v0[0];
      v1[i] = v1[0];
    }
    w += kNR;
    if constexpr (MR == 1) {
      // One row: two k steps in flight so that the FMA latency is hidden.
      __m512 u0 = _mm512_setzero_ps(), u1 = _mm512_setzero_ps();
      size_t k = 0;
      for (; k + 2 <= kc; k += 2) {
        const __m512 a0 = _mm512_set1_ps(ap[0][k]), a1 = _mm512_set1_ps(ap[0][k + 1]);
        v0[0] = _mm512_fmadd_ps(a0, _mm512_load_ps(w), v0[0]);
        v1[0] = _mm512_fmadd_ps(a0, _mm512_load_ps(w + 16), v1[0]);
        u0 = _mm512_fmadd_ps(a1, _mm512_load_ps(w + 32), u0);
        u1 = _mm512_fmadd_ps(a1, _mm512_load_ps(w + 48), u1);
        w += 2 * kNR;
      }
      if (k < kc) {
        const __m512 a0 = _mm512_set1_ps(ap[0][k]);
        v0[0] = _mm512_fmadd_ps(a0, _mm512_load_ps(w), v0[0]);
        v1[0] = _mm512_fmadd_ps(a0, _mm512_load_ps(w + 16), v1[0]);
        w += kNR;
      }
      v0[0] = _mm512_add_ps(v0[0], u0);
      v1[0] = _mm512_add_ps(v1[0], u1);
    } else {
      for (size_t k = 0; k < kc; ++k) {
        const __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16);
        w += kNR;
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          const __m512 av = _mm512_set1_ps(ap[i][k]);
          v0[i] = _mm512_fmadd_ps(av, w0, v0[i]);
          v1[i] = _mm512_fmadd_ps(av, w1, v1[i]);
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
  const __m512 vmin = _mm512_set1_ps(params->min), vmax = _mm512_set1_ps(params->max);
  for (;;) {
    __m512 v0[MR], v1[MR];
    v0[0] = _mm512_load_ps(w);
    v1[0] = _mm512_load_ps(w + 16);
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
        const __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16);
        w += kNR;
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          const __m512 av = _mm512_set1_ps(ap[i][k]);
          v0[i] = _mm512_fmadd_ps(av, w0, v0[i]);
          v1[i] = _mm512_fmadd_ps(av, w1, v1[i]);
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

}  // namespace eir::ukernel_avx512f
