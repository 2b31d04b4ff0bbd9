// AVX2 + FMA3 float vector operations (8 lanes) for the family templates (dwconv-impl.h, ...).
// Include only from *-avx2.cc files; unnamed namespace for the reason given in f32-vec-avx512f.h.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace eir::simd {
namespace {

// 8 all-ones then 8 zeros: the mask for the first n lanes starts at kTailMask + 8 - n.
alignas(64) const int32_t kTailMask[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

struct Avx2 {
  using V = __m256;
  static constexpr size_t kLanes = 8;

  static __m256i mask(size_t n) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTailMask + 8 - n)); }

  static V loadu(const float* p) { return _mm256_loadu_ps(p); }
  // n in (0, kLanes): lanes [0, n) from p (masked: nothing past them is read), the others 0.
  static V load_tail(const float* p, size_t n) { return _mm256_maskload_ps(p, mask(n)); }
  static void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void store_tail(float* p, V v, size_t n) { _mm256_maskstore_ps(p, mask(n), v); }
  static V set1(float x) { return _mm256_set1_ps(x); }
  static V zero() { return _mm256_setzero_ps(); }

  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V div(V a, V b) { return _mm256_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }  // a * b + c
  static V abs(V x) { return _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))); }
  // x < lo ? lo : (x > hi ? hi : x): MAXPS/MINPS return their second operand when either is NaN.
  static V clamp(V x, V lo, V hi) { return _mm256_min_ps(hi, _mm256_max_ps(lo, x)); }
  // acc < v ? v : acc (a NaN v leaves acc unchanged), as TFLite's max pooling.
  static V max_into(V acc, V v) { return _mm256_max_ps(v, acc); }
  // x < y ? a : b, lane-wise (false for NaN).
  static V lt_select(V x, V y, V a, V b) { return _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, y, _CMP_LT_OQ)); }
  static V round(V x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^n for integer-valued n in [-126, 127].
  static V exp2i(V n) {
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
  }
};

}  // namespace
}  // namespace eir::simd
