// Small helpers shared by the f32 "misc" drivers (depthwise, pooling, elementwise, activations).
#pragma once

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kernels/configs/f32_misc_config.h"
#include "runtime/graph/graph.h"

namespace eir::fast {

// The tensor of slot i of `slots` (node inputs or outputs), or null when absent or out of range.
inline const Tensor* tensor_at(const std::vector<int>& slots, const std::vector<Tensor>& tensors, size_t i) {
  if (i >= slots.size()) return nullptr;
  const int t = slots[i];
  if (t < 0 || static_cast<size_t>(t) >= tensors.size()) return nullptr;
  return &tensors[static_cast<size_t>(t)];
}

inline bool constant_f32(const Tensor* t) {
  return t && t->dtype == DType::kF32 && t->is_constant() && t->data != nullptr && t->num_elements() >= 0;
}

// "<prefix><isa>" with static storage duration (Kernel::name is a plain pointer).
inline const char* config_kernel_name(const char* prefix, const F32MiscConfig& config) {
  static std::mutex mu;
  static std::set<std::string> names;
  std::lock_guard<std::mutex> lock(mu);
  return names.insert(std::string(prefix) + config.isa).first->c_str();
}

}  // namespace eir::fast
