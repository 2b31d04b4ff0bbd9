// Row sums with VPSADBW: each byte is XORed into the unsigned encoding a + 128 (masked-off tail
// bytes zeroed after the XOR), VPSADBW against zero sums groups of 8 into 64-bit lanes; the
// 128 * K offset is removed at the end.
//
// Contiguous rows of K = 8, 16, 32 or 64 bytes (1x1 convolutions with few channels, the im2col
// rows of small-channel convolutions) take 8 rows per step: the VPSADBW lanes of 8 rows are
// reduced together with two-source permutes instead of one horizontal reduction per row.
// GCC 12 false positive on _mm512_undefined_* inside the reductions (bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace {

// Adds qword pairs (2i, 2i + 1) of a then of b: 8 sums, a's 4 first.
inline __m512i add_pairs(__m512i a, __m512i b) {
  const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
  const __m512i odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
  return _mm512_add_epi64(_mm512_permutex2var_epi64(a, even, b), _mm512_permutex2var_epi64(a, odd, b));
}

// 8 contiguous rows of K bytes (K = 8, 16, 32, 64): the sums of their unsigned encodings, one
// qword per row.
template <int K>
inline __m512i sums8(const uint8_t* a, __m512i vxor) {
  const __m512i zero = _mm512_setzero_si512();
  auto sad = [&](int i) { return _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(a + 64 * i), vxor), zero); };
  if constexpr (K == 8) {
    return sad(0);
  } else if constexpr (K == 16) {
    return add_pairs(sad(0), sad(1));
  } else if constexpr (K == 32) {
    return add_pairs(add_pairs(sad(0), sad(1)), add_pairs(sad(2), sad(3)));
  } else {
    // Each VPSADBW covers one row (8 qwords); three rounds of pair sums leave one per row.
    const __m512i r0123 = add_pairs(add_pairs(sad(0), sad(1)), add_pairs(sad(2), sad(3)));
    const __m512i r4567 = add_pairs(add_pairs(sad(4), sad(5)), add_pairs(sad(6), sad(7)));
    return add_pairs(r0123, r4567);
  }
}

template <int K>
size_t rsum_rows8(size_t rows, const uint8_t* a, __m512i vxor, int32_t scale, int32_t* out) {
  const __m256i offset = _mm256_set1_epi32(128 * K), vscale = _mm256_set1_epi32(scale);
  size_t r = 0;
  for (; r + 8 <= rows; r += 8, a += 8 * K) {
    const __m256i s = _mm512_cvtepi64_epi32(sums8<K>(a, vxor));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + r), _mm256_mullo_epi32(_mm256_sub_epi32(s, offset), vscale));
  }
  return r;
}

}  // namespace

extern "C" EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__avx512f) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(a_xor ^ 0x80));
  const __m512i zero = _mm512_setzero_si512();
  size_t done = 0;
  if (a_stride == k) {
    switch (k) {
      case 8:
        done = rsum_rows8<8>(rows, a, vxor, scale, out);
        break;
      case 16:
        done = rsum_rows8<16>(rows, a, vxor, scale, out);
        break;
      case 32:
        done = rsum_rows8<32>(rows, a, vxor, scale, out);
        break;
      case 64:
        done = rsum_rows8<64>(rows, a, vxor, scale, out);
        break;
      default:
        break;
    }
  }
  const size_t k64 = k & ~size_t{63};
  const __mmask64 tail = (k & 63) ? (~__mmask64{0} >> (64 - (k & 63))) : 0;
  const uint32_t offset = static_cast<uint32_t>(128 * k);
  for (size_t r = done; r < rows; ++r) {
    const uint8_t* row = a + r * a_stride;
    __m512i acc = zero;
    for (size_t i = 0; i < k64; i += 64)
      acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_xor_si512(_mm512_loadu_si512(row + i), vxor), zero));
    if (tail) {
      const __m512i v = _mm512_maskz_mov_epi8(tail, _mm512_xor_si512(_mm512_maskz_loadu_epi8(tail, row + k64), vxor));
      acc = _mm512_add_epi64(acc, _mm512_sad_epu8(v, zero));
    }
    const uint32_t s = static_cast<uint32_t>(_mm512_reduce_add_epi64(acc));
    out[r] = static_cast<int32_t>(static_cast<uint32_t>(scale) * (s - offset));
  }
}
