// The 8-bit quantized ADD / SUB microkernels (kernels/ukernels/qs8-vadd) to use on a CPU, chosen
// once from its features. kernels/fast/elementwise_quantized.cc calls them only through this table.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/qs8-vadd/qs8-vadd.h"

namespace eir {

struct Qs8VaddConfig {
  const char* isa = "";  // "scalar", "avx512f"
  eir_qs8_vadd_ukernel_fn vadd = nullptr;
  eir_qs8_vadd_ukernel_fn vsub = nullptr;
};

// The best config for `features` (static storage); the scalar one when no SIMD kernel applies.
const Qs8VaddConfig& qs8_vadd_config(const CpuFeatures& features);

// Every config that can run with `features`, from scalar to the best (for tests and benchmarks).
std::vector<const Qs8VaddConfig*> qs8_vadd_configs_available(const CpuFeatures& features);

constexpr size_t kMaxQs8VaddConfigs = 2;
size_t qs8_vadd_config_index(const Qs8VaddConfig& config);
const Qs8VaddConfig& qs8_vadd_config_at(size_t index);

}  // namespace eir
