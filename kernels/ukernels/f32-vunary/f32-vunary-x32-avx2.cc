// Activation microkernels (clamp, hard swish, sigmoid, PReLU), x32.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-vunary/vunary-impl.h"

using eir::simd::Avx2;

EIR_DEFINE_F32_VUNARY_FAMILY(x32, avx2, Avx2)
