// NEON requantization shared by the qs8 NEON and NEON-dot kernels (see qs8-gemm.h):
//   high = SQRDMULH(acc << left, mult)       floor((x * m + 2^30) / 2^31), exact (m >= 0)
//   out  = SRSHL(high - (ties away && high < 0 && right > 0), -right)
// SRSHL rounds ties up; subtracting 1 from negative values first turns that into ties away from
// zero (the saturating subtract only matters at INT32_MIN, whose quotient is exact anyway).
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8_neon {

struct Requant4 {
  int32x4_t mult, left, neg_right, tie;
};

// Constants of 4 columns; q points at the block's multiplier array, nr is the block width.
inline Requant4 load_requant4(const int32_t* q, size_t nr, size_t col, uint32x4_t tie_all) {
  Requant4 r;
  r.mult = vld1q_s32(q + col);
  r.left = vld1q_s32(q + nr + col);
  r.neg_right = vnegq_s32(vld1q_s32(q + 2 * nr + col));
  const int32x4_t mask = vld1q_s32(q + 3 * nr + col);
  r.tie = vreinterpretq_s32_u32(vandq_u32(vtstq_s32(mask, mask), tie_all));
  return r;
}

inline int32x4_t requantize4(int32x4_t acc, const Requant4& r, int32x4_t zp, int32x4_t lo, int32x4_t hi) {
  const int32x4_t high = vqrdmulhq_s32(vshlq_s32(acc, r.left), r.mult);
  const int32x4_t fixed = vqaddq_s32(high, vandq_s32(vshrq_n_s32(high, 31), r.tie));
  const int32x4_t v = vaddq_s32(vrshlq_s32(fixed, r.neg_right), zp);
  return vminq_s32(vmaxq_s32(v, lo), hi);
}

// Low bytes of 8 int32 (clamped to the output range, so truncation is exact).
inline int8x8_t narrow8(int32x4_t a, int32x4_t b) { return vmovn_s16(vcombine_s16(vmovn_s32(a), vmovn_s32(b))); }

// Stores n <= 8 bytes of v.
inline void store_partial8(int8_t* p, int8x8_t v, size_t n) {
  int8_t tmp[8];
  vst1_s8(tmp, v);
  for (size_t j = 0; j < n; ++j) p[j] = tmp[j];
}

template <int MR>
inline void setup_rows(size_t mr, int8_t* c, size_t c_stride, int8_t** cp) {
  cp[0] = c;
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// Bytes [0, n) of p, n < 8, as int8x8 (zero-filled).
inline int8x8_t load_partial8(const int8_t* p, size_t n) {
  int8_t tmp[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (size_t j = 0; j < n; ++j) tmp[j] = p[j];
  return vld1_s8(tmp);
}

}  // namespace eir::ukernel_qs8_neon
