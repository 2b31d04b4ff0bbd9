// f32 depthwise convolution microkernels (channels last, depth multiplier 1) with bias and a
// fused min/max clamp.
//
// A call computes `output_width` consecutive output pixels of all `channels`:
//   output[p * channels + c] = clamp(bias[c] + sum_k input_row(p, k)[c] * w_k[c], min, max)
// where input_row(p, k) = input[p * input_stride + k] is the k-th of the ks taps of pixel p: a
// pointer to `channels` contiguous floats of the input, or to a zero buffer for taps in the
// padding. Taps are numbered in the order the weights were packed (the drivers use kx-major,
// ky-minor, which lets neighbouring pixels share pointers: see kernels/fast/depthwise_conv2d_f32.cc).
//
// Weights are packed once per filter, per tile of CT channels (CT = the kernel's channel tile):
// CT biases, then ks rows of CT weights (tap-major), zero past the last channel; so a tile is
// (ks + 1) * CT floats and the kernel reads whole tiles without looking at `channels`. Inputs and
// outputs are read/written only within [0, channels) of each pixel (masked tails).
//
// Kernels per channel tile "<ct>c":
//  - "any": any ks >= 1 and any tap pointers (input_stride >= 0 pointers between pixels);
//  - "3x3s1", "3x3s2", "5x5s1", "5x5s2": a KxK filter (ks == K * K) at width stride S over the
//    shared-column indirection of kernels/fast/window_indirection.h: input_stride == S * K and
//    tap (kx, ky) of pixel p is input[(p * S + kx) * K + ky], so neighbouring pixels' windows
//    share columns; these kernels load each shared column once.
// channels >= 1 and output_width >= 1.
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/f32-minmax-params.h"

extern "C" {

typedef void (*eir_f32_dwconv_ukernel_fn)(size_t channels, size_t output_width, size_t ks, const float* const* input,
                                          size_t input_stride, const float* weights, float* output,
                                          const eir_f32_minmax_params* params);

#define EIR_DECLARE_F32_DWCONV_UKERNEL(name)                                                                 \
  void name(size_t channels, size_t output_width, size_t ks, const float* const* input, size_t input_stride, \
            const float* weights, float* output, const eir_f32_minmax_params* params)

#define EIR_DECLARE_F32_DWCONV_FAMILY(tile, isa)                                       \
  EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_3x3s1_##tile##__##isa); \
  EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_3x3s2_##tile##__##isa); \
  EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_5x5s1_##tile##__##isa); \
  EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_5x5s2_##tile##__##isa); \
  EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_any_##tile##__##isa)

// Portable C++ (always built): 4-channel tiles.
EIR_DECLARE_F32_DWCONV_FAMILY(4c, scalar);

#if defined(__x86_64__) || defined(_M_X64)
// AVX2 + FMA3: 8-channel tiles (one ymm).
EIR_DECLARE_F32_DWCONV_FAMILY(8c, avx2);
// AVX-512F: 16-channel tiles (one zmm).
EIR_DECLARE_F32_DWCONV_FAMILY(16c, avx512f);
#endif

#if defined(__aarch64__)
// NEON: 4-channel tiles (one q register) and 8-channel tiles (two).
EIR_DECLARE_F32_DWCONV_FAMILY(4c, neon);
EIR_DECLARE_F32_DWCONV_FAMILY(8c, neon);
#endif

}  // extern "C"
