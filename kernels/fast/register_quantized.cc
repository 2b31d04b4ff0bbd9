#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/fast/fast_kernels.h"
#include "kernels/fast/qs8_gemm_kernels.h"

namespace eir {

// CONV_2D and FULLY_CONNECTED uint8 / int8 through the qs8 GEMM microkernels of the best config
// for `features` (the scalar config when no SIMD feature is set), bit-exact with the reference
// kernels. Versions match the reference kernels'; each driver's `supports` declines what it does
// not handle (int16 activations, grouped convolutions, ...), which the reference kernel then runs.
void register_fast_quantized_kernels(KernelRegistry& registry, const CpuFeatures& features) {
  if (!features.optimized) return;
  const Qs8GemmConfig& config = qs8_gemm_config(features);
  for (DType t : {DType::kU8, DType::kI8}) {
    registry.add(BuiltinOp::kConv2D, t, 8, fast::conv2d_quantized_kernel(config));
    registry.add(BuiltinOp::kFullyConnected, t, 14, fast::fully_connected_quantized_kernel(config));
  }
}

}  // namespace eir
