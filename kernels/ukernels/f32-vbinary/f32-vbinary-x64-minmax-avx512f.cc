// ADD / SUB / MUL microkernels (vector-vector and vector-scalar), x64.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-vbinary/vbinary-impl.h"

using eir::simd::Avx512f;

EIR_DEFINE_F32_VBINARY_FAMILY(x64, avx512f, Avx512f)
