// Elementwise-chain microkernel, x32 (8 vectors kept in registers per main-loop step).
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-vchain/vchain-impl.h"

using eir::simd::Neon;

EIR_DEFINE_F32_VCHAIN_UKERNEL(x32, neon, Neon, 8)
