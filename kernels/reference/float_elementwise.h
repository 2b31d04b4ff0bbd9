// The float32 element functions of the reference elementwise kernels, shared by the one-op
// kernels (activations.cc, elementwise_binary.cc) and the fused-chain kernel
// (fused_elementwise.cc), so that a fused chain computes exactly what its ops compute one by one.
// The clamps are written as comparisons that let NaN through, as TFLite's loops do.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/graph/op_params.h"

namespace eir::ref {

inline float clamp_keep_nan(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

// Clamp bounds of an ADD/SUB/MUL/DIV fused activation: TFLite's CalculateActivationRange<T>.
// NONE (and TANH/SIGN_BIT, which that function ignores) clamps to the type's [lowest, max], so a
// float overflow to +-inf becomes +-FLT_MAX.
template <class T>
void activation_bounds(Activation act, T* lo, T* hi) {
  *lo = std::numeric_limits<T>::lowest();
  *hi = std::numeric_limits<T>::max();
  switch (act) {
    case Activation::kRelu: *lo = 0; break;
    case Activation::kRelu6: *lo = 0; *hi = 6; break;
    case Activation::kReluN1To1: *lo = -1; *hi = 1; break;
    default: break;
  }
}

// The fused-activation clamp of ADD/SUB/MUL/DIV, with std::min/std::max as TFLite (keeps NaN).
template <class T>
T clamp_activation(T r, T lo, T hi) {
  return std::min(std::max(r, lo), hi);
}

inline float relu_f32(float x) { return x < 0.0f ? 0.0f : x; }

// TFLite's reference logistic: saturate far out, where 1 / (1 + exp(-x)) is 1 in float or exp
// underflows less than the formula's rounding.
inline float logistic_f32(float x) {
  constexpr float kUpper = 16.619047164916992188f;
  constexpr float kLower = -9.0f;
  if (x > kUpper) return 1.0f;
  if (x < kLower) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

// x * relu6(x + 3) / 6, evaluated in this order as TFLite does.
inline float hard_swish_f32(float x) { return x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f; }

// alpha may be > 1 or negative, so this is a select, not a max.
inline float prelu_f32(float x, float alpha) { return x >= 0.0f ? x : x * alpha; }

}  // namespace eir::ref
