// Elementwise-chain microkernel, x4 (4 vectors kept in registers per main-loop step).
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-vchain/vchain-impl.h"

using eir::simd::Scalar;

EIR_DEFINE_F32_VCHAIN_UKERNEL(x4, scalar, Scalar, 4)
