// Fuses a standalone RELU / RELU6 / RELU_N1_TO_1 into the float producer before it when that
// producer has a fused-activation option left at NONE (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
// ADD, SUB, MUL, pooling, CONCATENATION), so the clamp happens in the producer's output loop.
// Only float32: in quantized graphs the standalone op may also requantize.
#pragma once

#include "runtime/graph/graph.h"

namespace eir {

// Returns the number of activation nodes removed.
int fuse_activations(Graph& graph);

}  // namespace eir
