#include "kernels/configs/qs8_vadd_config.h"

namespace eir {

namespace {

struct ConfigTable {
  Qs8VaddConfig configs[kMaxQs8VaddConfigs];
  size_t count = 0;
  int scalar = -1, avx512f = -1;

  int add(const char* isa, eir_qs8_vadd_ukernel_fn vadd, eir_qs8_vadd_ukernel_fn vsub) {
    configs[count].isa = isa;
    configs[count].vadd = vadd;
    configs[count].vsub = vsub;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    scalar = add("scalar", eir_qs8_vadd_minmax_ukernel__scalar, eir_qs8_vsub_minmax_ukernel__scalar);
#if defined(__x86_64__) || defined(_M_X64)
    avx512f = add("avx512f", eir_qs8_vadd_minmax_ukernel__avx512f, eir_qs8_vsub_minmax_ukernel__avx512f);
#endif
  }
};

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

std::vector<const Qs8VaddConfig*> qs8_vadd_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const Qs8VaddConfig*> out;
  out.push_back(&t.configs[t.scalar]);
  if (t.avx512f >= 0 && features.avx512f) out.push_back(&t.configs[t.avx512f]);
  return out;
}

const Qs8VaddConfig& qs8_vadd_config(const CpuFeatures& features) { return *qs8_vadd_configs_available(features).back(); }

size_t qs8_vadd_config_index(const Qs8VaddConfig& config) { return static_cast<size_t>(&config - table().configs); }

const Qs8VaddConfig& qs8_vadd_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
