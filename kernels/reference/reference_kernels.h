// Registration of the portable reference kernels, the correctness oracle of eir.
#pragma once

#include "runtime/executor/kernel.h"

namespace eir {

// Registers every reference kernel.
void register_reference_kernels(KernelRegistry& registry);

// Groups, each defined in its own register_*.cc beside the kernels it lists.
void register_float_spatial_kernels(KernelRegistry& registry);   // conv, pooling, pad, resize, space/batch/depth moves, mean
void register_float_misc_kernels(KernelRegistry& registry);      // elementwise, activations, softmax, shape/data movement, dequantize, densify
void register_quantized_kernels(KernelRegistry& registry);       // int8 / uint8 / int16x8 versions
void register_sequence_kernels(KernelRegistry& registry);        // LSTM, SVDF, detection post-process

}  // namespace eir
