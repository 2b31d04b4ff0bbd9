// The two arithmetics of the GEMM-based float32 drivers (CONV_2D, FULLY_CONNECTED): float32 (the
// default) and the opt-in fp16 mode (LoadOptions::allow_fp16). The drivers are templates over the
// config type; these traits give the packed-weights type, the element type of A and the config
// table for each. The f32/f16 driver functions (pack_gemm_weights, run_gemm, run_igemm) are
// overloaded on the packed type, so a driver's code is the same for both.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/configs/f16_gemm_config.h"
#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/f16_gemm_driver.h"
#include "kernels/fast/f32_gemm_driver.h"

namespace eir::fast {

template <class Config>
struct GemmArith;

template <>
struct GemmArith<F32GemmConfig> {
  using Packed = PackedGemmWeights;
  using Element = float;
  static constexpr const char* kName = "f32_";  // kernel names: fast/conv2d_f32_avx2
  static constexpr size_t kSlots = kMaxF32GemmConfigs;
  static const F32GemmConfig& config_at(size_t i) { return f32_gemm_config_at(i); }
  static size_t index_of(const F32GemmConfig& c) { return f32_gemm_config_index(c); }
};

template <>
struct GemmArith<F16GemmConfig> {
  using Packed = PackedF16GemmWeights;
  using Element = uint16_t;
  static constexpr const char* kName = "f32_f16_";  // fast/conv2d_f32_f16_neonfp16arith
  static constexpr size_t kSlots = kMaxF16GemmConfigs;
  static const F16GemmConfig& config_at(size_t i) { return f16_gemm_config_at(i); }
  static size_t index_of(const F16GemmConfig& c) { return f16_gemm_config_index(c); }
};

}  // namespace eir::fast
