// PAD microkernel, x4.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-pad/pad-impl.h"

extern "C" EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x4__scalar) {
  eir::ukernel::pad_rows<eir::simd::Scalar>(rows, channels, pre, post, input, input_stride, output, output_stride,
                                            value);
}
