// DEPTHWISE_CONV_2D microkernels, 16-channel tiles (1 x Avx512f vector), blocks of 8 pixels.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Avx512f;

EIR_DEFINE_F32_DWCONV_FAMILY(16c, avx512f, Avx512f, 1, 8)
