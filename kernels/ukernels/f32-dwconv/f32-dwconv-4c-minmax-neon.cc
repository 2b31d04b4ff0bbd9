// DEPTHWISE_CONV_2D microkernels, 4-channel tiles (1 x Neon vector), 8 pixels per block.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Neon;

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_9p4c__neon) {
  eir::ukernel::dwconv<Neon, 1, 9, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_25p4c__neon) {
  eir::ukernel::dwconv<Neon, 1, 25, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}

extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_anyp4c__neon) {
  eir::ukernel::dwconv<Neon, 1, 0, 8>(channels, output_width, ks, input, input_stride, weights, output, params);
}
