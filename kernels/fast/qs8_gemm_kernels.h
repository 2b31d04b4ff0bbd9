// The 8-bit quantized operator drivers (GEMM-based, depthwise, elementwise, pooling) ("fast
// kernels"), each bound to one microkernel config (pooling: portable C++). register_quantized.cc
// registers them for the detected CPU; tests build them for every config the machine can run and
// compare them bit for bit with the reference kernels.
#pragma once

#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/configs/qs8_vadd_config.h"
#include "runtime/executor/kernel.h"

namespace eir::fast {

// CONV_2D uint8 (per-tensor weights with any zero point) and int8 (per-tensor or per-channel
// symmetric weights), int32 or no bias, constant filter and bias, fused NONE/RELU/RELU6/RELU_N1_TO_1,
// any stride / dilation / padding. Declines grouped convolutions, int16 activations, unusual
// quantization (multiplier shifts beyond 30) and anything the reference would reject.
Kernel conv2d_quantized_kernel(const Qs8GemmConfig& config);   // conv2d_quantized.cc

// FULLY_CONNECTED uint8 -> uint8 and int8 -> int8 with constant [units, depth] weights (per-tensor
// with any zero point, or per-channel int8), int32 or no bias, keep_num_dims as TFLite. Declines
// uint8 -> int16, int16 activations, shuffled weights and non-constant weights or bias.
Kernel fully_connected_quantized_kernel(const Qs8GemmConfig& config);   // fully_connected_quantized.cc

// DEPTHWISE_CONV_2D uint8 / int8 with depth multiplier 1 (per-tensor uint8 filters with any zero
// point, per-tensor or per-channel int8), int32 or no bias, constant filter and bias, fused
// NONE/RELU/RELU6/RELU_N1_TO_1, any stride / dilation / padding. Declines depth multipliers > 1,
// int16 activations and anything the reference would reject. (qs8 dwconv microkernels.)
Kernel depthwise_conv2d_quantized_kernel(const Qs8DwconvConfig& config);   // depthwise_conv2d_quantized.cc

// AVERAGE_POOL_2D uint8 / int8 (per-tensor quantized; as TFLite, the output keeps the input's
// quantization), fused NONE/RELU/RELU6/RELU_N1_TO_1, any window / stride / padding. Declines int16.
Kernel average_pool2d_quantized_kernel();   // pooling_quantized.cc

// QUANTIZE uint8 / int8 -> uint8 / int8 with equal input and output scales: a zero-point shift
// with a clamp (the requantization multiplier is exactly 1). Other ratios are declined.
Kernel requantize_8bit_same_scale_kernel();   // requantize_8bit.cc

// ADD / SUB uint8 / int8 (the three tensors of one type, per-tensor quantized) of two inputs of
// the same shape, fused NONE/RELU/RELU6/RELU_N1_TO_1. Declines broadcasting and int16. (qs8 vadd
// microkernels.)
Kernel add_quantized_kernel(const Qs8VaddConfig& config);   // elementwise_quantized.cc
Kernel sub_quantized_kernel(const Qs8VaddConfig& config);   // elementwise_quantized.cc

}  // namespace eir::fast
