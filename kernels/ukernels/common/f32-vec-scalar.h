// Portable "vector" of one float for the family templates (dwconv-impl.h, ...), so that the
// scalar microkernels are the same algorithms as the SIMD ones. Include only from *-scalar.cc
// files; unnamed namespace for the reason given in f32-vec-avx512f.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace eir::simd {
namespace {

struct Scalar {
  using V = float;
  static constexpr size_t kLanes = 1;

  static V loadu(const float* p) { return *p; }
  static V load_tail(const float* p, size_t) { return *p; }  // never called: no partial 1-lane vector
  static void storeu(float* p, V v) { *p = v; }
  static void store_tail(float* p, V v, size_t) { *p = v; }
  static V set1(float x) { return x; }
  static V zero() { return 0.0f; }

  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  static V fma(V a, V b, V c) { return a * b + c; }
  static V abs(V x) { return __builtin_fabsf(x); }
  static V clamp(V x, V lo, V hi) { return x < lo ? lo : (x > hi ? hi : x); }
  static V max_into(V acc, V v) { return acc < v ? v : acc; }
  static V lt_select(V x, V y, V a, V b) { return x < y ? a : b; }
  // Round to nearest even for |x| < 2^22 (the only use: exp's range reduction): adding 1.5 * 2^23
  // leaves no fraction bits (without -ffast-math the compiler keeps both operations). Avoids a
  // libm call on baseline x86-64.
  static V round(V x) { return (x + 12582912.0f) - 12582912.0f; }
  // 2^n for integer-valued n in [-126, 127].
  static V exp2i(V n) {
    // A NaN n (from a NaN input) maps to 2^0: converting it would be undefined, and the caller's
    // other operand already carries the NaN through.
    const int32_t e = n == n ? static_cast<int32_t>(n) : 0;
    const uint32_t bits = static_cast<uint32_t>(e + 127) << 23;
    float r;
    std::memcpy(&r, &bits, sizeof(r));
    return r;
  }
};

}  // namespace
}  // namespace eir::simd
