// The clamp XNNPACK applies for a TFLite fused activation, shared by the delegate's node builders
// and its FUSED_ELEMENTWISE expansion.
#pragma once

#include <limits>

#include "runtime/graph/op_params.h"

namespace eir {

// Clamp bounds of a fused activation; false for activations XNNPACK cannot fuse (TANH, SIGN_BIT),
// which the delegate therefore does not claim.
inline bool xnnpack_activation_bounds(Activation act, float* lo, float* hi) {
  *lo = -std::numeric_limits<float>::infinity();
  *hi = std::numeric_limits<float>::infinity();
  switch (act) {
    case Activation::kNone: return true;
    case Activation::kRelu: *lo = 0.0f; return true;
    case Activation::kReluN1To1: *lo = -1.0f; *hi = 1.0f; return true;
    case Activation::kRelu6: *lo = 0.0f; *hi = 6.0f; return true;
    default: return false;
  }
}

}  // namespace eir
