// 8-bit quantized depthwise convolution microkernels (channels last, depth multiplier 1) with
// TFLite-exact requantization.
//
// A call computes `output_width` consecutive output pixels of all `channels`:
//   acc[c] = bias'[c] + sum_k a(p, k)[c] * w'_k[c]                          (int32, exact)
//   output[p * channels + c] = clamp(requantize(acc[c]) + zero point, min, max)
// where a(p, k) is the k-th tap of pixel p, input[p * input_stride + k]: a pointer to `channels`
// bytes of the input (or to a row holding the input zero point, for taps in the padding), each
// byte read as its raw value: uint8 (zero-extended) when params->a_xor is 0x80, int8
// (sign-extended) when it is 0. The packer (kernels/fast/depthwise_conv2d_quantized.cc) stores
// w' = w - weight zero point (exact in int16: uint8 weights give [-255, 255]) and folds the raw
// input zero point into bias' (-zx * sum_k w'_k): the taps in the padding then contribute 0.
// Requantization, the output zero point and the clamp are those of qs8-gemm.h, the same params.
//
// Packed weights, one tile per CT channels (zero past the last channel):
//   int32 bias'[CT]; ks x CT weights w' (element format per ISA below);
//   int32 multiplier[CT], left_shift[CT], right_shift[CT], round_mask[CT].
// Weight formats: "i32" int32; "i16x2" the int16 w' zero-extended into an int32 slot (the
// AVX kernels multiply it with VPMADDWD against sign-extended bytes: the upper half contributes
// 0); "i16" int16 (NEON: SMLAL); "i16 pairs, 32-lane order" (the 32-channel AVX-512 kernels, see
// avx512-pairs-impl.h): ceil(ks / 2) rows of 32 lanes, each lane the int16 pair (w'_2p, w'_2p+1)
// (w'_ks = 0), and bias / requantization arrays in the same lane order, where lanes 0-7, 8-15,
// 16-23, 24-31 are channels 0-7, 16-23, 8-15, 24-31.
// Inputs are read and outputs written only within [0, channels) of each pixel.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

extern "C" {

typedef void (*eir_qs8_dwconv_ukernel_fn)(size_t channels, size_t output_width, size_t ks, const int8_t* const* input,
                                          size_t input_stride, const void* weights, int8_t* output,
                                          const eir_qs8_gemm_params* params);

#define EIR_DECLARE_QS8_DWCONV_UKERNEL(name)                                                                   \
  void name(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride, \
            const void* weights, int8_t* output, const eir_qs8_gemm_params* params)

// Portable C++ (always built): 4-channel tiles, i32 weights.
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_4c__scalar);

#if defined(__x86_64__) || defined(_M_X64)
// AVX2: 16-channel tiles (two ymm), i16x2 weights.
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_16c__avx2);
// AVX-512 (F + BW + VL): 32-channel tiles on tap pairs (i16 pairs, 32-lane order) and 16-channel
// tiles (one zmm, i16x2 weights).
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_32c__avx512f);
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_16c__avx512f);
// AVX-512 VNNI: the 32-channel tap-pair kernel with VPDPWSSD.
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_32c__avx512vnni);
#endif

#if defined(__aarch64__)
// NEON: 16-channel tiles (four q accumulators), i16 weights.
EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_16c__neon);
#endif

}  // extern "C"
