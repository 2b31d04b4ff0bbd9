// DEPTHWISE_CONV_2D microkernels, 16-channel tiles (1 x Avx512f vector), 8 pixels per block.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Avx512f;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p16c__avx512f) {
  eir::ukernel::dwconv<Avx512f, 1, 9, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p16c__avx512f) {
  eir::ukernel::dwconv<Avx512f, 1, 25, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp16c__avx512f) {
  eir::ukernel::dwconv<Avx512f, 1, 0, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}
