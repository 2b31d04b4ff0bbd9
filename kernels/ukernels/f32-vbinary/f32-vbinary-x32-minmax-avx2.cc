// ADD / SUB / MUL microkernels (vector-vector and vector-scalar), x32.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-vbinary/vbinary-impl.h"

using eir::simd::Avx2;

EIR_DEFINE_F32_VBINARY_FAMILY(x32, avx2, Avx2)
