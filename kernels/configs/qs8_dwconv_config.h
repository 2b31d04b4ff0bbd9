// The 8-bit quantized depthwise-convolution microkernel (kernels/ukernels/qs8-dwconv) to use on a
// CPU, chosen once from its features. kernels/fast/depthwise_conv2d_quantized.cc calls it only
// through this table; the packer reads the layout fields.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"

namespace eir {

enum class Qs8DwconvWeights { kI32, kI16x2, kI16, kI16Pairs32 };  // see qs8-dwconv.h

// One channel tile and its packed-weight layout.
struct Qs8DwconvVariant {
  const char* name = "";  // "avx512f_32c"
  size_t channel_tile = 0;
  Qs8DwconvWeights weights = Qs8DwconvWeights::kI32;
  eir_qs8_dwconv_ukernel_fn ukernel = nullptr;
};

struct Qs8DwconvConfig {
  const char* isa = "";  // "scalar", "avx2", "avx512f", "avx512vnni", "neon"
  // Widest tile first; a narrower one wastes fewer lanes on few channels (8, 16, 24).
  Qs8DwconvVariant variants[2];
  size_t num_variants = 0;
  // 3x3 filters without dilation at stride 1 / 2 (both directions): the "column quad" row
  // kernels (qs8-dwconv.h), or null where the ISA has none (the variants above run those too).
  eir_qs8_dwconv3x3_ukernel_fn dw3x3_s1 = nullptr;
  eir_qs8_dwconv3x3_ukernel_fn dw3x3_s2 = nullptr;
  // The tile padding `channels` the least (ties: the wider tile).
  const Qs8DwconvVariant& variant_for(size_t channels) const;
};

// The best config for `features` (static storage); the scalar one when no SIMD feature is set.
const Qs8DwconvConfig& qs8_dwconv_config(const CpuFeatures& features);

// Every config that can run with `features`, from scalar to the best (for tests and benchmarks).
std::vector<const Qs8DwconvConfig*> qs8_dwconv_configs_available(const CpuFeatures& features);

constexpr size_t kMaxQs8DwconvConfigs = 4;
size_t qs8_dwconv_config_index(const Qs8DwconvConfig& config);
const Qs8DwconvConfig& qs8_dwconv_config_at(size_t index);

}  // namespace eir
