// AVX2 + FMA3 GEMM/IGEMM bodies, instantiated by the *-avx2.cc tile files (compiled with -mavx2
// -mfma). NV ymm accumulators per row: NR = 8 * NV columns (NV = 2: the 6x16 tile; NV = 1: the
// 8x8 tile for layers with few output channels, e.g. 8, where a 16-wide tile would compute half
// zeros). Each k step broadcasts one A value per row and issues NV * MR FMAs.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir::ukernel_avx2 {

// Clamps and stores MR rows of NR = 8 * NV (or the nc < NR tail). Rows are stored from the last
// down so that the real row mr-1 is written last where rows past mr alias it.
template <int MR, int NV>
inline void store_rows(size_t nc, __m256 (&v)[NV][MR], float** cp, __m256 vmin, __m256 vmax) {
  #pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    #pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) v[j][i] = _mm256_min_ps(_mm256_max_ps(v[j][i], vmin), vmax);
  if (nc >= static_cast<size_t>(8 * NV)) {
    #pragma GCC unroll 16
    for (int i = MR - 1; i >= 0; --i)
      #pragma GCC unroll 2
      for (int j = 0; j < NV; ++j) _mm256_storeu_ps(cp[i] + 8 * j, v[j][i]);
    return;
  }
  #pragma GCC unroll 16
  for (int i = MR - 1; i >= 0; --i) {
    float* o = cp[i];
    __m256 x = v[0][i];
    if constexpr (NV == 2) {
      if (nc & 8) {
        _mm256_storeu_ps(o, x);
        x = v[1][i];
        o += 8;
      }
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

// The accumulators start from the packed bias (the first NR floats of each column block).
template <int MR, int NV>
inline void load_bias(const float*& w, __m256 (&v)[NV][MR]) {
  #pragma GCC unroll 2
  for (int j = 0; j < NV; ++j) v[j][0] = _mm256_load_ps(w + 8 * j);
  #pragma GCC unroll 16
  for (int i = 1; i < MR; ++i)
    #pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) v[j][i] = v[j][0];
  w += 8 * NV;
}

// One k step of MR rows whose A values are at ap[i][k].
template <int MR, int NV>
inline void k_step(const float* const* ap, size_t k, const float*& w, __m256 (&v)[NV][MR]) {
  __m256 wv[NV];
  #pragma GCC unroll 2
  for (int j = 0; j < NV; ++j) wv[j] = _mm256_load_ps(w + 8 * j);
  w += 8 * NV;
  #pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    const __m256 av = _mm256_broadcast_ss(ap[i] + k);
    #pragma GCC unroll 2
    for (int j = 0; j < NV; ++j) v[j][i] = _mm256_fmadd_ps(av, wv[j], v[j][i]);
  }
}

template <int MR, int NV = 2>
inline void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w, float* c,
                 size_t c_stride, const eir_f32_gemm_params* params) {
  constexpr size_t kNR = 8 * NV;
  const float* ap[MR];
  float* cp[MR];
  ap[0] = a;
  #pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  init_rows<MR>(mr, c, c_stride, cp);
  const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
  for (;;) {
    __m256 v[NV][MR];
    load_bias<MR, NV>(w, v);
    if constexpr (MR == 1) {
      // One row: two k steps in flight so that the FMA latency is hidden.
      __m256 u[NV][1];
      #pragma GCC unroll 2
      for (int j = 0; j < NV; ++j) u[j][0] = _mm256_setzero_ps();
      size_t k = 0;
      for (; k + 2 <= kc; k += 2) {
        k_step<1, NV>(ap, k, w, v);
        k_step<1, NV>(ap, k + 1, w, u);
      }
      if (k < kc) k_step<1, NV>(ap, k, w, v);
      #pragma GCC unroll 2
      for (int j = 0; j < NV; ++j) v[j][0] = _mm256_add_ps(v[j][0], u[j][0]);
    } else {
      for (size_t k = 0; k < kc; ++k) k_step<MR, NV>(ap, k, w, v);
    }
    store_rows<MR, NV>(nc, v, cp, vmin, vmax);
    if (nc <= kNR) return;
    nc -= kNR;
    #pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

template <int MR, int NV = 2>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const float* const* a, const float* w, float* c,
                  size_t c_stride, const eir_f32_gemm_params* params) {
  constexpr size_t kNR = 8 * NV;
  float* cp[MR];
  init_rows<MR>(mr, c, c_stride, cp);
  const __m256 vmin = _mm256_set1_ps(params->min), vmax = _mm256_set1_ps(params->max);
  for (;;) {
    __m256 v[NV][MR];
    load_bias<MR, NV>(w, v);
    const float* const* ind = a;
    for (size_t p = 0; p < ks; ++p) {
      const float* ap[MR];
      #pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) ap[i] = ind[i];
      ind += MR;
      for (size_t k = 0; k < kc; ++k) k_step<MR, NV>(ap, k, w, v);
    }
    store_rows<MR, NV>(nc, v, cp, vmin, vmax);
    if (nc <= kNR) return;
    nc -= kNR;
    #pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

}  // namespace eir::ukernel_avx2
