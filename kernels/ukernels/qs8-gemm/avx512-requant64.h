// AVX-512 (F + BW + VL + DQ) requantization from the precomputed "requant64" constants
// (qs8-gemm.h, eir::qs8_requant64) and the output stage to bytes, shared by the VNNI GEMM and the
// 3x3 depthwise kernels. Exact TFLite arithmetic; see qs8-gemm.h for the derivation.
//
// Per 16 lanes: two VPMULDQ (even lanes, odd lanes moved down), the rounding constant, for ties
// away from zero a masked subtraction where the product is negative, one arithmetic shift per
// half. In the simple form the odd halves are shifted so that their results land in the high
// dwords and one blend interleaves them; otherwise the left shift comes first and a permute
// interleaves.
//
// Output stage: the zero point, then saturating packs (int32 -> int16 -> int8 / uint8) give the
// output type's range and byte min / max the activation's. In the simple form |result| <= 2^30,
// so the zero point goes in after the first pack with a saturating 16-bit add (values beyond
// int16 saturate there and stay beyond the byte range); otherwise it is added in 32 bits,
// wrapping as TFLite's int32 arithmetic does. Outputs whose clamp range is within [0, 255] pack
// unsigned, others signed; for a range within [0, 127] both agree.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8_avx512 {

inline __m512i load64b(const uint8_t* p) { return _mm512_loadu_si512(p); }

// q: one 576-byte section (16 lanes).
template <bool kSimple, bool kHalfAway>
__attribute__((always_inline)) inline __m512i requantize64(__m512i acc, const uint8_t* q) {
  using namespace eir::qs8_requant64;
  const __m512i x = kSimple ? acc : _mm512_sllv_epi32(acc, load64b(q + kLeft));
  __m512i pe = _mm512_mul_epi32(x, load64b(q + kMultEven));
  __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), load64b(q + kMultOdd));
  if constexpr (kHalfAway) {
    const __mmask8 neg_even = _mm512_movepi64_mask(pe), neg_odd = _mm512_movepi64_mask(po);
    pe = _mm512_add_epi64(pe, load64b(q + kRoundEven));
    po = _mm512_add_epi64(po, load64b(q + kRoundOdd));
    pe = _mm512_mask_sub_epi64(pe, neg_even, pe, load64b(q + kTieEven));
    po = _mm512_mask_sub_epi64(po, neg_odd, po, load64b(q + kTieOdd));
  } else {
    pe = _mm512_add_epi64(pe, load64b(q + kRoundEven));
    po = _mm512_add_epi64(po, load64b(q + kRoundOdd));
  }
  pe = _mm512_srav_epi64(pe, load64b(q + kShiftEven));
  po = _mm512_srav_epi64(po, load64b(q + kShiftOdd));
  if constexpr (kSimple) {
    return _mm512_mask_blend_epi32(0xAAAA, pe, po);
  } else {
    const __m512i idx = _mm512_setr_epi32(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
    return _mm512_permutex2var_epi32(pe, idx, po);
  }
}

// The zero point and the clamp; kSimple: the requant64 form of the values.
template <bool kSimple>
struct ByteStage {
  __m512i zp32, zp16, lo, hi;
  bool unsigned_out;
  bool clamp;  // false when the saturating pack alone gives the clamp range (the type's range)
  ByteStage(int32_t zero_point, int32_t out_min, int32_t out_max)
      : zp32(_mm512_set1_epi32(zero_point)),
        zp16(_mm512_set1_epi16(static_cast<int16_t>(zero_point))),
        lo(_mm512_set1_epi8(static_cast<char>(out_min))),
        hi(_mm512_set1_epi8(static_cast<char>(out_max))),
        unsigned_out(out_min >= 0),
        clamp(unsigned_out ? (out_min != 0 || out_max != 255) : (out_min != -128 || out_max != 127)) {}

  // Two int32 vectors -> int16 with the zero point: in each 128-bit lane, a's 4 values then b's.
  __attribute__((always_inline)) __m512i words(__m512i a, __m512i b) const {
    if constexpr (kSimple) return _mm512_adds_epi16(_mm512_packs_epi32(a, b), zp16);
    return _mm512_packs_epi32(_mm512_add_epi32(a, zp32), _mm512_add_epi32(b, zp32));
  }

  // Bytes of int16 vectors a, b: in each 128-bit lane, a's 8 values then b's, clamped.
  __attribute__((always_inline)) __m512i pack16(__m512i a, __m512i b) const {
    if (unsigned_out) {
      const __m512i v = _mm512_packus_epi16(a, b);
      return clamp ? _mm512_min_epu8(_mm512_max_epu8(v, lo), hi) : v;
    }
    const __m512i v = _mm512_packs_epi16(a, b);
    return clamp ? _mm512_min_epi8(_mm512_max_epi8(v, lo), hi) : v;
  }

  // Four int32 vectors -> 64 bytes: 128-bit lane L holds the 4-byte groups a[4L..4L+3],
  // b[4L..], c[4L..], d[4L..] (dwords 4L, 4L + 1, 4L + 2, 4L + 3).
  __attribute__((always_inline)) __m512i bytes4(__m512i a, __m512i b, __m512i c, __m512i d) const {
    return pack16(words(a, b), words(c, d));
  }
};

// Dword order that turns bytes4's result into a's 16 bytes, then b's, c's, d's.
inline __m512i bytes4_order() { return _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15); }

}  // namespace eir::ukernel_qs8_avx512
