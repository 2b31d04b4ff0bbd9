// PAD microkernel, x32.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-pad/pad-impl.h"

extern "C" EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x32__avx2) {
  eir::ukernel::pad_rows<eir::simd::Avx2>(rows, channels, pre, post, input, input_stride, output, output_stride, value);
}
