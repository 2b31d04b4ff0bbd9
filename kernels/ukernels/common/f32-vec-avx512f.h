// AVX-512F float vector operations (16 lanes) for the family templates (dwconv-impl.h, ...).
// Include only from *-avx512f.cc files. Everything is in an unnamed namespace: each microkernel
// file gets its own copy, so that no function compiled with AVX-512 flags can be merged by the
// linker with a same-named one from a file compiled for a lesser ISA.
#pragma once

// GCC 12 warns that _mm512_undefined_ps() (used inside _mm512_min_ps/_mm512_max_ps) is
// uninitialized once inlined (GCC bug 105593, fixed in GCC 13): silence that false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>

namespace eir::simd {
namespace {

struct Avx512f {
  using V = __m512;
  static constexpr size_t kLanes = 16;

  static __mmask16 mask(size_t n) { return _cvtu32_mask16((1u << n) - 1u); }

  static V loadu(const float* p) { return _mm512_loadu_ps(p); }
  // n in (0, kLanes): lanes [0, n) from p (nothing past them is read), the others 0.
  static V load_tail(const float* p, size_t n) { return _mm512_maskz_loadu_ps(mask(n), p); }
  static void storeu(float* p, V v) { _mm512_storeu_ps(p, v); }
  static void store_tail(float* p, V v, size_t n) { _mm512_mask_storeu_ps(p, mask(n), v); }
  static V set1(float x) { return _mm512_set1_ps(x); }
  static V zero() { return _mm512_setzero_ps(); }

  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }  // a * b + c
  static V abs(V x) { return _mm512_abs_ps(x); }
  // x < lo ? lo : (x > hi ? hi : x): MAXPS/MINPS return their second operand when either is NaN.
  static V clamp(V x, V lo, V hi) { return _mm512_min_ps(hi, _mm512_max_ps(lo, x)); }
  // acc < v ? v : acc (a NaN v leaves acc unchanged), as TFLite's max pooling.
  static V max_into(V acc, V v) { return _mm512_max_ps(v, acc); }
  // x < y ? a : b, lane-wise (false for NaN).
  static V lt_select(V x, V y, V a, V b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, y, _CMP_LT_OQ), b, a); }
  static V round(V x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^n for integer-valued n in [-126, 127].
  static V exp2i(V n) {
    const __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
  }
};

}  // namespace
}  // namespace eir::simd
