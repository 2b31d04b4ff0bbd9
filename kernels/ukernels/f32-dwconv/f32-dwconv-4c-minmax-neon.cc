// DEPTHWISE_CONV_2D microkernels, 4-channel tiles (1 x Neon vector), blocks of 8 pixels.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Neon;

EIR_DEFINE_F32_DWCONV_FAMILY(4c, neon, Neon, 1, 8)
