// Folds an explicit zero PAD in front of a VALID CONV_2D / DEPTHWISE_CONV_2D into the convolution
// when the pad amounts are exactly what SAME padding would add (TensorFlow exports stride-2 SAME
// convolutions this way). The copy and the padded tensor disappear. Quantized graphs qualify too:
// PAD fills with the zero point, which is what a quantized convolution's implicit padding means.
// The fold is valid for the shapes it was checked on, so the convolution records the input shape
// it expects (Node::expected_input_shape) and a session whose input was resized is refused with a
// message saying to load with LoadOptions::optimize = false.
#pragma once

#include "runtime/graph/graph.h"

namespace eir {

// Returns the number of PAD nodes removed.
int fold_pad_into_conv(Graph& graph);

}  // namespace eir
