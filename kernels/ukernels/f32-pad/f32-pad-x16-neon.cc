// PAD microkernel, x16.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-pad/pad-impl.h"

extern "C" EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x16__neon) {
  eir::ukernel::pad_rows<eir::simd::Neon>(rows, channels, pre, post, input, input_stride, output, output_stride, value);
}
