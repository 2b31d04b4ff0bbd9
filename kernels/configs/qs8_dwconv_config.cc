#include "kernels/configs/qs8_dwconv_config.h"

namespace eir {

namespace {

struct ConfigTable {
  Qs8DwconvConfig configs[kMaxQs8DwconvConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512f = -1, neon = -1;

  int add(const char* isa, const char* name, size_t tile, Qs8DwconvWeights w, eir_qs8_dwconv_ukernel_fn fn) {
    Qs8DwconvConfig& c = configs[count];
    c.isa = isa;
    c.name = name;
    c.channel_tile = tile;
    c.weights = w;
    c.ukernel = fn;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    scalar = add("scalar", "scalar_4c", 4, Qs8DwconvWeights::kI32, eir_qs8_dwconv_minmax_ukernel_4c__scalar);
#if defined(__x86_64__) || defined(_M_X64)
    avx2 = add("avx2", "avx2_16c", 16, Qs8DwconvWeights::kI16x2, eir_qs8_dwconv_minmax_ukernel_16c__avx2);
    avx512f = add("avx512f", "avx512f_32c", 32, Qs8DwconvWeights::kI16x2, eir_qs8_dwconv_minmax_ukernel_32c__avx512f);
#endif
#if defined(__aarch64__)
    neon = add("neon", "neon_16c", 16, Qs8DwconvWeights::kI16, eir_qs8_dwconv_minmax_ukernel_16c__neon);
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

std::vector<const Qs8DwconvConfig*> qs8_dwconv_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const Qs8DwconvConfig*> out;
  out.push_back(&t.configs[t.scalar]);
  if (t.avx2 >= 0 && features.avx2_fma) out.push_back(&t.configs[t.avx2]);
  if (t.avx512f >= 0 && features.avx512f) out.push_back(&t.configs[t.avx512f]);
  if (t.neon >= 0 && features.neon) out.push_back(&t.configs[t.neon]);
  return out;
}

const Qs8DwconvConfig& qs8_dwconv_config(const CpuFeatures& features) {
  return *qs8_dwconv_configs_available(features).back();
}

size_t qs8_dwconv_config_index(const Qs8DwconvConfig& config) { return static_cast<size_t>(&config - table().configs); }

const Qs8DwconvConfig& qs8_dwconv_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
