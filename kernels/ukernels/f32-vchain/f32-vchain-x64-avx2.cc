// Elementwise-chain microkernel, x64 (8 vectors kept in registers per main-loop step).
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-vchain/vchain-impl.h"

using eir::simd::Avx2;

EIR_DEFINE_F32_VCHAIN_UKERNEL(x64, avx2, Avx2, 8)
