// Activation microkernels (clamp, hard swish, sigmoid, PReLU), x64.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-vunary/vunary-impl.h"

using eir::simd::Avx512f;

EIR_DEFINE_F32_VUNARY_FAMILY(x64, avx512f, Avx512f)
