// AVX2 qs8 GEMM/IGEMM bodies (NR = 8, KR = 8, int16 weights), instantiated by the *-avx2.cc tile
// files. Per 8 k: each row's 8 activation bytes are XORed with a_xor, sign-extended to int16 and
// broadcast to both 128-bit lanes; VPMADDWD against 4 packed vectors of (column q, column q + 4)
// x 8 k gives pairwise sums, added into 4 accumulators per row; the 4 partial sums per column
// are reduced with two rounds of VPHADDD at the end (the packer stores a block's columns in the
// order 0 4 1 5 2 6 3 7 so that the reduction leaves them in order). VPMADDUBSW is not used: it
// saturates. A kc remainder of 1-7 bytes is assembled from smaller loads (never past kc).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8_avx2 {

constexpr size_t kNR = 8;

// Bytes [0, n) of p, n < 8, zero-extended to 64 bits.
inline uint64_t load_partial(const int8_t* p, size_t n) {
  uint64_t v = 0;
  size_t off = 0;
  if (n & 4) {
    uint32_t t;
    std::memcpy(&t, p, 4);
    v = t;
    off = 4;
  }
  if (n & 2) {
    uint16_t t;
    std::memcpy(&t, p + off, 2);
    v |= static_cast<uint64_t>(t) << (8 * off);
    off += 2;
  }
  if (n & 1) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[off])) << (8 * off);
  return v;
}

// 8 activation bytes (as a 64-bit value) -> int16 x 8 in both lanes.
inline __m256i widen(__m128i a8, __m128i vxor) {
  return _mm256_cvtepi8_epi16(_mm_xor_si128(_mm_unpacklo_epi64(a8, a8), vxor));
}

// See qs8-gemm.h. tie = -1 rounds ties of the final shift away from zero, 0 up. q points at 8
// multipliers; the left shifts, right shifts and masks follow at q + stride, + 2 stride, + 3 stride.
inline __m256i requantize(__m256i acc, const int32_t* q, __m256i tie, size_t stride = kNR) {
  const __m256i round = _mm256_set1_epi64x(int64_t{1} << 30);
  const __m256i mult = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i left = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + stride));
  const __m256i right = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 2 * stride));
  const __m256i mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 3 * stride));
  const __m256i x = _mm256_sllv_epi32(acc, left);
  const __m256i pe = _mm256_add_epi64(_mm256_mul_epi32(x, mult), round);
  const __m256i po =
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32)), round);
  // Bits 31..62 of each 64-bit product: even lanes shifted down, odd lanes into the high half.
  const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(pe, 31), _mm256_slli_epi64(po, 1), 0xAA);
  const __m256i rem = _mm256_and_si256(high, mask);
  const __m256i threshold =
      _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_and_si256(_mm256_srai_epi32(high, 31), tie));
  // cmpgt is -1 where the remainder rounds up.
  return _mm256_sub_epi32(_mm256_srav_epi32(high, right), _mm256_cmpgt_epi32(rem, threshold));
}

template <int MR>
inline void setup_rows(size_t mr, int8_t* c, size_t c_stride, int8_t** cp) {
  cp[0] = c;
#pragma GCC unroll 8
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// rows(p, ap) fills ap[0..MR) with the row pointers of tap p.
template <int MR, class Rows>
inline void run(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w_void, int8_t* c,
                size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  int8_t* cp[MR];
  setup_rows<MR>(mr, c, c_stride, cp);
  int32_t row_term[MR];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) row_term[i] = row_terms ? row_terms[static_cast<size_t>(i) < mr ? i : mr - 1] : 0;
  const __m128i vxor = _mm_set1_epi8(static_cast<char>(params->a_xor));
  const size_t kc8 = kc & ~size_t{7};
  const size_t krem = kc & 7;
  const uint8_t* w = static_cast<const uint8_t*>(w_void);
  for (;;) {
    const __m256i bias = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w));
    w += kNR * sizeof(int32_t);
    __m256i acc[MR][4];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) acc[i][q] = _mm256_setzero_si256();
    for (size_t p = 0; p < ks; ++p) {
      const int8_t* ap[MR];
      rows(p, ap);
      for (size_t k = 0; k < kc8; k += 8) {
        const __m256i* wv = reinterpret_cast<const __m256i*>(w);
#pragma GCC unroll 8
        for (int i = 0; i < MR; ++i) {
          const __m256i av = widen(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(ap[i] + k)), vxor);
#pragma GCC unroll 4
          for (int q = 0; q < 4; ++q)
            acc[i][q] = _mm256_add_epi32(acc[i][q], _mm256_madd_epi16(av, _mm256_loadu_si256(wv + q)));
        }
        w += 4 * sizeof(__m256i);
      }
      if (krem != 0) {
        const __m256i* wv = reinterpret_cast<const __m256i*>(w);
#pragma GCC unroll 8
        for (int i = 0; i < MR; ++i) {
          const __m128i a8 = _mm_cvtsi64_si128(static_cast<long long>(load_partial(ap[i] + kc8, krem)));
          const __m256i av = widen(a8, vxor);
#pragma GCC unroll 4
          for (int q = 0; q < 4; ++q)
            acc[i][q] = _mm256_add_epi32(acc[i][q], _mm256_madd_epi16(av, _mm256_loadu_si256(wv + q)));
        }
        w += 4 * sizeof(__m256i);
      }
    }
    // Keeps GCC 12 from copying the accumulators around the k loop (see the AVX-512 kernels).
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) __asm__("" : "+x"(acc[i][q]));
    const int32_t* qp = reinterpret_cast<const int32_t*>(w);
    w += 4 * kNR * sizeof(int32_t);
    const __m256i tie = _mm256_set1_epi32(params->round_half_away ? -1 : 0);
    const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);
    const __m256i vmin = _mm256_set1_epi32(params->output_min);
    const __m256i vmax = _mm256_set1_epi32(params->output_max);
    // The low byte of each 32-bit lane to bytes 0-3 of each 128-bit lane.
    const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12,
                                          -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    uint64_t out[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m256i s = _mm256_hadd_epi32(_mm256_hadd_epi32(acc[i][0], acc[i][1]), _mm256_hadd_epi32(acc[i][2], acc[i][3]));
      __m256i v = _mm256_add_epi32(_mm256_add_epi32(s, bias), _mm256_set1_epi32(row_term[i]));
      v = _mm256_add_epi32(requantize(v, qp, tie), vzp);
      v = _mm256_min_epi32(_mm256_max_epi32(v, vmin), vmax);
      v = _mm256_shuffle_epi8(v, pick);
      const __m128i b = _mm_unpacklo_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
      out[i] = static_cast<uint64_t>(_mm_cvtsi128_si64(b));
    }
    if (nc >= kNR) {
#pragma GCC unroll 8
      for (int i = MR - 1; i >= 0; --i) {
        std::memcpy(cp[i], &out[i], kNR);
        cp[i] += kNR;
      }
      nc -= kNR;
      if (nc == 0) return;
    } else {
#pragma GCC unroll 8
      for (int i = MR - 1; i >= 0; --i) std::memcpy(cp[i], &out[i], nc);  // little-endian: bytes in column order
      return;
    }
  }
}

template <int MR>
inline void gemm(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                 size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t, const int8_t** ap) {
    ap[0] = a;
#pragma GCC unroll 8
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  };
  run<MR>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

template <int MR>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t p, const int8_t** ap) {
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) ap[i] = a[p * MR + static_cast<size_t>(i)];
  };
  run<MR>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8_avx2
