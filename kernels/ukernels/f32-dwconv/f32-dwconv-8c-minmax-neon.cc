// DEPTHWISE_CONV_2D microkernels, 8-channel tiles (2 x Neon vectors), blocks of 4 pixels.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Neon;

EIR_DEFINE_F32_DWCONV_FAMILY(8c, neon, Neon, 2, 4)
