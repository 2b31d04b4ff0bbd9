// Activation microkernels (clamp, hard swish, sigmoid, PReLU), x4.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-vunary/vunary-impl.h"

using eir::simd::Scalar;

EIR_DEFINE_F32_VUNARY_FAMILY(x4, scalar, Scalar)
