// Registration of the optimized kernels. They are registered before the reference kernels, so the
// registry prefers them; each one's `supports` hook declines the nodes it does not handle.
#pragma once

#include "kernels/configs/cpu_features.h"
#include "runtime/executor/kernel.h"

namespace eir {

// Adds every optimized kernel usable with `features` (none for a default CpuFeatures{}).
void register_fast_kernels(KernelRegistry& registry, const CpuFeatures& features);

// Groups, each in its own register_*.cc beside its kernels.
void register_fast_f32_gemm_kernels(KernelRegistry& registry, const CpuFeatures& features);   // conv, FC via GEMM
void register_fast_f32_misc_kernels(KernelRegistry& registry, const CpuFeatures& features);   // depthwise, pooling, elementwise
void register_fast_quantized_kernels(KernelRegistry& registry, const CpuFeatures& features);  // int8/uint8 GEMM, depthwise

}  // namespace eir
