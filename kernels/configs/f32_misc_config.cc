#include "kernels/configs/f32_misc_config.h"

#include <string>

namespace eir {

namespace {

#define EIR_DWCONV_VARIANT(v, vname, ct, tile, isa)             \
  v.name = vname;                                               \
  v.channel_tile = ct;                                          \
  v.k3s1 = eir_f32_dwconv_minmax_ukernel_3x3s1_##tile##__##isa; \
  v.k3s2 = eir_f32_dwconv_minmax_ukernel_3x3s2_##tile##__##isa; \
  v.k5s1 = eir_f32_dwconv_minmax_ukernel_5x5s1_##tile##__##isa; \
  v.k5s2 = eir_f32_dwconv_minmax_ukernel_5x5s2_##tile##__##isa; \
  v.any = eir_f32_dwconv_minmax_ukernel_any_##tile##__##isa

#define EIR_SET_VBINARY(c, tile, isa)                       \
  c.vadd = eir_f32_vadd_minmax_ukernel_##tile##__##isa;     \
  c.vsub = eir_f32_vsub_minmax_ukernel_##tile##__##isa;     \
  c.vmul = eir_f32_vmul_minmax_ukernel_##tile##__##isa;     \
  c.vaddc = eir_f32_vaddc_minmax_ukernel_##tile##__##isa;   \
  c.vsubc = eir_f32_vsubc_minmax_ukernel_##tile##__##isa;   \
  c.vrsubc = eir_f32_vrsubc_minmax_ukernel_##tile##__##isa; \
  c.vmulc = eir_f32_vmulc_minmax_ukernel_##tile##__##isa

#define EIR_SET_VUNARY(c, tile, isa)                     \
  c.vclamp = eir_f32_vclamp_ukernel_##tile##__##isa;     \
  c.vhswish = eir_f32_vhswish_ukernel_##tile##__##isa;   \
  c.vsigmoid = eir_f32_vsigmoid_ukernel_##tile##__##isa; \
  c.prelu = eir_f32_prelu_ukernel_##tile##__##isa

#define EIR_SET_POOL(c, tile, isa)                            \
  c.maxpool = eir_f32_maxpool_minmax_ukernel_##tile##__##isa; \
  c.avgpool = eir_f32_avgpool_minmax_ukernel_##tile##__##isa; \
  c.gavgpool = eir_f32_gavgpool_minmax_ukernel_##tile##__##isa

// The build's configs, in increasing order of preference. Which exist depends on the target
// architecture only; which one runs depends on the CPU (f32_misc_config).
struct ConfigTable {
  F32MiscConfig configs[kMaxF32MiscConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512f = -1, neon = -1;

  int add(const F32MiscConfig& c) {
    configs[count] = c;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    {
      F32MiscConfig c;
      c.isa = "scalar";
      EIR_DWCONV_VARIANT(c.dwconv[0], "scalar_4c", 4, 4c, scalar);
      c.num_dwconv = 1;
      EIR_SET_POOL(c, 4c, scalar);
      EIR_SET_VBINARY(c, x4, scalar);
      EIR_SET_VUNARY(c, x4, scalar);
      c.vchain = eir_f32_vchain_ukernel_x4__scalar;
      c.pad = eir_f32_pad_ukernel_x4__scalar;
      c.f16_to_f32 = eir_f16_f32_vcvt_ukernel__scalar;
      c.f32_to_qs8 = eir_f32_qs8_vcvt_ukernel__scalar;
      c.f32_to_qu8 = eir_f32_qu8_vcvt_ukernel__scalar;
      c.f32_to_qs16 = eir_f32_qs16_vcvt_ukernel__scalar;
      scalar = add(c);
    }
#if defined(__x86_64__) || defined(_M_X64)
    F32DwconvVariant avx2_8c;
    EIR_DWCONV_VARIANT(avx2_8c, "avx2_8c", 8, 8c, avx2);
    {
      F32MiscConfig c;
      c.isa = "avx2";
      // 8-channel tiles (8 pixels x 1 ymm: 8 FMA chains; a 16-channel tile of two ymm would not
      // leave registers for the 5x5 kernels' weights).
      c.dwconv[0] = avx2_8c;
      c.num_dwconv = 1;
      EIR_SET_POOL(c, 32c, avx2);
      EIR_SET_VBINARY(c, x32, avx2);
      EIR_SET_VUNARY(c, x32, avx2);
      c.vchain = eir_f32_vchain_ukernel_x64__avx2;
      c.pad = eir_f32_pad_ukernel_x32__avx2;
      c.f16_to_f32 = eir_f16_f32_vcvt_ukernel__avx2;
      c.f32_to_qs8 = eir_f32_qs8_vcvt_ukernel__avx2;
      c.f32_to_qu8 = eir_f32_qu8_vcvt_ukernel__avx2;
      c.f32_to_qs16 = eir_f32_qs16_vcvt_ukernel__avx2;
      avx2 = add(c);
    }
    {
      F32MiscConfig c;
      c.isa = "avx512f";
      EIR_DWCONV_VARIANT(c.dwconv[0], "avx512f_16c", 16, 16c, avx512f);
      c.dwconv[1] = avx2_8c;
      c.num_dwconv = 2;
      EIR_SET_POOL(c, 64c, avx512f);
      EIR_SET_VBINARY(c, x64, avx512f);
      EIR_SET_VUNARY(c, x64, avx512f);
      c.vchain = eir_f32_vchain_ukernel_x128__avx512f;
      c.pad = eir_f32_pad_ukernel_x64__avx512f;
      c.f16_to_f32 = eir_f16_f32_vcvt_ukernel__avx512f;
      c.f32_to_qs8 = eir_f32_qs8_vcvt_ukernel__avx512f;
      c.f32_to_qu8 = eir_f32_qu8_vcvt_ukernel__avx512f;
      c.f32_to_qs16 = eir_f32_qs16_vcvt_ukernel__avx512f;
      avx512f = add(c);
    }
#endif
#if defined(__aarch64__)
    {
      F32MiscConfig c;
      c.isa = "neon";
      EIR_DWCONV_VARIANT(c.dwconv[0], "neon_8c", 8, 8c, neon);
      EIR_DWCONV_VARIANT(c.dwconv[1], "neon_4c", 4, 4c, neon);
      c.num_dwconv = 2;
      EIR_SET_POOL(c, 16c, neon);
      EIR_SET_VBINARY(c, x16, neon);
      EIR_SET_VUNARY(c, x16, neon);
      c.vchain = eir_f32_vchain_ukernel_x32__neon;
      c.pad = eir_f32_pad_ukernel_x16__neon;
      c.f16_to_f32 = eir_f16_f32_vcvt_ukernel__neon;
      c.f32_to_qs8 = eir_f32_qs8_vcvt_ukernel__scalar;
      c.f32_to_qu8 = eir_f32_qu8_vcvt_ukernel__scalar;
      c.f32_to_qs16 = eir_f32_qs16_vcvt_ukernel__scalar;
      neon = add(c);
    }
#endif
  }

  bool usable(int index, const CpuFeatures& f) const {
    if (index < 0) return false;
    if (index == scalar) return true;
    if (index == avx2) return f.avx2_fma;
    if (index == avx512f) return f.avx512f;
    if (index == neon) return f.neon;
    return false;
  }
};

#undef EIR_SET_VBINARY
#undef EIR_SET_VUNARY
#undef EIR_SET_POOL
#undef EIR_DWCONV_VARIANT

const ConfigTable& table() {
  static const ConfigTable t;
  return t;
}

}  // namespace

std::vector<const F32MiscConfig*> f32_misc_configs_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const F32MiscConfig*> out;
  for (size_t i = 0; i < t.count; ++i)
    if (t.usable(static_cast<int>(i), features)) out.push_back(&t.configs[i]);
  return out;
}

const F32DwconvVariant& F32MiscConfig::dwconv_for(size_t channels) const {
  size_t best = 0, best_padded = 0;
  for (size_t i = 0; i < num_dwconv; ++i) {
    const size_t ct = dwconv[i].channel_tile;
    const size_t padded = (channels + ct - 1) / ct * ct;
    if (i == 0 || padded < best_padded) {
      best = i;
      best_padded = padded;
    }
  }
  return dwconv[best];
}

std::vector<const F32DwconvVariant*> f32_dwconv_variants_available(const CpuFeatures& features) {
  std::vector<const F32DwconvVariant*> out;
  auto add_unique = [&](const F32DwconvVariant* v) {
    for (const F32DwconvVariant* seen : out)
      if (std::string(seen->name) == v->name) return;
    out.push_back(v);
  };
  for (const F32MiscConfig* c : f32_misc_configs_available(features))
    for (size_t i = 0; i < c->num_dwconv; ++i) add_unique(&c->dwconv[i]);
  return out;
}

const F32MiscConfig& f32_misc_config(const CpuFeatures& features) {
  return *f32_misc_configs_available(features).back();
}

size_t f32_misc_config_index(const F32MiscConfig& config) { return static_cast<size_t>(&config - table().configs); }

const F32MiscConfig& f32_misc_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
