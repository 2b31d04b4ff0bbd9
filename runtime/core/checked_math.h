// Overflow-checked size arithmetic. Every size derived from model data goes through these, so a
// hostile shape like [2^31, 2^31, 8] is an error instead of a wrapped, too-small allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace eir {

// Returns false on overflow; *out is then unspecified.
inline bool checked_mul(size_t a, size_t b, size_t* out) { return !__builtin_mul_overflow(a, b, out); }
inline bool checked_add(size_t a, size_t b, size_t* out) { return !__builtin_add_overflow(a, b, out); }

// Rounds up to a multiple of `alignment` (a power of two); false on overflow.
inline bool checked_align_up(size_t value, size_t alignment, size_t* out) {
  size_t sum;
  if (!checked_add(value, alignment - 1, &sum)) return false;
  *out = sum & ~(alignment - 1);
  return true;
}

}  // namespace eir
