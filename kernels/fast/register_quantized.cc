#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/configs/qs8_vadd_config.h"
#include "kernels/fast/fast_kernels.h"
#include "kernels/fast/qs8_gemm_kernels.h"

namespace eir {

// CONV_2D and FULLY_CONNECTED uint8 / int8 through the qs8 GEMM microkernels, DEPTHWISE_CONV_2D
// through the qs8 dwconv microkernels, ADD / SUB through the qs8 vadd microkernels, each of the
// best config for `features` (the scalar config when no SIMD feature is set), and AVERAGE_POOL_2D
// and same-scale 8-bit QUANTIZE in portable C++, bit-exact with the
// reference kernels. Versions match the reference kernels'; each driver's `supports` declines what
// it does not handle (int16 activations, grouped convolutions, depth multipliers > 1,
// broadcasting, ...): the reference kernel runs those.
void register_fast_quantized_kernels(KernelRegistry& registry, const CpuFeatures& features) {
  if (!features.optimized) return;
  const Qs8GemmConfig& gemm = qs8_gemm_config(features);
  const Qs8DwconvConfig& dwconv = qs8_dwconv_config(features);
  const Qs8VaddConfig& vadd = qs8_vadd_config(features);
  for (DType t : {DType::kU8, DType::kI8}) {
    registry.add(BuiltinOp::kConv2D, t, 8, fast::conv2d_quantized_kernel(gemm));
    registry.add(BuiltinOp::kDepthwiseConv2D, t, 7, fast::depthwise_conv2d_quantized_kernel(dwconv));
    registry.add(BuiltinOp::kFullyConnected, t, 14, fast::fully_connected_quantized_kernel(gemm));
    registry.add(BuiltinOp::kAdd, t, 6, fast::add_quantized_kernel(vadd));
    registry.add(BuiltinOp::kSub, t, 5, fast::sub_quantized_kernel(vadd));
    registry.add(BuiltinOp::kAveragePool2D, t, 3, fast::average_pool2d_quantized_kernel());
    registry.add(BuiltinOp::kQuantize, t, 6, fast::requantize_8bit_same_scale_kernel());
  }
}

}  // namespace eir
