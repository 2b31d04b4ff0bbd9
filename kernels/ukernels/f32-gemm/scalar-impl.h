// Portable GEMM/IGEMM bodies, instantiated by the *-scalar.cc tile files. Plain loops over small
// fixed-size arrays: the compiler keeps the MR x NR accumulators in registers.
#pragma once

#include <algorithm>
#include <cstddef>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir::ukernel_scalar {

template <int MR, int NR>
inline void setup_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

template <int MR, int NR>
inline void store_block(size_t nc, float (&acc)[MR][NR], float** cp, const eir_f32_gemm_params* params) {
  const float lo = params->min, hi = params->max;
  const size_t n = std::min<size_t>(nc, NR);
  // Rows past mr alias the last real row; storing from the last row down leaves it correct.
  for (int i = MR - 1; i >= 0; --i)
    for (size_t j = 0; j < n; ++j) cp[i][j] = std::min(std::max(acc[i][j], lo), hi);
}

template <int MR, int NR>
inline void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w, float* c,
                 size_t c_stride, const eir_f32_gemm_params* params) {
  const float* ap[MR];
  float* cp[MR];
  ap[0] = a;
  for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  setup_rows<MR, NR>(mr, c, c_stride, cp);
  for (;;) {
    float acc[MR][NR];
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i][j] = w[j];
    w += NR;
    for (size_t k = 0; k < kc; ++k) {
      for (int i = 0; i < MR; ++i) {
        const float av = ap[i][k];
        for (int j = 0; j < NR; ++j) acc[i][j] += av * w[j];
      }
      w += NR;
    }
    store_block<MR, NR>(nc, acc, cp, params);
    if (nc <= NR) return;
    nc -= NR;
    for (int i = 0; i < MR; ++i) cp[i] += NR;
  }
}

template <int MR, int NR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const float* const* a, const float* w, float* c,
                  size_t c_stride, const eir_f32_gemm_params* params) {
  float* cp[MR];
  setup_rows<MR, NR>(mr, c, c_stride, cp);
  for (;;) {
    float acc[MR][NR];
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i][j] = w[j];
    w += NR;
    const float* const* ind = a;
    for (size_t p = 0; p < ks; ++p, ind += MR) {
      for (size_t k = 0; k < kc; ++k) {
        for (int i = 0; i < MR; ++i) {
          const float av = ind[i][k];
          for (int j = 0; j < NR; ++j) acc[i][j] += av * w[j];
        }
        w += NR;
      }
    }
    store_block<MR, NR>(nc, acc, cp, params);
    if (nc <= NR) return;
    nc -= NR;
    for (int i = 0; i < MR; ++i) cp[i] += NR;
  }
}

}  // namespace eir::ukernel_scalar
