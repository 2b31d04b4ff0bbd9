// DEPTHWISE_CONV_2D microkernels, 4-channel tiles (4 x Scalar vectors), blocks of 2 pixels.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-dwconv/dwconv-impl.h"

using eir::simd::Scalar;

EIR_DEFINE_F32_DWCONV_FAMILY(4c, scalar, Scalar, 4, 2)
