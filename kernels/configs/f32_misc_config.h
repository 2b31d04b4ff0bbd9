// The f32 depthwise-convolution, pooling, elementwise, activation and padding microkernels to use
// on a CPU, chosen once from its features. The drivers in kernels/fast/ (depthwise_conv2d_f32.cc,
// pooling_f32.cc, elementwise_f32.cc, activations_f32.cc, pad_f32.cc) call them only through this
// table.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/configs/cpu_features.h"
#include "kernels/ukernels/f16-f32-vcvt/f16-f32-vcvt.h"
#include "kernels/ukernels/f32-qvcvt/f32-qvcvt.h"
#include "kernels/ukernels/f32-dwconv/f32-dwconv.h"
#include "kernels/ukernels/f32-pad/f32-pad.h"
#include "kernels/ukernels/f32-pool/f32-pool.h"
#include "kernels/ukernels/f32-vbinary/f32-vbinary.h"
#include "kernels/ukernels/f32-vchain/f32-vchain.h"
#include "kernels/ukernels/f32-vunary/f32-vunary.h"

namespace eir {

// Depthwise kernels sharing one channel tile (and so one packed weight layout).
struct F32DwconvVariant {
  const char* name = "";    // "avx512f_16c"
  size_t channel_tile = 0;  // CT: packed weights hold (ks + 1) * CT floats per tile
  // KxK filters at width stride S over the shared-column indirection (no width dilation).
  eir_f32_dwconv_ukernel_fn k3s1 = nullptr, k3s2 = nullptr, k5s1 = nullptr, k5s2 = nullptr;
  eir_f32_dwconv_ukernel_fn any = nullptr;  // any filter, any tap pointers

  // The kernel for a kh x kw filter with width stride / dilation (the indirection shares
  // columns exactly when dilation_w == 1).
  eir_f32_dwconv_ukernel_fn select(int kh, int kw, int stride_w, int dilation_w) const {
    if (kh == kw && dilation_w == 1 && (kh == 3 || kh == 5) && (stride_w == 1 || stride_w == 2))
      return kh == 3 ? (stride_w == 1 ? k3s1 : k3s2) : (stride_w == 1 ? k5s1 : k5s2);
    return any;
  }
};

struct F32MiscConfig {
  const char* isa = "";  // "scalar", "avx2", "avx512f", "neon"

  // Widest channel tile first. A second, narrower tile wastes fewer lanes on channel counts
  // that are not a multiple of the wide one (24, 40, 88: common in mobile models).
  F32DwconvVariant dwconv[2];
  size_t num_dwconv = 0;
  // The variant padding `channels` the least (ties: the wider tile).
  const F32DwconvVariant& dwconv_for(size_t channels) const;

  eir_f32_maxpool_ukernel_fn maxpool = nullptr;
  eir_f32_avgpool_ukernel_fn avgpool = nullptr;
  eir_f32_gavgpool_ukernel_fn gavgpool = nullptr;

  // y = a op b, y = a op scalar, y = scalar - a.
  eir_f32_vbinary_ukernel_fn vadd = nullptr, vsub = nullptr, vmul = nullptr;
  eir_f32_vbinary_ukernel_fn vaddc = nullptr, vsubc = nullptr, vrsubc = nullptr, vmulc = nullptr;

  eir_f32_vunary_ukernel_fn vclamp = nullptr, vhswish = nullptr, vsigmoid = nullptr;
  eir_f32_prelu_ukernel_fn prelu = nullptr;
  // A chain of the above steps per element, in registers (FUSED_ELEMENTWISE).
  eir_f32_vchain_ukernel_fn vchain = nullptr;

  eir_f32_pad_ukernel_fn pad = nullptr;

  eir_f16_f32_vcvt_ukernel_fn f16_to_f32 = nullptr;  // DEQUANTIZE of float16 (weights folded at load)
  // QUANTIZE float32 -> int8 / uint8 / int16, per-tensor (TFLite's double division and rounding).
  eir_f32_qs8_vcvt_ukernel_fn f32_to_qs8 = nullptr;
  eir_f32_qu8_vcvt_ukernel_fn f32_to_qu8 = nullptr;
  eir_f32_qs16_vcvt_ukernel_fn f32_to_qs16 = nullptr;
};

// The best config for `features` (static storage). features.optimized must be true; the scalar
// config is returned when no SIMD feature is set.
const F32MiscConfig& f32_misc_config(const CpuFeatures& features);

// Every config that can run with `features`, from scalar to the best (for tests and benchmarks).
std::vector<const F32MiscConfig*> f32_misc_configs_available(const CpuFeatures& features);

// Every depthwise variant the configs available with `features` use (each once), for tests and
// benchmarks.
std::vector<const F32DwconvVariant*> f32_dwconv_variants_available(const CpuFeatures& features);

// Index of `config` in the build's table of configs (stable within a build; < kMaxF32MiscConfigs).
constexpr size_t kMaxF32MiscConfigs = 4;
size_t f32_misc_config_index(const F32MiscConfig& config);
const F32MiscConfig& f32_misc_config_at(size_t index);

}  // namespace eir
