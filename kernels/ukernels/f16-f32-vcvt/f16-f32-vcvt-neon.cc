// FCVTL / FCVTL2 (base ARMv8 NEON), 16 values per step.
#include <arm_neon.h>

#include "kernels/reference/fp16.h"
#include "kernels/ukernels/f16-f32-vcvt/f16-f32-vcvt.h"

extern "C" EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__neon) {
  for (; n >= 16; n -= 16, x += 16, y += 16) {
    const float16x8_t a = vreinterpretq_f16_u16(vld1q_u16(x));
    const float16x8_t b = vreinterpretq_f16_u16(vld1q_u16(x + 8));
    vst1q_f32(y, vcvt_f32_f16(vget_low_f16(a)));
    vst1q_f32(y + 4, vcvt_high_f32_f16(a));
    vst1q_f32(y + 8, vcvt_f32_f16(vget_low_f16(b)));
    vst1q_f32(y + 12, vcvt_high_f32_f16(b));
  }
  for (; n >= 4; n -= 4, x += 4, y += 4) vst1q_f32(y, vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(x))));
  for (; n > 0; --n) *y++ = eir::ref::half_to_float(*x++);
}
