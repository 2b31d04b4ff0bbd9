// Row sums with VPSADBW: each byte is XORed into the unsigned encoding a + 128 (masked-off tail
// bytes zeroed after the XOR), VPSADBW against zero sums groups of 8 into 64-bit lanes; the
// 128 * K offset is removed at the end.
// GCC 12 false positive on _mm512_undefined_* inside the reductions (bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

extern "C" EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__avx512f) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(a_xor ^ 0x80));
  const __m512i zero = _mm512_setzero_si512();
  const size_t k64 = k & ~size_t{63};
  const __mmask64 tail = (k & 63) ? (~__mmask64{0} >> (64 - (k & 63))) : 0;
  const uint32_t offset = static_cast<uint32_t>(128 * k);
  for (size_t r = 0; r < rows; ++r) {
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
