#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/fast/fast_kernels.h"

namespace eir {

// DEPTHWISE_CONV_2D, MAX/AVERAGE_POOL_2D, MEAN, ADD/SUB/MUL, the clamp activations, HARD_SWISH,
// LOGISTIC, PRELU, FUSED_ELEMENTWISE and PAD/PADV2 float32, DEQUANTIZE float16 and QUANTIZE
// float32 (per-tensor) through the microkernels of the best config for `features` (the scalar
// config when no SIMD feature is set); RESIZE_BILINEAR float32 (plain C++). Versions match the
// reference kernels'; each driver's `supports` declines what it does not handle (the reference
// kernel then runs it).
void register_fast_f32_misc_kernels(KernelRegistry& registry, const CpuFeatures& features) {
  if (!features.optimized) return;
  const F32MiscConfig& config = f32_misc_config(features);
  const DType kF32 = DType::kF32;
  registry.add(BuiltinOp::kDepthwiseConv2D, kF32, 7, fast::depthwise_conv2d_f32_kernel(config));
  registry.add(BuiltinOp::kMaxPool2D, kF32, 3, fast::max_pool2d_f32_kernel(config));
  registry.add(BuiltinOp::kAveragePool2D, kF32, 3, fast::average_pool2d_f32_kernel(config));
  registry.add(BuiltinOp::kMean, kF32, 3, fast::mean_f32_kernel(config));
  registry.add(BuiltinOp::kAdd, kF32, 6, fast::add_f32_kernel(config));
  registry.add(BuiltinOp::kSub, kF32, 5, fast::sub_f32_kernel(config));
  registry.add(BuiltinOp::kMul, kF32, 8, fast::mul_f32_kernel(config));
  registry.add(BuiltinOp::kRelu, kF32, 3, fast::relu_f32_kernel(config));
  registry.add(BuiltinOp::kRelu6, kF32, 3, fast::relu6_f32_kernel(config));
  registry.add(BuiltinOp::kReluN1To1, kF32, 1, fast::relu_n1_to_1_f32_kernel(config));
  registry.add(BuiltinOp::kHardSwish, kF32, 1, fast::hard_swish_f32_kernel(config));
  registry.add(BuiltinOp::kLogistic, kF32, 3, fast::logistic_f32_kernel(config));
  registry.add(BuiltinOp::kPrelu, kF32, 1, fast::prelu_f32_kernel(config));
  registry.add(BuiltinOp::kFusedElementwise, kF32, 1, fast::fused_elementwise_f32_kernel(config));
  registry.add(BuiltinOp::kPad, kF32, 6, fast::pad_f32_kernel(config));
  registry.add(BuiltinOp::kPadV2, kF32, 6, fast::pad_f32_kernel(config));
  registry.add(BuiltinOp::kDequantize, DType::kF16, 9, fast::dequantize_f16_kernel(config));
  registry.add(BuiltinOp::kResizeBilinear, kF32, 4, fast::resize_bilinear_f32_kernel());
  registry.add(BuiltinOp::kQuantize, kF32, 6, fast::quantize_f32_kernel(config));
}

}  // namespace eir
