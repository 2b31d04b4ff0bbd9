// DEPTHWISE_CONV_2D microkernels, 4-channel tiles (4 x Scalar vectors), 2 pixels per block.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Scalar;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p4c__scalar) {
  eir::ukernel::dwconv<Scalar, 4, 9, 2>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p4c__scalar) {
  eir::ukernel::dwconv<Scalar, 4, 25, 2>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp4c__scalar) {
  eir::ukernel::dwconv<Scalar, 4, 0, 2>(channels, output_width, ks, input, input_stride, weights, output, params);
}
