// Portable qs8 GEMM/IGEMM bodies (NR columns, KR = 1, int8 weights), instantiated by the
// *-scalar.cc tile files, and the scalar requantization every SIMD kernel must agree with.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8 {

// The requantization of qs8-gemm.h for one accumulator (exact; int64 where TFLite is 64-bit).
inline int32_t requantize_scalar(int32_t acc, int32_t mult, int32_t left, int32_t right, int32_t round_mask,
                                 bool half_away) {
  const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(acc) << left);
  // floor((shifted * mult + 2^30) / 2^31): |result| <= 2^31 - 1 since |mult| < 2^31.
  const int64_t prod = static_cast<int64_t>(shifted) * mult + (int64_t{1} << 30);
  const int32_t high = static_cast<int32_t>(prod >> 31);
  const int32_t rem = high & round_mask;
  const int32_t threshold = (round_mask >> 1) + (half_away && high < 0 ? 1 : 0);
  return (high >> right) + (rem > threshold ? 1 : 0);
}

// Zero point (wrapping) and clamp; the result's low byte is the output.
inline int8_t finish_scalar(int32_t v, const eir_qs8_gemm_params* p) {
  v = static_cast<int32_t>(static_cast<uint32_t>(v) + static_cast<uint32_t>(p->output_zero_point));
  v = std::min(std::max(v, p->output_min), p->output_max);
  return static_cast<int8_t>(static_cast<uint8_t>(static_cast<uint32_t>(v)));
}

template <int MR, int NR>
inline void setup_rows(size_t mr, int8_t* c, size_t c_stride, int8_t** cp) {
  cp[0] = c;
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// rows(p, ap) fills ap[0..MR) with the row pointers of tap p.
template <int MR, int NR, class Rows>
inline void run(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w_void, int8_t* c,
                size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  int8_t* cp[MR];
  setup_rows<MR, NR>(mr, c, c_stride, cp);
  int32_t row_term[MR];
  for (int i = 0; i < MR; ++i) row_term[i] = row_terms ? row_terms[std::min<size_t>(i, mr - 1)] : 0;
  const uint8_t x = params->a_xor;
  const bool half_away = params->round_half_away != 0;
  const int8_t* w = static_cast<const int8_t*>(w_void);
  for (;;) {
    uint32_t acc[MR][NR];  // unsigned: the int32 sums wrap as TFLite's do
    const int32_t* bias = reinterpret_cast<const int32_t*>(w);
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i][j] = static_cast<uint32_t>(bias[j]) + static_cast<uint32_t>(row_term[i]);
    w += NR * sizeof(int32_t);
    for (size_t p = 0; p < ks; ++p) {
      const int8_t* ap[MR];
      rows(p, ap);
      for (size_t k = 0; k < kc; ++k) {
        for (int i = 0; i < MR; ++i) {
          const int32_t av = static_cast<int8_t>(static_cast<uint8_t>(ap[i][k]) ^ x);
          for (int j = 0; j < NR; ++j) acc[i][j] += static_cast<uint32_t>(av * w[j]);
        }
        w += NR;
      }
    }
    const int32_t* q = reinterpret_cast<const int32_t*>(w);  // multiplier, left, right, mask
    w += 4 * NR * sizeof(int32_t);
    const size_t n = std::min<size_t>(nc, NR);
    for (int i = MR - 1; i >= 0; --i)
      for (size_t j = 0; j < n; ++j)
        cp[i][j] = finish_scalar(requantize_scalar(static_cast<int32_t>(acc[i][j]), q[j], q[NR + j], q[2 * NR + j],
                                                   q[3 * NR + j], half_away),
                                 params);
    if (nc <= NR) return;
    nc -= NR;
    for (int i = 0; i < MR; ++i) cp[i] += NR;
  }
}

template <int MR, int NR>
inline void gemm(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                 size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t, const int8_t** ap) {
    ap[0] = a;
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  };
  run<MR, NR>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

template <int MR, int NR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t p, const int8_t** ap) {
    for (int i = 0; i < MR; ++i) ap[i] = a[p * MR + static_cast<size_t>(i)];
  };
  run<MR, NR>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8
