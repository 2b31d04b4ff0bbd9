// Portable IEEE-754 binary16 <-> binary32 conversion (no F16C or compiler half type needed).
// half_to_float is exact for every input (binary32 holds every binary16 value); float_to_half
// rounds to nearest, ties to even, overflows to infinity and keeps NaNs quiet.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace eir::ref {

inline float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // infinity or NaN (payload kept)
  } else if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exactly representable in float.
    float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-8f;
    return sign ? -magnitude : magnitude;
  } else {
    bits = sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, sizeof x);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  x &= 0x7fffffffu;
  if (x >= 0x7f800000u)  // infinity or NaN (NaN stays a quiet NaN)
    return static_cast<uint16_t>(sign | (x > 0x7f800000u ? (0x7e00u | ((x >> 13) & 0x3ffu)) : 0x7c00u));
  if (x >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to infinity
  if (x < 0x38800000u) {
    // Below the smallest normal half (2^-14): a subnormal in units of 2^-24. Scaling by 2^24 is
    // exact, and nearbyint rounds half to even in the default rounding mode.
    float magnitude;
    std::memcpy(&magnitude, &x, sizeof magnitude);
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(magnitude * 16777216.0f)));
  }
  // Normal: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to nearest
  // even; a carry out of the mantissa correctly bumps the exponent.
  const uint32_t odd = (x >> 13) & 1u;
  x += 0xc8000fffu + odd;  // 0xc8000000 == -(112 << 23) mod 2^32
  return static_cast<uint16_t>(sign | (x >> 13));
}

}  // namespace eir::ref
