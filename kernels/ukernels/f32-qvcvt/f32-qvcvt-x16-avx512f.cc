// 16 floats per step as two vectors of 8 doubles, the same exact rounding as the AVX2 variant
// (AVX-512F only: sign and magnitude through integer masks), a masked tail.
#include <immintrin.h>

// GCC 12 reports the intrinsics' own undefined pass-through operands (_mm512_undefined_*) as
// maybe-uninitialized once they are inlined here; nothing in this file reads an unset value.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "kernels/ukernels/f32-qvcvt/f32-qvcvt.h"

namespace {

inline __m256i round_away_to_int32(__m256 x, __m512d scale) {
  const __m512d r = _mm512_div_pd(_mm512_cvtps_pd(x), scale);
  const __m512d t = _mm512_roundscale_pd(r, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m512i sign_bit = _mm512_set1_epi64(INT64_MIN);
  const __m512d sign_one = _mm512_castsi512_pd(
      _mm512_or_epi64(_mm512_and_epi64(_mm512_castpd_si512(r), sign_bit), _mm512_castpd_si512(_mm512_set1_pd(1.0))));
  const __m512d frac = _mm512_abs_pd(_mm512_sub_pd(r, t));
  const __mmask8 away = _mm512_cmp_pd_mask(frac, _mm512_set1_pd(0.5), _CMP_GE_OQ);
  return _mm512_cvttpd_epi32(_mm512_mask_add_pd(t, away, t, sign_one));
}

inline __m512i quantize16(__m512 x, __m512d scale, __m512i zp, __m512i lo, __m512i hi) {
  const __m256i a = round_away_to_int32(_mm512_castps512_ps256(x), scale);
  const __m256i b = round_away_to_int32(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)), scale);
  const __m512i q = _mm512_add_epi32(_mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1), zp);
  return _mm512_min_epi32(_mm512_max_epi32(q, lo), hi);
}

template <class Out, class Store>
void quantize(size_t n, const float* x, Out* y, const eir_f32_qvcvt_params* p, Store store) {
  const __m512d scale = _mm512_set1_pd(p->scale);
  const __m512i zp = _mm512_set1_epi32(p->zero_point), lo = _mm512_set1_epi32(p->out_min),
                hi = _mm512_set1_epi32(p->out_max);
  for (; n >= 16; n -= 16, x += 16, y += 16) store(y, 0xFFFF, quantize16(_mm512_loadu_ps(x), scale, zp, lo, hi));
  if (n > 0) {
    const __mmask16 mask = static_cast<__mmask16>((1u << n) - 1u);
    store(y, mask, quantize16(_mm512_maskz_loadu_ps(mask, x), scale, zp, lo, hi));
  }
}

}  // namespace

extern "C" {
// The values are clamped to the output's range already, so the narrowing conversions never saturate.
void eir_f32_qs8_vcvt_ukernel__avx512f(size_t n, const float* x, int8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](int8_t* o, __mmask16 m, __m512i v) { _mm_mask_storeu_epi8(o, m, _mm512_cvtsepi32_epi8(v)); });
}
void eir_f32_qu8_vcvt_ukernel__avx512f(size_t n, const float* x, uint8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](uint8_t* o, __mmask16 m, __m512i v) { _mm_mask_storeu_epi8(o, m, _mm512_cvtusepi32_epi8(v)); });
}
void eir_f32_qs16_vcvt_ukernel__avx512f(size_t n, const float* x, int16_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](int16_t* o, __mmask16 m, __m512i v) {
    _mm256_mask_storeu_epi16(o, m, _mm512_cvtsepi32_epi16(v));
  });
}
}  // extern "C"
