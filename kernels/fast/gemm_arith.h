// The two arithmetics of the GEMM-based float32 drivers (CONV_2D, FULLY_CONNECTED): float32 (the
// default) and the opt-in fp16 mode (LoadOptions::allow_fp16). The drivers are templates over the
// config type; these traits give the packed-weights type, the element type of A and the config
// table for each. The f32/f16 driver functions (pack_gemm_weights, run_gemm, run_igemm) are
// overloaded on the packed type, so a driver's code is the same for both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels/configs/f16_gemm_config.h"
#include "kernels/configs/f32_gemm_config.h"
#include "kernels/fast/driver_util.h"
#include "kernels/fast/f16_gemm_driver.h"
#include "kernels/fast/f32_gemm_driver.h"
#include "runtime/executor/kernel.h"

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

// The GEMM's A for the `count` float32 input values at x: x itself, or in the fp16 mode its fp16
// copy, converted into the kernel's scratch (count elements, requested at prepare) at each run.
template <class Config>
const typename GemmArith<Config>::Element* gemm_input(const Config& config, KernelContext& ctx, size_t count,
                                                      const float* x) {
  using T = typename GemmArith<Config>::Element;
  if constexpr (std::is_same_v<T, float>) {
    (void)config, (void)count;
    return x;
  } else {
    T* copy = reinterpret_cast<T*>(ctx.scratch());
    convert_to_f16(config, count, x, copy, ctx.thread_pool());
    return copy;
  }
}

// The supports() checks the float GEMM drivers share: the optional bias (input 2) is absent or
// a constant float32 tensor of n values, and the node's one output is float32.
inline bool f32_gemm_bias_and_output_ok(const Node& node, const std::vector<Tensor>& tensors, int64_t n) {
  if (node.inputs.size() == 3 && node.inputs[2] >= 0) {
    const Tensor* bias = tensor_at(node, tensors, 2);
    if (!constant_f32(bias) || bias->num_elements() != n) return false;
  }
  const int out = node.outputs[0];
  return out >= 0 && static_cast<size_t>(out) < tensors.size() && tensors[static_cast<size_t>(out)].dtype == DType::kF32;
}

}  // namespace eir::fast
