#include "kernels/configs/qs8_gemm_config.h"

#include <initializer_list>

namespace eir {

namespace {

struct ConfigTable {
  Qs8GemmConfig configs[kMaxQs8GemmConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512vnni = -1, neon = -1, neondot = -1;

  int add(const char* isa, std::initializer_list<Qs8GemmVariant> variants) {
    Qs8GemmConfig& c = configs[count];
    c.isa = isa;
    for (const Qs8GemmVariant& v : variants) c.variants[c.num_variants++] = v;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    Qs8GemmVariant s;
    s.name = "scalar_4x4";
    s.mr = 4, s.nr = 4, s.kr = 1;
    s.gemm = eir_qs8_gemm_minmax_ukernel_4x4__scalar;
    s.gemm1 = eir_qs8_gemm_minmax_ukernel_1x4__scalar;
    s.igemm = eir_qs8_igemm_minmax_ukernel_4x4__scalar;
    s.rsum = eir_qs8_rsum_ukernel__scalar;
    scalar = add("scalar", {s});
#if defined(__x86_64__) || defined(_M_X64)
    Qs8GemmVariant a2;
    a2.name = "avx2_3x8c8";
    a2.mr = 3, a2.nr = 8, a2.kr = 8;
    a2.int16_weights = true;
    a2.paired_columns = true;
    a2.gemm = eir_qs8_gemm_minmax_ukernel_3x8c8__avx2;
    a2.gemm1 = eir_qs8_gemm_minmax_ukernel_1x8c8__avx2;
    a2.igemm = eir_qs8_igemm_minmax_ukernel_3x8c8__avx2;
    a2.rsum = eir_qs8_rsum_ukernel__avx2;
    avx2 = add("avx2", {a2});
    Qs8GemmVariant v32;
    v32.name = "avx512vnni_8x32c4";
    v32.mr = 8, v32.nr = 32, v32.kr = 4;
    v32.unsigned_activations = true;
    v32.requant64 = true;
    v32.any_m = true;
    v32.gemm = eir_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni;
    v32.gemm1 = eir_qs8_gemm_minmax_ukernel_1x32c4__avx512vnni;
    v32.igemm = eir_qs8_igemm_minmax_ukernel_8x32c4__avx512vnni;
    v32.rsum = eir_qs8_rsum_ukernel__avx512f;
    Qs8GemmVariant v16 = v32;
    v16.name = "avx512vnni_8x16c4";
    v16.nr = 16;
    v16.gemm = eir_qs8_gemm_minmax_ukernel_8x16c4__avx512vnni;
    v16.gemm1 = eir_qs8_gemm_minmax_ukernel_1x16c4__avx512vnni;
    v16.igemm = eir_qs8_igemm_minmax_ukernel_8x16c4__avx512vnni;
    avx512vnni = add("avx512vnni", {v32, v16});
    configs[avx512vnni].conv3x3s2c3 = eir_qs8_conv3x3s2c3_minmax_ukernel_16x8__avx512vnni;
#endif
#if defined(__aarch64__)
    Qs8GemmVariant n8;
    n8.name = "neon_2x8c8";
    n8.mr = 2, n8.nr = 8, n8.kr = 8;
    n8.gemm = eir_qs8_gemm_minmax_ukernel_2x8c8__neon;
    n8.gemm1 = eir_qs8_gemm_minmax_ukernel_1x8c8__neon;
    n8.igemm = eir_qs8_igemm_minmax_ukernel_2x8c8__neon;
    n8.rsum = eir_qs8_rsum_ukernel__neon;
    neon = add("neon", {n8});
    Qs8GemmVariant d16;
    d16.name = "neondot_4x16c4";
    d16.mr = 4, d16.nr = 16, d16.kr = 4;
    d16.gemm = eir_qs8_gemm_minmax_ukernel_4x16c4__neondot;
    d16.gemm1 = eir_qs8_gemm_minmax_ukernel_1x16c4__neondot;
    d16.igemm = eir_qs8_igemm_minmax_ukernel_4x16c4__neondot;
    d16.rsum = eir_qs8_rsum_ukernel__neon;
    neondot = add("neondot", {d16});
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

const Qs8GemmVariant& Qs8GemmConfig::variant_for(size_t n) const {
  size_t best = 0, best_padded = 0;
  for (size_t i = 0; i < num_variants; ++i) {
    const size_t nr = variants[i].nr;
    const size_t padded = (n + nr - 1) / nr * nr;
    if (i == 0 || padded < best_padded) {
      best = i;
      best_padded = padded;
    }
  }
  return variants[best];
}

std::vector<const Qs8GemmConfig*> qs8_gemm_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const Qs8GemmConfig*> out;
  out.push_back(&t.configs[t.scalar]);
  if (t.avx2 >= 0 && features.avx2_fma) out.push_back(&t.configs[t.avx2]);
  // The VNNI kernels also use AVX-512 BW/VL byte-masked loads and stores (features.avx512f).
  if (t.avx512vnni >= 0 && features.avx512f && features.avx512vnni) out.push_back(&t.configs[t.avx512vnni]);
  if (t.neon >= 0 && features.neon) out.push_back(&t.configs[t.neon]);
  if (t.neondot >= 0 && features.neon && features.neon_dot) out.push_back(&t.configs[t.neondot]);
  return out;
}

const Qs8GemmConfig& qs8_gemm_config(const CpuFeatures& features) { return *qs8_gemm_configs_available(features).back(); }

size_t qs8_gemm_config_index(const Qs8GemmConfig& config) { return static_cast<size_t>(&config - table().configs); }

const Qs8GemmConfig& qs8_gemm_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
