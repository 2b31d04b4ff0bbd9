// ADD / SUB / MUL microkernels (vector-vector and vector-scalar), x16.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-vbinary/vbinary-impl.h"

using eir::simd::Neon;

EIR_DEFINE_F32_VBINARY_FAMILY(x16, neon, Neon)
