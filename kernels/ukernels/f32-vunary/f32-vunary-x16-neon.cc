// Activation microkernels (clamp, hard swish, sigmoid, PReLU), x16.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-vunary/vunary-impl.h"

using eir::simd::Neon;

EIR_DEFINE_F32_VUNARY_FAMILY(x16, neon, Neon)
