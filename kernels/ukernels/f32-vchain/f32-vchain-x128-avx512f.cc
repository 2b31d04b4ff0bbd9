// Elementwise-chain microkernel, x128 (8 vectors kept in registers per main-loop step).
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-vchain/vchain-impl.h"

using eir::simd::Avx512f;

EIR_DEFINE_F32_VCHAIN_UKERNEL(x128, avx512f, Avx512f, 8)
