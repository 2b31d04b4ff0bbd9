// The quantized (int8 / uint8 / int16x8) reference kernels, one getter per kernel, defined in the
// op family's own *_quantized.cc file. register_quantized.cc lists them with dtypes and versions;
// unit tests call them directly.
//
// The bar for these kernels is bit-exactness with TensorFlow Lite's *default* builtin kernels as
// built for x86-64 (XNNPACK off): where TFLite's optimized path computes differently from its
// reference path, these kernels follow the optimized path (each file says which path it mirrors).
#pragma once

#include "runtime/executor/kernel.h"

namespace eir::ref {

Kernel conv2d_quantized_kernel();            // conv2d_quantized.cc: uint8, int8, int16x8
Kernel depthwise_conv2d_quantized_kernel();  // depthwise_conv2d_quantized.cc: uint8, int8, int16x8
Kernel fully_connected_quantized_kernel();   // fully_connected_quantized.cc: uint8, int8, int16x8
Kernel average_pool2d_quantized_kernel();    // pooling_quantized.cc: uint8, int8, int16
Kernel max_pool2d_quantized_kernel();        // pooling_quantized.cc: uint8, int8, int16
Kernel add_quantized_kernel();               // elementwise_quantized.cc: uint8, int8, int16
Kernel sub_quantized_kernel();               // elementwise_quantized.cc: uint8, int8, int16
Kernel mul_quantized_kernel();               // elementwise_quantized.cc: uint8, int8, int16
Kernel logistic_quantized_kernel();          // activations_quantized.cc: uint8, int8, int16
Kernel tanh_quantized_kernel();              // activations_quantized.cc: uint8, int8, int16
Kernel hard_swish_quantized_kernel();        // activations_quantized.cc: uint8, int8
Kernel leaky_relu_quantized_kernel();        // activations_quantized.cc: uint8, int8, int16
Kernel relu_quantized_kernel();              // activations_quantized.cc: uint8, int8, int16
Kernel relu6_quantized_kernel();             // activations_quantized.cc: uint8, int8, int16
Kernel relu_n1_to_1_quantized_kernel();      // activations_quantized.cc: uint8, int8, int16
Kernel softmax_quantized_kernel();           // softmax_quantized.cc: uint8, int8 (-> int8/int16), int16
Kernel quantize_kernel();                    // quantize.cc: float32 -> int, int -> int requantize
Kernel concatenation_quantized_kernel();     // concatenation_quantized.cc: uint8, int8, int16
Kernel mean_quantized_kernel();              // mean_quantized.cc: uint8, int8, int16
Kernel resize_bilinear_quantized_kernel();   // resize_bilinear_quantized.cc: uint8, int8, int16

}  // namespace eir::ref
