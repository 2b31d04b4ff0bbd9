// The CPU features eir dispatches on, detected once. This folder and kernels/ukernels/ are the only
// places that look at the ISA: kernels call microkernels through the tables chosen here.
#pragma once

#include <string>

#include "runtime/core/status.h"

namespace eir {

struct CpuFeatures {
  bool optimized = true;     // false: reference kernels only (the "reference" ISA cap)
  // x86-64
  bool avx2_fma = false;     // AVX2 + FMA3
  bool avx512f = false;      // AVX-512 F + BW + VL (the ones our kernels use)
  bool avx512vnni = false;   // AVX-512 VNNI
  // aarch64
  bool neon = false;
  bool neon_dot = false;     // SDOT/UDOT (ARMv8.2 dotprod)
  bool neon_fp16 = false;    // FP16 vector arithmetic (ARMv8.2 fp16)
  // Not a CPU feature but a permission (LoadOptions::allow_fp16): float32 ops may compute in fp16
  // where neon_fp16 is set. Part of the key of the kernel registry cache.
  bool fp16_arith_allowed = false;

  bool operator==(const CpuFeatures& o) const {
    return optimized == o.optimized && avx2_fma == o.avx2_fma && avx512f == o.avx512f && avx512vnni == o.avx512vnni && neon == o.neon &&
           neon_dot == o.neon_dot && neon_fp16 == o.neon_fp16 &&
           fp16_arith_allowed == o.fp16_arith_allowed;
  }
};

// Features of this machine (detected once, thread-safe).
const CpuFeatures& detected_cpu_features();

// Lowers `features` to at most `max_isa`: "native" (no change), "reference" (no optimized kernels at
// all), "scalar", "avx2", "avx512", "avx512vnni", "neon", "neondot", "neonfp16". Unknown names fail.
Result<CpuFeatures> cap_cpu_features(const CpuFeatures& features, const std::string& max_isa);

// The cap requested by the EIR_ISA environment variable, or "native".
std::string isa_from_environment();

// "avx2_fma avx512f avx512vnni" / "neon neon_dot" / "scalar".
std::string describe_cpu_features(const CpuFeatures& features);

}  // namespace eir
