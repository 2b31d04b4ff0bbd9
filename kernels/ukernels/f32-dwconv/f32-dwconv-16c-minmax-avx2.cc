// DEPTHWISE_CONV_2D microkernels, 16-channel tiles (2 x Avx2 vectors), 4 pixels per block.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Avx2;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p16c__avx2) {
  eir::ukernel::dwconv<Avx2, 2, 9, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p16c__avx2) {
  eir::ukernel::dwconv<Avx2, 2, 25, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp16c__avx2) {
  eir::ukernel::dwconv<Avx2, 2, 0, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}
