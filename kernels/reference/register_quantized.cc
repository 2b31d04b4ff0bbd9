#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/reference_kernels.h"

namespace eir {

// Quantized kernels, keyed by the dtype of the node's first input. Max versions are TFLite's
// current ones (tflite/core/kernels/register.cc); the kernels check the dtype combinations.
void register_quantized_kernels(KernelRegistry& registry) {
  using namespace ref;
  const DType kU8 = DType::kU8, kI8 = DType::kI8, kI16 = DType::kI16;
  for (DType t : {kU8, kI8, kI16}) {
    registry.add(BuiltinOp::kConv2D, t, 8, conv2d_quantized_kernel());
    registry.add(BuiltinOp::kDepthwiseConv2D, t, 7, depthwise_conv2d_quantized_kernel());
    registry.add(BuiltinOp::kFullyConnected, t, 14, fully_connected_quantized_kernel());
    registry.add(BuiltinOp::kAveragePool2D, t, 3, average_pool2d_quantized_kernel());
    registry.add(BuiltinOp::kMaxPool2D, t, 3, max_pool2d_quantized_kernel());
    registry.add(BuiltinOp::kAdd, t, 6, add_quantized_kernel());
    registry.add(BuiltinOp::kSub, t, 5, sub_quantized_kernel());
    registry.add(BuiltinOp::kMul, t, 8, mul_quantized_kernel());
    registry.add(BuiltinOp::kLogistic, t, 3, logistic_quantized_kernel());
    registry.add(BuiltinOp::kTanh, t, 3, tanh_quantized_kernel());
    registry.add(BuiltinOp::kLeakyRelu, t, 2, leaky_relu_quantized_kernel());
    registry.add(BuiltinOp::kRelu, t, 3, relu_quantized_kernel());
    registry.add(BuiltinOp::kRelu6, t, 3, relu6_quantized_kernel());
    registry.add(BuiltinOp::kSoftmax, t, 4, softmax_quantized_kernel());
    registry.add(BuiltinOp::kConcatenation, t, 7, concatenation_quantized_kernel());
    registry.add(BuiltinOp::kMean, t, 3, mean_quantized_kernel());
    registry.add(BuiltinOp::kResizeBilinear, t, 4, resize_bilinear_quantized_kernel());
  }
  for (DType t : {kU8, kI8}) {
    registry.add(BuiltinOp::kHardSwish, t, 1, hard_swish_quantized_kernel());
    registry.add(BuiltinOp::kReluN1To1, t, 1, relu_n1_to_1_quantized_kernel());
  }
  // QUANTIZE is keyed by its input: float32 (quantize) or an integer type (requantize).
  for (DType t : {DType::kF32, kU8, kI8, kI16, DType::kI32})
    registry.add(BuiltinOp::kQuantize, t, 6, quantize_kernel());
}

}  // namespace eir
