// 8 floats per step as two vectors of 4 doubles. Rounding halves away from zero exactly: t =
// trunc(r), and r - t (exact in double) decides whether to step one unit away from zero;
// VCVTTPD2DQ turns NaN and out-of-range values into INT32_MIN as the scalar conversion does.
#include <immintrin.h>

#include <algorithm>

#include "kernels/ukernels/f32-qvcvt/f32-qvcvt.h"

namespace {

inline __m128i round_away_to_int32(__m128 x, __m256d scale) {
  const __m256d r = _mm256_div_pd(_mm256_cvtps_pd(x), scale);
  const __m256d t = _mm256_round_pd(r, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256d sign = _mm256_and_pd(r, _mm256_set1_pd(-0.0));
  const __m256d frac = _mm256_andnot_pd(_mm256_set1_pd(-0.0), _mm256_sub_pd(r, t));
  const __m256d step = _mm256_and_pd(_mm256_cmp_pd(frac, _mm256_set1_pd(0.5), _CMP_GE_OQ),
                                     _mm256_or_pd(sign, _mm256_set1_pd(1.0)));
  return _mm256_cvttpd_epi32(_mm256_add_pd(t, step));
}

// 8 results, zero point added (wrapping) and clamped.
inline __m256i quantize8(const float* x, __m256d scale, __m256i zp, __m256i lo, __m256i hi) {
  const __m128i a = round_away_to_int32(_mm_loadu_ps(x), scale);
  const __m128i b = round_away_to_int32(_mm_loadu_ps(x + 4), scale);
  const __m256i q = _mm256_add_epi32(_mm256_set_m128i(b, a), zp);
  return _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
}

template <class Out, class Store>
void quantize(size_t n, const float* x, Out* y, const eir_f32_qvcvt_params* p, Store store) {
  const __m256d scale = _mm256_set1_pd(p->scale);
  const __m256i zp = _mm256_set1_epi32(p->zero_point), lo = _mm256_set1_epi32(p->out_min),
                hi = _mm256_set1_epi32(p->out_max);
  for (; n >= 8; n -= 8, x += 8, y += 8) store(y, quantize8(x, scale, zp, lo, hi));
  if (n > 0) {
    float in[8] = {0};
    std::copy(x, x + n, in);
    alignas(32) int32_t q[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(q), quantize8(in, scale, zp, lo, hi));
    for (size_t i = 0; i < n; ++i) y[i] = static_cast<Out>(q[i]);
  }
}

// Packs 8 clamped int32 (already in the output's range) to bytes / halves.
inline __m128i pack_to_i16(__m256i v) {
  return _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

}  // namespace

extern "C" {
void eir_f32_qs8_vcvt_ukernel__avx2(size_t n, const float* x, int8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](int8_t* o, __m256i v) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_packs_epi16(pack_to_i16(v), pack_to_i16(v)));
  });
}
void eir_f32_qu8_vcvt_ukernel__avx2(size_t n, const float* x, uint8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](uint8_t* o, __m256i v) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(o), _mm_packus_epi16(pack_to_i16(v), pack_to_i16(v)));
  });
}
void eir_f32_qs16_vcvt_ukernel__avx2(size_t n, const float* x, int16_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p, [](int16_t* o, __m256i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(o), pack_to_i16(v)); });
}
}  // extern "C"
