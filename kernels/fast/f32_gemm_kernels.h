// The f32 GEMM-based operator drivers ("fast kernels"), each bound to one microkernel config.
// register_f32_gemm.cc registers them for the detected CPU; tests build them for every config
// the machine can run and compare them with the reference kernels.
#pragma once

#include "kernels/configs/f16_gemm_config.h"
#include "kernels/configs/f32_gemm_config.h"
#include "runtime/executor/kernel.h"

namespace eir::fast {

// CONV_2D float32 (NHWC input, OHWI filter, optional bias; stride, dilation, SAME/VALID, fused
// RELU/RELU6/RELU_N1_TO_1). Declines (supports) grouped convolutions, TANH/SIGN_BIT activations
// and non-constant filters or biases: the reference kernel runs those.
Kernel conv2d_f32_kernel(const F32GemmConfig& config);   // conv2d_f32.cc

// FULLY_CONNECTED float32 with constant [units, depth] weights (depth > 0), keep_num_dims as
// TFLite. Declines non-constant weights, shuffled weight formats and TANH/SIGN_BIT.
Kernel fully_connected_f32_kernel(const F32GemmConfig& config);   // fully_connected_f32.cc

// The opt-in fp16 arithmetic mode of the two above (LoadOptions::allow_fp16): same nodes, same
// supports(); weights packed to fp16 at load, inputs converted to fp16 per run, fp16
// accumulation, float32 output. Registered only where f16_gemm_enabled(features).
Kernel conv2d_f32_f16_kernel(const F16GemmConfig& config);            // conv2d_f32.cc
Kernel fully_connected_f32_f16_kernel(const F16GemmConfig& config);   // fully_connected_f32.cc

// TRANSPOSE_CONV float32 (inputs: constant int32 output_shape, constant OHWI weights, input,
// optional bias; fused clamp activation) and MediaPipe's Convolution2DTransposeBias (input,
// weights, bias; no activation), both split into stride_h x stride_w phase convolutions so that no
// zero is multiplied. Declines non-constant weights/output_shape and TANH/SIGN_BIT.
Kernel transpose_conv_f32_kernel(const F32GemmConfig& config);        // transpose_conv_f32.cc
Kernel transpose_conv_bias_f32_kernel(const F32GemmConfig& config);   // transpose_conv_f32.cc

}  // namespace eir::fast
