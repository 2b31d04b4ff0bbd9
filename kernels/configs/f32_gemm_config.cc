#include "kernels/configs/f32_gemm_config.h"

#include <initializer_list>

namespace eir {

namespace {

F32GemmVariant make_variant(const char* name, size_t mr, size_t nr, eir_f32_gemm_ukernel_fn gemm,
                            eir_f32_gemm_ukernel_fn gemm1, eir_f32_igemm_ukernel_fn igemm) {
  F32GemmVariant v;
  v.name = name;
  v.mr = mr;
  v.nr = nr;
  v.gemm = gemm;
  v.gemm1 = gemm1;
  v.igemm = igemm;
  return v;
}

// The build's configs, in increasing order of preference. Which ones exist depends on the target
// architecture only; which one runs depends on the CPU (f32_gemm_config).
struct ConfigTable {
  F32GemmConfig configs[kMaxF32GemmConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512f = -1, neon = -1;

  int add(const char* isa, std::initializer_list<F32GemmVariant> variants) {
    F32GemmConfig& c = configs[count];
    c.isa = isa;
    for (const F32GemmVariant& v : variants) c.variants[c.num_variants++] = v;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    const F32GemmVariant scalar_4x4 =
        make_variant("scalar_4x4", 4, 4, eir_f32_gemm_minmax_ukernel_4x4__scalar,
                     eir_f32_gemm_minmax_ukernel_1x4__scalar, eir_f32_igemm_minmax_ukernel_4x4__scalar);
    scalar = add("scalar", {scalar_4x4});
#if defined(__x86_64__) || defined(_M_X64)
    const F32GemmVariant avx2_6x16 =
        make_variant("avx2_6x16", 6, 16, eir_f32_gemm_minmax_ukernel_6x16__avx2,
                     eir_f32_gemm_minmax_ukernel_1x16__avx2, eir_f32_igemm_minmax_ukernel_6x16__avx2);
    const F32GemmVariant avx512f_8x32 =
        make_variant("avx512f_8x32", 8, 32, eir_f32_gemm_minmax_ukernel_8x32__avx512f,
                     eir_f32_gemm_minmax_ukernel_1x32__avx512f, eir_f32_igemm_minmax_ukernel_8x32__avx512f);
    F32GemmVariant avx2_8x8 =
        make_variant("avx2_8x8", 8, 8, eir_f32_gemm_minmax_ukernel_8x8__avx2,
                     eir_f32_gemm_minmax_ukernel_1x8__avx2, eir_f32_igemm_minmax_ukernel_8x8__avx2);
    avx2_8x8.max_n = 8;
    avx2 = add("avx2", {avx2_6x16, avx2_8x8});
    avx512f = add("avx512f", {avx512f_8x32, avx2_6x16, avx2_8x8});
#endif
#if defined(__aarch64__)
    const F32GemmVariant neon_6x8 =
        make_variant("neon_6x8", 6, 8, eir_f32_gemm_minmax_ukernel_6x8__neon,
                     eir_f32_gemm_minmax_ukernel_1x8__neon, eir_f32_igemm_minmax_ukernel_6x8__neon);
    neon = add("neon", {neon_6x8});
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

const F32GemmVariant& F32GemmConfig::variant_for(size_t n) const {
  size_t best = 0;
  size_t best_padded = 0;
  for (size_t i = 0; i < num_variants; ++i) {
    if (i > 0 && variants[i].max_n != 0 && n > variants[i].max_n) continue;
    const size_t nr = variants[i].nr;
    const size_t padded = (n + nr - 1) / nr * nr;
    if (i == 0 || padded < best_padded) {
      best = i;
      best_padded = padded;
    }
  }
  return variants[best];
}

std::vector<const F32GemmConfig*> f32_gemm_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const F32GemmConfig*> out;
  out.push_back(&t.configs[t.scalar]);
  if (t.avx2 >= 0 && features.avx2_fma) out.push_back(&t.configs[t.avx2]);
  if (t.avx512f >= 0 && features.avx512f) out.push_back(&t.configs[t.avx512f]);
  if (t.neon >= 0 && features.neon) out.push_back(&t.configs[t.neon]);
  return out;
}

const F32GemmConfig& f32_gemm_config(const CpuFeatures& features) {
  return *f32_gemm_configs_available(features).back();
}

size_t f32_gemm_config_index(const F32GemmConfig& config) {
  return static_cast<size_t>(&config - table().configs);
}

const F32GemmConfig& f32_gemm_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
