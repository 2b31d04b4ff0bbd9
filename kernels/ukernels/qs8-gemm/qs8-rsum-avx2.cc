// Row sums with VPSADBW (see the AVX-512 version); the tail of fewer than 32 bytes goes through a
// zeroed buffer and a byte mask.
#include <immintrin.h>

#include <cstring>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

extern "C" EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__avx2) {
  const __m256i vxor = _mm256_set1_epi8(static_cast<char>(a_xor ^ 0x80));
  const __m256i zero = _mm256_setzero_si256();
  const size_t k32 = k & ~size_t{31}, rem = k & 31;
  alignas(32) static const int8_t kMask[64] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                               -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  const __m256i tail_mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMask + 32 - rem));
  const uint32_t offset = static_cast<uint32_t>(128 * k);
  for (size_t r = 0; r < rows; ++r) {
    const uint8_t* row = a + r * a_stride;
    __m256i acc = zero;
    for (size_t i = 0; i < k32; i += 32)
      acc = _mm256_add_epi64(
          acc, _mm256_sad_epu8(_mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + i)), vxor),
                               zero));
    if (rem) {
      alignas(32) uint8_t buf[32] = {};
      std::memcpy(buf, row + k32, rem);
      const __m256i v =
          _mm256_and_si256(_mm256_xor_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(buf)), vxor), tail_mask);
      acc = _mm256_add_epi64(acc, _mm256_sad_epu8(v, zero));
    }
    const __m128i h = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    const uint32_t s = static_cast<uint32_t>(_mm_cvtsi128_si64(_mm_add_epi64(h, _mm_unpackhi_epi64(h, h))));
    out[r] = static_cast<int32_t>(static_cast<uint32_t>(scale) * (s - offset));
  }
}
