#include "kernels/fast/fast_kernels.h"

namespace eir {

void register_fast_kernels(KernelRegistry& registry, const CpuFeatures& features) {
  if (!features.optimized) return;
  register_fast_f32_gemm_kernels(registry, features);
  register_fast_f32_misc_kernels(registry, features);
  register_fast_quantized_kernels(registry, features);
}

}  // namespace eir
