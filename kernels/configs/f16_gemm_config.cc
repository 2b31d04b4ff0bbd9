#include "kernels/configs/f16_gemm_config.h"

namespace eir {

namespace {

// The build's configs: [0] scalar (every target), [1] neonfp16arith (aarch64 only).
struct ConfigTable {
  F16GemmConfig configs[kMaxF16GemmConfigs];
  size_t count = 0;
  int neonfp16arith = -1;

  int add(const char* isa, const char* name, size_t mr, size_t nr, eir_f16_gemm_ukernel_fn gemm,
          eir_f16_gemm_ukernel_fn gemm1, eir_f16_igemm_ukernel_fn igemm, eir_f32_f16_vcvt_ukernel_fn cvt) {
    F16GemmConfig& c = configs[count];
    c.isa = isa;
    c.variant.name = name;
    c.variant.mr = mr;
    c.variant.nr = nr;
    c.variant.gemm = gemm;
    c.variant.gemm1 = gemm1;
    c.variant.igemm = igemm;
    c.cvt = cvt;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    add("scalar", "scalar_4x8", 4, 8, eir_f16_gemm_minmax_ukernel_4x8__scalar, eir_f16_gemm_minmax_ukernel_1x8__scalar,
        eir_f16_igemm_minmax_ukernel_4x8__scalar, eir_f32_f16_vcvt_ukernel__scalar);
#if defined(__aarch64__)
    neonfp16arith = add("neonfp16arith", "neonfp16arith_6x16", 6, 16, eir_f16_gemm_minmax_ukernel_6x16__neonfp16arith,
                        eir_f16_gemm_minmax_ukernel_1x16__neonfp16arith,
                        eir_f16_igemm_minmax_ukernel_6x16__neonfp16arith, eir_f32_f16_vcvt_ukernel__neon);
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

bool f16_gemm_enabled(const CpuFeatures& features) {
  return features.optimized && features.neon_fp16 && features.fp16_arith_allowed && table().neonfp16arith >= 0;
}

std::vector<const F16GemmConfig*> f16_gemm_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const F16GemmConfig*> out;
  out.push_back(&t.configs[0]);
  if (t.neonfp16arith >= 0 && features.neon_fp16) out.push_back(&t.configs[t.neonfp16arith]);
  return out;
}

const F16GemmConfig& f16_gemm_config(const CpuFeatures& features) {
  return *f16_gemm_configs_available(features).back();
}

size_t f16_gemm_config_index(const F16GemmConfig& config) { return static_cast<size_t>(&config - table().configs); }

const F16GemmConfig& f16_gemm_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
