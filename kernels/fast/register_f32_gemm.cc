#include "kernels/configs/f16_gemm_config.h"
#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f32_gemm_kernels.h"
#include "kernels/fast/fast_kernels.h"

namespace eir {

// CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and Convolution2DTransposeBias float32 through the
// f32 GEMM microkernels of the best config for `features` (the scalar config when no SIMD feature
// is set). Versions match the reference kernels'; each driver's `supports` declines what it does
// not handle (the reference kernel then runs it).
void register_fast_f32_gemm_kernels(KernelRegistry& registry, const CpuFeatures& features) {
  if (!features.optimized) return;
  // The opt-in fp16 mode first (the registry tries kernels in order): only where the CPU has
  // FP16 arithmetic and the model was loaded with LoadOptions::allow_fp16.
  if (f16_gemm_enabled(features)) {
    const F16GemmConfig& f16 = f16_gemm_config(features);
    registry.add(BuiltinOp::kConv2D, DType::kF32, 8, fast::conv2d_f32_f16_kernel(f16));
    registry.add(BuiltinOp::kFullyConnected, DType::kF32, 14, fast::fully_connected_f32_f16_kernel(f16));
  }
  const F32GemmConfig& config = f32_gemm_config(features);
  registry.add(BuiltinOp::kConv2D, DType::kF32, 8, fast::conv2d_f32_kernel(config));
  registry.add(BuiltinOp::kFullyConnected, DType::kF32, 14, fast::fully_connected_f32_kernel(config));
  // TRANSPOSE_CONV is keyed by its first input (the int32 output_shape); `supports` claims only
  // float32 data inputs.
  registry.add(BuiltinOp::kTransposeConv, DType::kI32, 5, fast::transpose_conv_f32_kernel(config));
  registry.add_custom("Convolution2DTransposeBias", DType::kF32, 1, fast::transpose_conv_bias_f32_kernel(config));
}

}  // namespace eir
