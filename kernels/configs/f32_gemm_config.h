// The f32 GEMM microkernels to use on a CPU, chosen once from its features. Conv/FC drivers
// (kernels/fast/) call the microkernels only through these tables.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/f32-gemm/f32-gemm.h"

namespace eir {

// One tile shape: an MR x NR GEMM and IGEMM plus a 1 x NR GEMM for single rows (GEMV-like work,
// e.g. FULLY_CONNECTED with batch 1). All three read the same packed weights (NR columns per
// block), so the choice between them is made per call.
struct F32GemmVariant {
  const char* name = "";  // "avx512f_8x32"
  size_t mr = 0, nr = 0;
  // 0, or the widest GEMM (in output columns) this tile is picked for: the 8-column AVX2 tile
  // beats the 16-column one only when N <= 8 (its extra A broadcasts cost more than the padding
  // it saves at N = 24 or 40; benchmarks/ukernels/f32_gemm_bench pw_* shapes).
  size_t max_n = 0;
  eir_f32_gemm_ukernel_fn gemm = nullptr;
  eir_f32_gemm_ukernel_fn gemm1 = nullptr;
  eir_f32_igemm_ukernel_fn igemm = nullptr;
};

struct F32GemmConfig {
  const char* isa = "";  // "scalar", "avx2", "avx512f", "neon"
  // Widest tile first. A second, narrower tile wastes less on output widths that are not a
  // multiple of the wide NR (on Zen 4 a 256-bit FMA has the same throughput per flop as a 512-bit one).
  F32GemmVariant variants[3];
  size_t num_variants = 0;

  // The tile for a GEMM with n output columns: among the tiles whose max_n allows n, the one that
  // pads n the least; ties go to the wider tile (fewer loads per flop).
  const F32GemmVariant& variant_for(size_t n) const;
};

// The best config for `features` (static storage). features.optimized must be true; the scalar
// config is returned when no SIMD feature is set.
const F32GemmConfig& f32_gemm_config(const CpuFeatures& features);

// Every config that can run with `features`, from scalar to the best (for tests and benchmarks).
std::vector<const F32GemmConfig*> f32_gemm_configs_available(const CpuFeatures& features);

// Index of `config` in the build's table of configs (stable within a build; < kMaxF32GemmConfigs).
constexpr size_t kMaxF32GemmConfigs = 4;
size_t f32_gemm_config_index(const F32GemmConfig& config);
const F32GemmConfig& f32_gemm_config_at(size_t index);

}  // namespace eir
