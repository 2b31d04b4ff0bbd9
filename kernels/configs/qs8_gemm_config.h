// The 8-bit quantized GEMM microkernels (kernels/ukernels/qs8-gemm) to use on a CPU, chosen once
// from its features. The quantized CONV_2D / FULLY_CONNECTED drivers call them only through these
// tables; the packer (kernels/fast/qs8_gemm_driver) reads the layout fields.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/qs8-conv/qs8-conv.h"
#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir {

// One tile shape and its packed-weight layout. gemm / gemm1 / igemm read the same packed weights.
struct Qs8GemmVariant {
  const char* name = "";  // "avx512vnni_8x32c4"
  size_t mr = 0, nr = 0;
  size_t kr = 1;                // consecutive k of one column stored together (each tap padded to KR)
  bool int16_weights = false;   // weights sign-extended to int16 at pack time
  bool paired_columns = false;  // a block's columns stored in the order 0 4 1 5 2 6 3 7 (AVX2 c8)
  bool unsigned_activations = false;  // the kernel multiplies a + 128 (VPDPBUSD's unsigned operand)
  bool requant64 = false;       // the block's requantization constants in the "requant64" form (qs8-gemm.h)
  bool any_m = false;           // gemm / igemm take mr > MR (tiles of MR in one call)
  eir_qs8_gemm_ukernel_fn gemm = nullptr;
  eir_qs8_gemm_ukernel_fn gemm1 = nullptr;  // single row (may be null: gemm with mr = 1)
  eir_qs8_igemm_ukernel_fn igemm = nullptr;
  eir_qs8_rsum_ukernel_fn rsum = nullptr;   // row sums for the row terms (any layout)
};

struct Qs8GemmConfig {
  const char* isa = "";  // "scalar", "avx2", "avx512vnni", "neon", "neondot"
  Qs8GemmVariant variants[2];
  size_t num_variants = 0;
  // CONV_2D 3x3 stride 2 over 3 input channels (the RGB stem): the direct kernel of
  // kernels/ukernels/qs8-conv, or null where the ISA has none (the GEMM variants run it).
  eir_qs8_conv3x3s2c3_ukernel_fn conv3x3s2c3 = nullptr;

  // The tile for n output columns: the one that pads n the least; ties go to the first (widest).
  const Qs8GemmVariant& variant_for(size_t n) const;
};

// The best config for `features` (static storage); the scalar one when no SIMD feature is set.
const Qs8GemmConfig& qs8_gemm_config(const CpuFeatures& features);

// Every config that can run with `features`, from scalar to the best (for tests and benchmarks).
std::vector<const Qs8GemmConfig*> qs8_gemm_configs_available(const CpuFeatures& features);

// Index of `config` in the build's table (stable within a build; < kMaxQs8GemmConfigs).
constexpr size_t kMaxQs8GemmConfigs = 4;
size_t qs8_gemm_config_index(const Qs8GemmConfig& config);
const Qs8GemmConfig& qs8_gemm_config_at(size_t index);

}  // namespace eir
