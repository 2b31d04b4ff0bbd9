// float32 -> float16 with FCVTN (rounds to nearest even under the default FPCR, like
// ref::float_to_half), 16 values per iteration.
#include <arm_neon.h>

#include "kernels/reference/fp16.h"
#include "kernels/ukernels/f16-gemm/f16-gemm.h"

extern "C" EIR_DECLARE_F32_F16_VCVT_UKERNEL(eir_f32_f16_vcvt_ukernel__neon) {
  for (; n >= 16; n -= 16, x += 16, y += 16) {
    const float16x8_t lo = vcvt_high_f16_f32(vcvt_f16_f32(vld1q_f32(x)), vld1q_f32(x + 4));
    const float16x8_t hi = vcvt_high_f16_f32(vcvt_f16_f32(vld1q_f32(x + 8)), vld1q_f32(x + 12));
    vst1q_u16(y, vreinterpretq_u16_f16(lo));
    vst1q_u16(y + 8, vreinterpretq_u16_f16(hi));
  }
  for (; n >= 4; n -= 4, x += 4, y += 4) vst1_u16(y, vreinterpret_u16_f16(vcvt_f16_f32(vld1q_f32(x))));
  for (; n > 0; --n) *y++ = eir::ref::float_to_half(*x++);
}
