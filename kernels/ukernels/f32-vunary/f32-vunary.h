// f32 unary elementwise microkernels (activations).
//
//   vclamp:   y[i] = x[i] < min ? min : (x[i] > max ? max : x[i])   (RELU, RELU6, RELU_N1_TO_1;
//             NaN survives, as in TFLite's float loops)
//   vhswish:  y[i] = x[i] * clamp(x[i] + 3, 0, 6) / 6                (params unused; may be null)
//   vsigmoid: y[i] = 1 / (1 + exp(-x[i]))                             (params unused; may be null)
//             with TFLite's saturation: 1 above 16.619..., exp(x) below -9. exp is a degree-6
//             polynomial after range reduction: within ~2 float ulps of std::exp.
//   prelu:    y[r][c] = x[r][c] >= 0 ? x[r][c] : x[r][c] * alpha[c]   (rows x channels, contiguous)
// n, rows, channels >= 1; y may alias x.
//
// One file per ISA holds the whole family; "x<n>" is the elements one main-loop step handles.
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/f32-minmax-params.h"

extern "C" {

typedef void (*eir_f32_vunary_ukernel_fn)(size_t n, const float* x, float* y, const eir_f32_minmax_params* params);
typedef void (*eir_f32_prelu_ukernel_fn)(size_t rows, size_t channels, const float* x, const float* alpha, float* y);

#define EIR_DECLARE_F32_VUNARY_UKERNEL(name) \
  void name(size_t n, const float* x, float* y, const eir_f32_minmax_params* params)
#define EIR_DECLARE_F32_PRELU_UKERNEL(name) \
  void name(size_t rows, size_t channels, const float* x, const float* alpha, float* y)

#define EIR_DECLARE_F32_VUNARY_FAMILY(tile, isa)                            \
  EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vclamp_ukernel_##tile##__##isa);   \
  EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vhswish_ukernel_##tile##__##isa);  \
  EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vsigmoid_ukernel_##tile##__##isa); \
  EIR_DECLARE_F32_PRELU_UKERNEL(eir_f32_prelu_ukernel_##tile##__##isa)

EIR_DECLARE_F32_VUNARY_FAMILY(x4, scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_VUNARY_FAMILY(x32, avx2);
EIR_DECLARE_F32_VUNARY_FAMILY(x64, avx512f);
#endif

#if defined(__aarch64__)
EIR_DECLARE_F32_VUNARY_FAMILY(x16, neon);
#endif

}  // extern "C"
