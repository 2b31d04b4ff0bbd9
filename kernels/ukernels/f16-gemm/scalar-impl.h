// Portable f16 GEMM/IGEMM bodies, instantiated by the *-scalar.cc tile files: each product is
// added to an fp16 accumulator with one rounding to fp16, in the same k order as the SIMD
// kernels, so they agree up to the rare case where float's own rounding of the sum (before the
// rounding to fp16) lands on an fp16 tie. Slow (a software conversion per multiply-add): it is the
// tests' oracle and the fallback that keeps the driver testable on CPUs without fp16.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "kernels/reference/fp16.h"
#include "kernels/ukernels/f16-gemm/f16-gemm.h"

namespace eir::ukernel_f16_scalar {

inline float h2f(uint16_t h) { return ref::half_to_float(h); }
inline float round16(float x) { return ref::half_to_float(ref::float_to_half(x)); }

template <int MR, int NR>
inline void setup_rows(size_t mr, float* c, size_t c_stride, float** cp) {
  cp[0] = c;
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

template <int MR, int NR>
inline void store_block(size_t nc, float (&acc)[MR][NR], float** cp, const eir_f32_gemm_params* params) {
  // The bounds are rounded to fp16 like the SIMD kernels' (exact for the fused activations).
  const float lo = round16(params->min), hi = round16(params->max);
  const size_t n = std::min<size_t>(nc, NR);
  // Rows past mr alias the last real row; storing from the last row down leaves it correct.
  for (int i = MR - 1; i >= 0; --i)
    for (size_t j = 0; j < n; ++j) cp[i][j] = std::min(std::max(acc[i][j], lo), hi);
}

template <int MR, int NR>
inline void init_block(const uint16_t*& w, float (&acc)[MR][NR]) {
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) acc[i][j] = h2f(w[j]);
  w += NR;
}

template <int MR, int NR>
inline void step(const uint16_t* const (&ap)[MR], size_t k, const uint16_t*& w, float (&acc)[MR][NR]) {
  for (int i = 0; i < MR; ++i) {
    const float av = h2f(ap[i][k]);
    // av * w is exact in float (11 x 11 significand bits); fma rounds the sum once to float.
    for (int j = 0; j < NR; ++j) acc[i][j] = round16(std::fma(av, h2f(w[j]), acc[i][j]));
  }
  w += NR;
}

template <int MR, int NR>
inline void gemm(size_t mr, size_t nc, size_t kc, const uint16_t* a, size_t a_stride, const uint16_t* w, float* c,
                 size_t c_stride, const eir_f32_gemm_params* params) {
  const uint16_t* ap[MR];
  float* cp[MR];
  ap[0] = a;
  for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  setup_rows<MR, NR>(mr, c, c_stride, cp);
  for (;;) {
    float acc[MR][NR];
    init_block<MR, NR>(w, acc);
    for (size_t k = 0; k < kc; ++k) step<MR, NR>(ap, k, w, acc);
    store_block<MR, NR>(nc, acc, cp, params);
    if (nc <= NR) return;
    nc -= NR;
    for (int i = 0; i < MR; ++i) cp[i] += NR;
  }
}

template <int MR, int NR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const uint16_t* const* a, const uint16_t* w, float* c,
                  size_t c_stride, const eir_f32_gemm_params* params) {
  float* cp[MR];
  setup_rows<MR, NR>(mr, c, c_stride, cp);
  for (;;) {
    float acc[MR][NR];
    init_block<MR, NR>(w, acc);
    const uint16_t* const* ind = a;
    for (size_t p = 0; p < ks; ++p, ind += MR) {
      const uint16_t* ap[MR];
      for (int i = 0; i < MR; ++i) ap[i] = ind[i];
      for (size_t k = 0; k < kc; ++k) step<MR, NR>(ap, k, w, acc);
    }
    store_block<MR, NR>(nc, acc, cp, params);
    if (nc <= NR) return;
    nc -= NR;
    for (int i = 0; i < MR; ++i) cp[i] += NR;
  }
}

}  // namespace eir::ukernel_f16_scalar
