// DEPTHWISE_CONV_2D microkernels, 8-channel tiles (2 x Neon vectors), 4 pixels per block.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Neon;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p8c__neon) {
  eir::ukernel::dwconv<Neon, 2, 9, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p8c__neon) {
  eir::ukernel::dwconv<Neon, 2, 25, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp8c__neon) {
  eir::ukernel::dwconv<Neon, 2, 0, 4>(channels, output_width, ks, input, input_stride, weights, output, params);
}
