// VCVTPH2PS on zmm (the zero-masked form: GCC 12 warns about the undefined pass-through operand
// of the plain intrinsic), with a masked store for the tail (the load of the tail goes through a
// zero-padded block: masked 16-bit loads would need AVX-512BW).
#include <immintrin.h>

#include <cstring>

#include "kernels/ukernels/f16-f32-vcvt/f16-f32-vcvt.h"

extern "C" EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__avx512f) {
  for (; n >= 32; n -= 32, x += 32, y += 32) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + 16));
    _mm512_storeu_ps(y, _mm512_maskz_cvtph_ps(0xFFFF, lo));
    _mm512_storeu_ps(y + 16, _mm512_maskz_cvtph_ps(0xFFFF, hi));
  }
  for (; n > 0;) {
    const size_t c = n < 16 ? n : 16;
    uint16_t in[16] = {0};
    std::memcpy(in, x, c * sizeof(uint16_t));
    const __mmask16 mask = static_cast<__mmask16>((1u << c) - 1u);
    _mm512_mask_storeu_ps(y, mask, _mm512_maskz_cvtph_ps(0xFFFF, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in))));
    n -= c, x += c, y += c;
  }
}
