#include "kernels/configs/f32_misc_config.h"

namespace eir {

namespace {

F32DwconvVariant make_dwconv(const char* name, size_t channel_tile, eir_f32_dwconv_ukernel_fn k9,
                             eir_f32_dwconv_ukernel_fn k25, eir_f32_dwconv_ukernel_fn any) {
  F32DwconvVariant v;
  v.name = name;
  v.channel_tile = channel_tile;
  v.k9 = k9;
  v.k25 = k25;
  v.any = any;
  return v;
}

#define EIR_SET_VBINARY(c, tile, isa)                     \
  c.vadd = eir_f32_vadd_minmax_ukernel_##tile##__##isa;   \
  c.vsub = eir_f32_vsub_minmax_ukernel_##tile##__##isa;   \
  c.vmul = eir_f32_vmul_minmax_ukernel_##tile##__##isa;   \
  c.vaddc = eir_f32_vaddc_minmax_ukernel_##tile##__##isa; \
  c.vsubc = eir_f32_vsubc_minmax_ukernel_##tile##__##isa; \
  c.vrsubc = eir_f32_vrsubc_minmax_ukernel_##tile##__##isa; \
  c.vmulc = eir_f32_vmulc_minmax_ukernel_##tile##__##isa

#define EIR_SET_VUNARY(c, tile, isa)                    \
  c.vclamp = eir_f32_vclamp_ukernel_##tile##__##isa;    \
  c.vhswish = eir_f32_vhswish_ukernel_##tile##__##isa;  \
  c.vsigmoid = eir_f32_vsigmoid_ukernel_##tile##__##isa; \
  c.prelu = eir_f32_prelu_ukernel_##tile##__##isa

#define EIR_SET_POOL(c, tile, isa)                               \
  c.maxpool = eir_f32_maxpool_minmax_ukernel_##tile##__##isa;   \
  c.avgpool = eir_f32_avgpool_minmax_ukernel_##tile##__##isa;   \
  c.gavgpool = eir_f32_gavgpool_minmax_ukernel_##tile##__##isa

// The build's configs, in increasing order of preference. Which exist depends on the target
// architecture only; which one runs depends on the CPU (f32_misc_config).
struct ConfigTable {
  F32MiscConfig configs[kMaxF32MiscConfigs];
  size_t count = 0;
  int scalar = -1, avx2 = -1, avx512f = -1, neon = -1;
  // Depthwise variants no config picked, still tested and benchmarked.
  F32DwconvVariant extra_dwconv[2];
  size_t num_extra_dwconv = 0;
  int extra_dwconv_isa[2] = {-1, -1};  // the config whose ISA each needs

  int add(const F32MiscConfig& c) {
    configs[count] = c;
    return static_cast<int>(count++);
  }

  ConfigTable() {
    {
      F32MiscConfig c;
      c.isa = "scalar";
      c.dwconv = make_dwconv("scalar_4c", 4, eir_f32_dwconv_minmax_ukernel_9p4c__scalar,
                             eir_f32_dwconv_minmax_ukernel_25p4c__scalar, eir_f32_dwconv_minmax_ukernel_anyp4c__scalar);
      EIR_SET_POOL(c, 4c, scalar);
      EIR_SET_VBINARY(c, x4, scalar);
      EIR_SET_VUNARY(c, x4, scalar);
      scalar = add(c);
    }
#if defined(__x86_64__) || defined(_M_X64)
    {
      F32MiscConfig c;
      c.isa = "avx2";
      // 8-channel tiles: the channel counts of mobile models (multiples of 8, often not of 16)
      // waste nothing, and 8 pixels x 1 ymm keeps 8 FMA chains in flight.
      c.dwconv = make_dwconv("avx2_8c", 8, eir_f32_dwconv_minmax_ukernel_9p8c__avx2,
                             eir_f32_dwconv_minmax_ukernel_25p8c__avx2, eir_f32_dwconv_minmax_ukernel_anyp8c__avx2);
      EIR_SET_POOL(c, 32c, avx2);
      EIR_SET_VBINARY(c, x32, avx2);
      EIR_SET_VUNARY(c, x32, avx2);
      avx2 = add(c);
      extra_dwconv[num_extra_dwconv] =
          make_dwconv("avx2_16c", 16, eir_f32_dwconv_minmax_ukernel_9p16c__avx2,
                      eir_f32_dwconv_minmax_ukernel_25p16c__avx2, eir_f32_dwconv_minmax_ukernel_anyp16c__avx2);
      extra_dwconv_isa[num_extra_dwconv++] = avx2;
    }
    {
      F32MiscConfig c;
      c.isa = "avx512f";
      c.dwconv = make_dwconv("avx512f_16c", 16, eir_f32_dwconv_minmax_ukernel_9p16c__avx512f,
                             eir_f32_dwconv_minmax_ukernel_25p16c__avx512f,
                             eir_f32_dwconv_minmax_ukernel_anyp16c__avx512f);
      EIR_SET_POOL(c, 64c, avx512f);
      EIR_SET_VBINARY(c, x64, avx512f);
      EIR_SET_VUNARY(c, x64, avx512f);
      avx512f = add(c);
    }
#endif
#if defined(__aarch64__)
    {
      F32MiscConfig c;
      c.isa = "neon";
      c.dwconv = make_dwconv("neon_8c", 8, eir_f32_dwconv_minmax_ukernel_9p8c__neon,
                             eir_f32_dwconv_minmax_ukernel_25p8c__neon, eir_f32_dwconv_minmax_ukernel_anyp8c__neon);
      EIR_SET_POOL(c, 16c, neon);
      EIR_SET_VBINARY(c, x16, neon);
      EIR_SET_VUNARY(c, x16, neon);
      neon = add(c);
      extra_dwconv[num_extra_dwconv] =
          make_dwconv("neon_4c", 4, eir_f32_dwconv_minmax_ukernel_9p4c__neon, eir_f32_dwconv_minmax_ukernel_25p4c__neon,
                      eir_f32_dwconv_minmax_ukernel_anyp4c__neon);
      extra_dwconv_isa[num_extra_dwconv++] = neon;
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

std::vector<const F32DwconvVariant*> f32_dwconv_variants_available(const CpuFeatures& features) {
  const ConfigTable& t = table();
  std::vector<const F32DwconvVariant*> out;
  for (const F32MiscConfig* c : f32_misc_configs_available(features)) out.push_back(&c->dwconv);
  for (size_t i = 0; i < t.num_extra_dwconv; ++i)
    if (t.usable(t.extra_dwconv_isa[i], features)) out.push_back(&t.extra_dwconv[i]);
  return out;
}

const F32MiscConfig& f32_misc_config(const CpuFeatures& features) { return *f32_misc_configs_available(features).back(); }

size_t f32_misc_config_index(const F32MiscConfig& config) { return static_cast<size_t>(&config - table().configs); }

const F32MiscConfig& f32_misc_config_at(size_t index) { return table().configs[index]; }

}  // namespace eir
