// F16C conversion (the -avx2 flags include -mf16c); the tail goes through a zero-padded block so
// that no load or store leaves the arrays.
#include <immintrin.h>

#include <cstring>

#include "kernels/ukernels/f16-f32-vcvt/f16-f32-vcvt.h"

extern "C" EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__avx2) {
  for (; n >= 16; n -= 16, x += 16, y += 16) {
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + 8));
    _mm256_storeu_ps(y, _mm256_cvtph_ps(lo));
    _mm256_storeu_ps(y + 8, _mm256_cvtph_ps(hi));
  }
  if (n > 0) {
    uint16_t in[8] = {0};
    float out[8];
    for (; n > 0; n -= n < 8 ? n : 8, x += 8, y += 8) {
      const size_t c = n < 8 ? n : 8;
      std::memcpy(in, x, c * sizeof(uint16_t));
      _mm256_storeu_ps(out, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in))));
      std::memcpy(y, out, c * sizeof(float));
    }
  }
}
