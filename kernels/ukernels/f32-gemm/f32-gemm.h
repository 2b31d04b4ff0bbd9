// f32 GEMM / IGEMM microkernels with a fused min/max clamp.
//
// Both compute C[mr x nc] = clamp(A[mr x K] * W + bias, min, max) for mr <= MR rows, walking the
// nc columns in blocks of NR. W is packed once per weight tensor (see f32_gemm_pack in
// kernels/fast/f32_gemm_driver.h): for each block of NR output columns, NR biases followed by
// K rows of NR weights (k-major), zero-padded past the last column, so a kernel reads
// (K + 1) * NR floats per block and never looks at nc when loading.
//
// GEMM:  row r of A starts at a + r * a_stride (floats); K = kc.
// IGEMM: A is given by an indirection buffer: for each of the ks taps (a convolution's kernel
//        positions), MR row pointers to kc contiguous floats; so K = ks * kc and the packed W
//        is the same as a GEMM's with K = ks * kc (OHWI filters flatten to exactly that order).
//        Rows past mr must still hold valid pointers (drivers repeat the last row).
//
// C rows are c + r * c_stride (floats), columns contiguous. Rows past mr are never written.
// Strides and counts are in elements. Kernels require mr >= 1, nc >= 1; kc may be 0 (GEMM) and
// ks * kc may be 0 (IGEMM): then C = clamp(bias).
#pragma once

#include <cstddef>

extern "C" {

struct eir_f32_gemm_params {
  float min;
  float max;
};

typedef void (*eir_f32_gemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                                        const float* w, float* c, size_t c_stride,
                                        const eir_f32_gemm_params* params);
typedef void (*eir_f32_igemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, size_t ks, const float* const* a,
                                         const float* w, float* c, size_t c_stride,
                                         const eir_f32_gemm_params* params);

#define EIR_DECLARE_F32_GEMM_UKERNEL(name)                                                                 \
  void name(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w, float* c, \
            size_t c_stride, const eir_f32_gemm_params* params)
#define EIR_DECLARE_F32_IGEMM_UKERNEL(name)                                                          \
  void name(size_t mr, size_t nc, size_t kc, size_t ks, const float* const* a, const float* w, float* c, \
            size_t c_stride, const eir_f32_gemm_params* params)

// Portable C++ (always built).
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x4__scalar);
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_4x4__scalar);
EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_4x4__scalar);

#if defined(__x86_64__) || defined(_M_X64)
// AVX2 + FMA3: NR = 16 (two ymm per row).
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x16__avx2);
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_6x16__avx2);
EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_6x16__avx2);
// AVX2 + FMA3: NR = 8 (one ymm per row), for layers with <= 8 output channels (or 24, 40, ...).
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x8__avx2);
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_8x8__avx2);
EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_8x8__avx2);
// AVX-512F: NR = 32 (two zmm per row).
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x32__avx512f);
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_8x32__avx512f);
EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_8x32__avx512f);
#endif

#if defined(__aarch64__)
// NEON (AArch64 FMLA by lane): NR = 8 (two q registers per row).
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x8__neon);
EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_6x8__neon);
EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_6x8__neon);
#endif

}  // extern "C"
