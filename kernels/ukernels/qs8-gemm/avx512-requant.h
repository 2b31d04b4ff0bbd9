// AVX-512 (F + BW + VL) requantization shared by the qs8 GEMM (VNNI) and depthwise kernels: the
// arithmetic of kernels/ukernels/qs8-gemm/qs8-gemm.h for 16 int32 lanes, exact.
#pragma once

// GCC 12 warns that _mm512_undefined_epi32() (used inside many AVX-512 intrinsics) is
// uninitialized once inlined (GCC bug 105593, fixed in GCC 13): silence that false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace eir::ukernel_qs8_avx512 {

// Per-column requantization constants of one 16-column slice, as 64-bit values for the even and
// odd lanes. Both roundings of qs8-gemm.h are folded into one 64-bit add and arithmetic shift:
// with P = (acc << left) * mult and h = floor((P + 2^30) / 2^31),
//   ties up:                 floor((h + 2^(r-1)) / 2^r)     = (P + 2^30 + 2^(r-1) * 2^31) >> (31 + r)
//   ties away (h < 0 only):  floor((h + 2^(r-1) - 1) / 2^r) = the same with 2^31 less added,
// since floor((floor(Q / 2^31) + c) / 2^r) = floor((Q + c * 2^31) / 2^(31 + r)) for integer c
// (for r = 0 both are h). h < 0 exactly when P < -2^30.
struct Requant {
  __m512i mult, mult_odd, left;
  __m512i shift_even, shift_odd;  // 31 + r
  __m512i round_even, round_odd;  // 2^30 + 2^(r-1) * 2^31 (2^30 when r = 0)
  __m512i tie_even, tie_odd;      // 2^31 where r > 0 (subtracted for h < 0 when ties go away)
};

// q: the block's multiplier array; nr: the arrays' length (left shifts at q + nr, ...); lanes
// [16 j, 16 j + 16).
inline Requant load_requant(const int32_t* q, size_t nr, size_t j) {
  Requant r;
  r.mult = _mm512_loadu_si512(q + 16 * j);
  r.mult_odd = _mm512_srli_epi64(r.mult, 32);
  r.left = _mm512_loadu_si512(q + nr + 16 * j);
  const __m512i right = _mm512_loadu_si512(q + 2 * nr + 16 * j);
  const __m512i mask = _mm512_loadu_si512(q + 3 * nr + 16 * j);
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFF);
  const __m512i half = _mm512_srli_epi32(_mm512_add_epi32(mask, _mm512_set1_epi32(1)), 1);  // 2^(r-1) or 0
  const __m512i half_even = _mm512_and_si512(half, low32), half_odd = _mm512_srli_epi64(half, 32);
  const __m512i base = _mm512_set1_epi64(int64_t{1} << 30), c31 = _mm512_set1_epi64(31);
  r.shift_even = _mm512_add_epi64(_mm512_and_si512(right, low32), c31);
  r.shift_odd = _mm512_add_epi64(_mm512_srli_epi64(right, 32), c31);
  r.round_even = _mm512_add_epi64(base, _mm512_slli_epi64(half_even, 31));
  r.round_odd = _mm512_add_epi64(base, _mm512_slli_epi64(half_odd, 31));
  const __m512i tie = _mm512_set1_epi64(int64_t{1} << 31);
  r.tie_even = _mm512_maskz_mov_epi64(_mm512_test_epi64_mask(half_even, half_even), tie);
  r.tie_odd = _mm512_maskz_mov_epi64(_mm512_test_epi64_mask(half_odd, half_odd), tie);
  return r;
}

// See qs8-gemm.h; kHalfAway selects TFLite's ties-away-from-zero final rounding.
template <bool kHalfAway>
inline __m512i requantize(__m512i acc, const Requant& q) {
  const __m512i x = _mm512_sllv_epi32(acc, q.left);
  __m512i pe = _mm512_mul_epi32(x, q.mult);
  __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), q.mult_odd);
  if constexpr (kHalfAway) {
    const __m512i limit = _mm512_set1_epi64(-(int64_t{1} << 30));
    const __mmask8 neg_even = _mm512_cmplt_epi64_mask(pe, limit), neg_odd = _mm512_cmplt_epi64_mask(po, limit);
    pe = _mm512_mask_sub_epi64(_mm512_add_epi64(pe, q.round_even), neg_even, _mm512_add_epi64(pe, q.round_even),
                               q.tie_even);
    po = _mm512_mask_sub_epi64(_mm512_add_epi64(po, q.round_odd), neg_odd, _mm512_add_epi64(po, q.round_odd),
                               q.tie_odd);
  } else {
    pe = _mm512_add_epi64(pe, q.round_even);
    po = _mm512_add_epi64(po, q.round_odd);
  }
  pe = _mm512_srav_epi64(pe, q.shift_even);
  po = _mm512_srav_epi64(po, q.shift_odd);
  // The low 32 bits of each 64-bit result (|result| < 2^31): even lanes from pe, odd from po.
  const __m512i idx = _mm512_setr_epi32(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
  return _mm512_permutex2var_epi32(pe, idx, po);
}

// Narrowing of clamped int32 lanes (each within [-128, 255]) to bytes, in lane order, without
// VPMOVDB (slow on Zen 4): signed packs to int16 then int8, then one permute. When the values
// may exceed 127 (uint8 outputs: clamp maximum above 127), they are moved into the int8 range
// first (offset 128) and back with a XOR on the bytes; otherwise both are no-ops.
struct Narrow {
  __m512i offset;
  __m512i flip;
  explicit Narrow(int32_t output_max) {
    const bool high = output_max > 127;
    offset = _mm512_set1_epi32(high ? 128 : 0);
    flip = _mm512_set1_epi8(static_cast<char>(high ? 0x80 : 0));
  }
  // 32 lanes (v0 then v1) -> 32 bytes.
  __m256i bytes32(__m512i v0, __m512i v1) const {
    // 128-bit lane L of the packed bytes holds v0's lanes 4L..4L+3 in dword 4L and v1's in 4L+1.
    return bytes32(v0, v1, _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0));
  }
  // The same with the dwords of the packed bytes (see above) picked by idx[0..7].
  __m256i bytes32(__m512i v0, __m512i v1, __m512i idx) const {
    const __m512i w = _mm512_packs_epi32(_mm512_sub_epi32(v0, offset), _mm512_sub_epi32(v1, offset));
    const __m512i b = _mm512_xor_si512(_mm512_packs_epi16(w, w), flip);
    return _mm512_castsi512_si256(_mm512_permutexvar_epi32(idx, b));
  }
  // 16 lanes -> 16 bytes.
  __m128i bytes16(__m512i v) const {
    const __m512i x = _mm512_sub_epi32(v, offset);
    const __m512i w = _mm512_packs_epi32(x, x);
    const __m512i b = _mm512_xor_si512(_mm512_packs_epi16(w, w), flip);
    const __m512i idx = _mm512_setr_epi32(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    return _mm512_castsi512_si128(_mm512_permutexvar_epi32(idx, b));
  }
};

}  // namespace eir::ukernel_qs8_avx512
