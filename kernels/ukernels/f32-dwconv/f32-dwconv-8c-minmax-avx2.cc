// DEPTHWISE_CONV_2D microkernels, 8-channel tiles (1 x Avx2 vector), 8 pixels per block.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Avx2;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p8c__avx2) {
  eir::ukernel::dwconv<Avx2, 1, 9, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p8c__avx2) {
  eir::ukernel::dwconv<Avx2, 1, 25, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp8c__avx2) {
  eir::ukernel::dwconv<Avx2, 1, 0, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}
