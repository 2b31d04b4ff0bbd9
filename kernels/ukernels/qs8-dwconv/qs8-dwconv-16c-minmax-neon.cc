// NEON qs8 depthwise kernel: 16-channel tiles as four q accumulators of 4 int32. Each tap's
// bytes are zero- (uint8) or sign-extended (int8) to int16; SMLAL multiplies them with the int16
// weights w' into int32 (exact). Channel tails are loaded and stored through a small buffer.
#include <arm_neon.h>

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/neon-requant.h"

extern "C" EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_16c__neon) {
  using namespace eir::ukernel_qs8_neon;
  constexpr size_t kCT = 16;
  const bool u8 = params->a_xor != 0;
  const uint32x4_t tie_all = vdupq_n_u32(params->round_half_away ? 0xFFFFFFFFu : 0u);
  const int32x4_t vzp = vdupq_n_s32(params->output_zero_point);
  const int32x4_t vmin = vdupq_n_s32(params->output_min), vmax = vdupq_n_s32(params->output_max);
  for (size_t p = 0; p < output_width; ++p) {
    const int8_t* const* taps = input + p * input_stride;
    const uint8_t* wb = static_cast<const uint8_t*>(weights);
    for (size_t c0 = 0; c0 < channels; c0 += kCT) {
      const size_t n = channels - c0 < kCT ? channels - c0 : kCT;
      const int32_t* bias = reinterpret_cast<const int32_t*>(wb);
      int32x4_t acc[4];
      for (int j = 0; j < 4; ++j) acc[j] = vld1q_s32(bias + 4 * j);
      wb += kCT * sizeof(int32_t);
      for (size_t k = 0; k < ks; ++k) {
        int8x16_t a;
        if (n == kCT) {
          a = vld1q_s8(taps[k] + c0);
        } else {
          int8_t buf[kCT] = {};
          for (size_t c = 0; c < n; ++c) buf[c] = taps[k][c0 + c];
          a = vld1q_s8(buf);
        }
        int16x8_t lo, hi;
        if (u8) {
          const uint8x16_t ua = vreinterpretq_u8_s8(a);
          lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(ua)));
          hi = vreinterpretq_s16_u16(vmovl_u8(vget_high_u8(ua)));
        } else {
          lo = vmovl_s8(vget_low_s8(a));
          hi = vmovl_s8(vget_high_s8(a));
        }
        const int16_t* w = reinterpret_cast<const int16_t*>(wb);
        const int16x8_t w0 = vld1q_s16(w), w1 = vld1q_s16(w + 8);
        acc[0] = vmlal_s16(acc[0], vget_low_s16(lo), vget_low_s16(w0));
        acc[1] = vmlal_s16(acc[1], vget_high_s16(lo), vget_high_s16(w0));
        acc[2] = vmlal_s16(acc[2], vget_low_s16(hi), vget_low_s16(w1));
        acc[3] = vmlal_s16(acc[3], vget_high_s16(hi), vget_high_s16(w1));
        wb += kCT * sizeof(int16_t);
      }
      const int32_t* q = reinterpret_cast<const int32_t*>(wb);
      wb += 4 * kCT * sizeof(int32_t);
      int32x4_t v[4];
      for (int j = 0; j < 4; ++j) v[j] = requantize4(acc[j], load_requant4(q, kCT, 4 * static_cast<size_t>(j), tie_all), vzp, vmin, vmax);
      const int8x16_t bytes = vcombine_s8(narrow8(v[0], v[1]), narrow8(v[2], v[3]));
      if (n == kCT) {
        vst1q_s8(output + c0, bytes);
      } else {
        int8_t buf[kCT];
        vst1q_s8(buf, bytes);
        for (size_t c = 0; c < n; ++c) output[c0 + c] = buf[c];
      }
    }
    output += channels;
  }
}
