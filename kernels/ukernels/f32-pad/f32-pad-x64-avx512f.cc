// PAD microkernel, x64.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-pad/pad-impl.h"

extern "C" EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x64__avx512f) {
  eir::ukernel::pad_rows<eir::simd::Avx512f>(rows, channels, pre, post, input, input_stride, output, output_stride,
                                             value);
}
