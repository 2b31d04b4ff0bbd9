// DEPTHWISE_CONV_2D microkernels, 8-channel tiles (1 x Avx2 vector), blocks of 8 pixels.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Avx2;

EIR_DEFINE_F32_DWCONV_FAMILY(8c, avx2, Avx2, 1, 8)
