// f32 binary elementwise microkernels with a fused min/max clamp (ADD, SUB, MUL).
//
//   v<op>:   y[i] = clamp(a[i] op b[i])      (n elements each)
//   v<op>c:  y[i] = clamp(a[i] op b[0])      (b is one scalar)
//   vrsubc:  y[i] = clamp(b[0] - a[i])
// The clamp lets NaN through (TFLite's float ADD/SUB/MUL clamp with std::min/std::max, which keep
// a NaN first operand). n >= 1; y may alias a (or b for the vector forms).
//
// One file per ISA holds the whole family; the "x<n>" tile is the elements one main-loop step
// handles (4 vectors).
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/f32-minmax-params.h"

extern "C" {

typedef void (*eir_f32_vbinary_ukernel_fn)(size_t n, const float* a, const float* b, float* y,
                                           const eir_f32_minmax_params* params);

#define EIR_DECLARE_F32_VBINARY_UKERNEL(name) \
  void name(size_t n, const float* a, const float* b, float* y, const eir_f32_minmax_params* params)

#define EIR_DECLARE_F32_VBINARY_FAMILY(tile, isa)                                 \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vadd_minmax_ukernel_##tile##__##isa);   \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vsub_minmax_ukernel_##tile##__##isa);   \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vmul_minmax_ukernel_##tile##__##isa);   \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vaddc_minmax_ukernel_##tile##__##isa);  \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vsubc_minmax_ukernel_##tile##__##isa);  \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vrsubc_minmax_ukernel_##tile##__##isa); \
  EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vmulc_minmax_ukernel_##tile##__##isa)

EIR_DECLARE_F32_VBINARY_FAMILY(x4, scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_VBINARY_FAMILY(x32, avx2);
EIR_DECLARE_F32_VBINARY_FAMILY(x64, avx512f);
#endif

#if defined(__aarch64__)
EIR_DECLARE_F32_VBINARY_FAMILY(x16, neon);
#endif

}  // extern "C"
