// The f16 GEMM microkernels of the opt-in fp16 arithmetic mode (LoadOptions::allow_fp16), chosen
// once from the CPU features. Used by the fp16 mode of the CONV_2D / FULLY_CONNECTED float32
// drivers (kernels/fast/conv2d_f32.cc, fully_connected_f32.cc).
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/f16-gemm/f16-gemm.h"

namespace eir {

// One tile shape, as F32GemmVariant: MR x NR GEMM and IGEMM plus a 1 x NR GEMM for single rows,
// all reading the same packed fp16 weights.
struct F16GemmVariant {
  const char* name = "";  // "neonfp16arith_6x16"
  size_t mr = 0, nr = 0;
  eir_f16_gemm_ukernel_fn gemm = nullptr;
  eir_f16_gemm_ukernel_fn gemm1 = nullptr;
  eir_f16_igemm_ukernel_fn igemm = nullptr;
};

struct F16GemmConfig {
  const char* isa = "";  // "scalar", "neonfp16arith"
  F16GemmVariant variant;
  eir_f32_f16_vcvt_ukernel_fn cvt = nullptr;  // the drivers' float32 -> fp16 input conversion
  const F16GemmVariant& variant_for(size_t /*n*/) const { return variant; }
};

// Whether the fp16 mode runs on `features`: the CPU has FP16 vector arithmetic and the model was
// loaded with LoadOptions::allow_fp16 (features.fp16_arith_allowed).
bool f16_gemm_enabled(const CpuFeatures& features);

// The config the fp16 mode uses on `features` (static storage); f16_gemm_enabled must be true.
const F16GemmConfig& f16_gemm_config(const CpuFeatures& features);

// Every config that can run on `features` regardless of the opt-in: the scalar one (a slow
// oracle, always) and the SIMD one where the CPU has it (for tests and benchmarks).
std::vector<const F16GemmConfig*> f16_gemm_configs_available(const CpuFeatures& features);

// Index of `config` in the build's table (stable within a build; < kMaxF16GemmConfigs).
constexpr size_t kMaxF16GemmConfigs = 2;
size_t f16_gemm_config_index(const F16GemmConfig& config);
const F16GemmConfig& f16_gemm_config_at(size_t index);

}  // namespace eir
