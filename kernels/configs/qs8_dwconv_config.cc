#include "kernels/configs/qs8_dwconv_config.h"

#include <initializer_list>

namespace eir {

namespace {

struct ConfigTable {
  Qs8DwconvConfig configs[kMaxQs8DwconvConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512f = -1, avx512vnni = -1, neon = -1;

  static Qs8DwconvVariant variant(const char* name, size_t tile, Qs8DwconvWeights w, eir_qs8_dwconv_ukernel_fn fn) {
    Qs8DwconvVariant v;
    v.name = name;
    v.channel_tile = tile;
    v.weights = w;
    v.ukernel = fn;
    return v;
  }

  int add(const char* isa, std::initializer_list<Qs8DwconvVariant> variants) {
    Qs8DwconvConfig& c = configs[count];
    c.isa = isa;
    for (const Qs8DwconvVariant& v : variants) c.variants[c.num_variants++] = v;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    scalar = add("scalar", {variant("scalar_4c", 4, Qs8DwconvWeights::kI32, eir_qs8_dwconv_minmax_ukernel_4c__scalar)});
#if defined(__x86_64__) || defined(_M_X64)
    avx2 = add("avx2", {variant("avx2_16c", 16, Qs8DwconvWeights::kI16x2, eir_qs8_dwconv_minmax_ukernel_16c__avx2)});
    const Qs8DwconvVariant v16 =
        variant("avx512f_16c", 16, Qs8DwconvWeights::kI16x2, eir_qs8_dwconv_minmax_ukernel_16c__avx512f);
    avx512f = add("avx512f", {variant("avx512f_32c", 32, Qs8DwconvWeights::kI16Pairs32,
                                      eir_qs8_dwconv_minmax_ukernel_32c__avx512f),
                              v16});
    avx512vnni = add("avx512vnni", {variant("avx512vnni_32c", 32, Qs8DwconvWeights::kI16Pairs32,
                                            eir_qs8_dwconv_minmax_ukernel_32c__avx512vnni),
                                    v16});
    configs[avx512vnni].dw3x3_s1 = eir_qs8_dwconv3x3s1_minmax_ukernel_16c__avx512vnni;
    configs[avx512vnni].dw3x3_s2 = eir_qs8_dwconv3x3s2_minmax_ukernel_16c__avx512vnni;
#endif
#if defined(__aarch64__)
    neon = add("neon", {variant("neon_16c", 16, Qs8DwconvWeights::kI16, eir_qs8_dwconv_minmax_ukernel_16c__neon)});
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

const Qs8DwconvVariant& Qs8DwconvConfig::variant_for(size_t channels) const {
  size_t best = 0, best_padded = 0;
  for (size_t i = 0; i < num_variants; ++i) {
    const size_t t = variants[i].channel_tile;
    const size_t padded = (channels + t - 1) / t * t;
    if (i == 0 || padded < best_padded) {
      best = i;
      best_padded = padded;
    }
  }
  return variants[best];
}

std::vector<const Qs8DwconvConfig*> qs8_dwconv_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const Qs8DwconvConfig*> out;
  out.push_back(&t.configs[t.scalar]);
  if (t.avx2 >= 0 && features.avx2_fma) out.push_back(&t.configs[t.avx2]);
  if (t.avx512f >= 0 && features.avx512f) out.push_back(&t.configs[t.avx512f]);
  if (t.avx512vnni >= 0 && features.avx512f && features.avx512vnni) out.push_back(&t.configs[t.avx512vnni]);
  if (t.neon >= 0 && features.neon) out.push_back(&t.configs[t.neon]);
  return out;
}

const Qs8DwconvConfig& qs8_dwconv_config(const CpuFeatures& features) {
  return *qs8_dwconv_configs_available(features).back();
}

size_t qs8_dwconv_config_index(const Qs8DwconvConfig& config) { return static_cast<size_t>(&config - table().configs); }

const Qs8DwconvConfig& qs8_dwconv_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
