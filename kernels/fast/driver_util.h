// Small node helpers shared by the fast drivers' supports() and pack() hooks, which run before
// any validation of the node (so every index is checked).
#pragma once

#include <cstddef>
#include <vector>

#include "runtime/graph/graph.h"

namespace eir::fast {

// Input i of `node`, or null when it is absent (-1) or out of range.
inline const Tensor* tensor_at(const Node& node, const std::vector<Tensor>& tensors, size_t i) {
  if (i >= node.inputs.size()) return nullptr;
  const int t = node.inputs[i];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

// A constant float32 tensor with data (weights, bias).
inline bool constant_f32(const Tensor* t) {
  return t && t->dtype == DType::kF32 && t->is_constant() && t->data != nullptr && t->num_elements() >= 0;
}

}  // namespace eir::fast
