// ADD / SUB / MUL microkernels (vector-vector and vector-scalar), x4.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-vbinary/vbinary-impl.h"

using eir::simd::Scalar;

EIR_DEFINE_F32_VBINARY_FAMILY(x4, scalar, Scalar)
