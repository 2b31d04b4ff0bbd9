// f16 GEMM / IGEMM microkernels with a fused min/max clamp, for the opt-in fp16 arithmetic mode
// of float32 models (LoadOptions::allow_fp16): A and the packed weights are IEEE binary16 (held
// as their uint16_t bits, so the interface is the same on every target), products are
// accumulated in fp16, and C is written as float32 (the model's tensors stay float32).
//
// Same contract as f32-gemm.h, element for element:
//   - W is packed per block of NR output columns: NR fp16 biases, then K rows of NR fp16 weights
//     (k-major), zero-padded past the last column (see pack_f16_gemm_weights in
//     kernels/fast/f16_gemm_driver.h).
//   - GEMM: row r of A at a + r * a_stride (elements); K = kc.
//   - IGEMM: ks groups of MR row pointers to kc contiguous fp16 values; K = ks * kc. Rows past mr
//     must still hold valid pointers.
//   - C rows at c + r * c_stride (floats); rows past mr are never written; mr >= 1, nc >= 1.
//   - The clamp bounds are float32 and are rounded to fp16 (the fused activations' bounds 0, 6,
//     -1, 1 and +-infinity are exact).
// Accumulating in fp16 loses precision (11-bit significand) and overflows past 65504: results
// differ from float32 by fp16 rounding, which is why the mode is opt-in.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/f32-gemm/f32-gemm.h"

extern "C" {

typedef void (*eir_f16_gemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, const uint16_t* a, size_t a_stride,
                                        const uint16_t* w, float* c, size_t c_stride,
                                        const eir_f32_gemm_params* params);
typedef void (*eir_f16_igemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, size_t ks, const uint16_t* const* a,
                                         const uint16_t* w, float* c, size_t c_stride,
                                         const eir_f32_gemm_params* params);
// y[i] = fp16(x[i]), rounding to nearest even (overflow gives infinity).
typedef void (*eir_f32_f16_vcvt_ukernel_fn)(size_t n, const float* x, uint16_t* y);

#define EIR_DECLARE_F16_GEMM_UKERNEL(name)                                                                 \
  void name(size_t mr, size_t nc, size_t kc, const uint16_t* a, size_t a_stride, const uint16_t* w, float* c, \
            size_t c_stride, const eir_f32_gemm_params* params)
#define EIR_DECLARE_F16_IGEMM_UKERNEL(name)                                                                   \
  void name(size_t mr, size_t nc, size_t kc, size_t ks, const uint16_t* const* a, const uint16_t* w, float* c, \
            size_t c_stride, const eir_f32_gemm_params* params)
#define EIR_DECLARE_F32_F16_VCVT_UKERNEL(name) void name(size_t n, const float* x, uint16_t* y)

// Portable C++ (always built): float math on fp16 values, every multiply-add rounded to fp16 as
// the hardware does (the oracle of the tests; far too slow for real use).
EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_1x8__scalar);
EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_4x8__scalar);
EIR_DECLARE_F16_IGEMM_UKERNEL(eir_f16_igemm_minmax_ukernel_4x8__scalar);
EIR_DECLARE_F32_F16_VCVT_UKERNEL(eir_f32_f16_vcvt_ukernel__scalar);

#if defined(__aarch64__)
// ARMv8.2 FP16 vector arithmetic (FMLA .8h by element): NR = 16 (two q registers per row).
EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_1x16__neonfp16arith);
EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_6x16__neonfp16arith);
EIR_DECLARE_F16_IGEMM_UKERNEL(eir_f16_igemm_minmax_ukernel_6x16__neonfp16arith);
// FCVTN (base ARMv8 NEON).
EIR_DECLARE_F32_F16_VCVT_UKERNEL(eir_f32_f16_vcvt_ukernel__neon);
#endif

}  // extern "C"
