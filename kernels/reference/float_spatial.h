// The reference kernels of the "float spatial" group, one getter per kernel (defined in the op's
// own file). register_float_spatial.cc lists them with their dtypes and versions; unit tests
// call them directly.
#pragma once

#include "runtime/executor/kernel.h"

namespace eir::ref {

Kernel conv2d_f32_kernel();                 // conv2d.cc
Kernel depthwise_conv2d_f32_kernel();       // depthwise_conv2d.cc
Kernel fully_connected_f32_kernel();        // fully_connected.cc
Kernel transpose_conv_f32_kernel();         // transpose_conv.cc
Kernel transpose_conv_bias_f32_kernel();    // transpose_conv.cc (MediaPipe Convolution2DTransposeBias)
Kernel average_pool2d_f32_kernel();         // pooling.cc
Kernel max_pool2d_f32_kernel();             // pooling.cc
Kernel l2_pool2d_f32_kernel();              // pooling.cc
Kernel pad_kernel();                        // pad.cc: PAD and PADV2, any fixed-size dtype
Kernel resize_bilinear_f32_kernel();        // resize_bilinear.cc
Kernel resize_nearest_neighbor_kernel();    // resize_nearest_neighbor.cc: any dtype
Kernel depth_to_space_kernel();             // depth_space.cc: any dtype
Kernel space_to_depth_kernel();             // depth_space.cc: any dtype
Kernel space_to_batch_nd_kernel();          // space_batch.cc: any dtype
Kernel batch_to_space_nd_kernel();          // space_batch.cc: any dtype
Kernel mean_kernel();                       // mean.cc: float32, int32, int64

}  // namespace eir::ref
