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

// ---- 3x3 filters without dilation, stride 1 or 2: "column quad" row kernels ----
//
// A call computes one output row (stride 2) or two consecutive output rows (stride 1) of
// `output_width` pixels and all `channels`, reading the input rows directly (no tap pointers):
//   stride 1: rows[0..3] are input rows y-pad .. y-pad+3 for output rows y (output0) and y+1
//             (output1, may be null; rows[3] must still be readable, e.g. the zero-point row);
//   stride 2: rows[0..2] are input rows 2y-pad .. 2y-pad+2 for output row y (output0).
// Each row pointer addresses input_width * channels bytes; a row in the vertical padding points at
// such a row filled with the raw input zero point. Output pixel x reads input columns
// x * stride - pad_left + kx (kx = 0, 1, 2); columns outside [0, input_width) read the zero point.
//
// Each input column's bytes of 4 (3) consecutive rows are interleaved into one 32-bit lane per
// channel ("column quad": rows r0 r1 r2 r3), and VPDPBUSD multiplies a quad with 4 signed weights
// per channel: output row y uses the weights (w_0, w_1, w_2, 0) of the filter column, row y + 1
// the same quad with (0, w_0, w_1, w_2). VPDPBUSD reads the quads as unsigned bytes:
//   int8 tensors:  the input bytes are XORed with 0x80 (x + 128), the weights are w;
//   uint8 tensors: the raw bytes x; the weights are w - 128 and a second VPDPBUSD adds
//                  x * (128 - zw) (w - zw is outside the int8 range): the correction quads.
// The bias folds every constant: bias' = b - zx * sum(w - zw) (uint8), b - (zx + 128) * sum(w)
// (int8); taps in the padding read zx and contribute exactly 0, as in the reference.
// Requantization is TFLite's (qs8-gemm.h) with ties of the final shift away from zero (TFLite's
// depthwise kernels; params->round_half_away = 0 where the clamp makes ties up equivalent), from
// "requant64" constants; params->simple_shift as in eir_qs8_gemm_params; then the zero point and
// the clamp.
//
// Packed weights (kernels/fast/qs8_dwconv3x3_pack.h): blocks of 16 lanes laid out as in
// eir::qs8_dw3x3 below; lane l is channel 16 b + l, or, in the "pixel pairs" form (stride 1 with
// exactly 8 channels), channel l % 8 of pixel 2 p + l / 8 (two pixels per vector).
struct eir_qs8_dwconv3x3_params {
  int32_t output_zero_point;
  int32_t output_min;  // clamp bounds, within the output type's range
  int32_t output_max;
  uint8_t input_u8;      // 1: uint8 tensors; 0: int8 tensors
  uint8_t zero_byte;     // the raw input zero point
  uint8_t simple_shift;  // 1: the requant64 simple form (packer's flag)
  uint8_t pixel_pairs;   // 1: the "pixel pairs" layout (stride 1, 8 channels)
  uint8_t round_half_away;  // 1: ties away from zero (TFLite); 0: ties up, where that is the same
};

typedef void (*eir_qs8_dwconv3x3_ukernel_fn)(size_t channels, size_t output_width, size_t input_width,
                                             size_t pad_left, const uint8_t* const* rows, const void* weights,
                                             uint8_t* output0, uint8_t* output1,
                                             const eir_qs8_dwconv3x3_params* params);

#define EIR_DECLARE_QS8_DWCONV3X3_UKERNEL(name)                                                         \
  void name(size_t channels, size_t output_width, size_t input_width, size_t pad_left,                  \
            const uint8_t* const* rows, const void* weights, uint8_t* output0, uint8_t* output1, \
            const eir_qs8_dwconv3x3_params* params)

#if defined(__x86_64__) || defined(_M_X64)
// AVX-512 VNNI: 16-lane blocks; stride 1 (two output rows per call) and stride 2.
EIR_DECLARE_QS8_DWCONV3X3_UKERNEL(eir_qs8_dwconv3x3s1_minmax_ukernel_16c__avx512vnni);
EIR_DECLARE_QS8_DWCONV3X3_UKERNEL(eir_qs8_dwconv3x3s2_minmax_ukernel_16c__avx512vnni);
#endif

}  // extern "C"

namespace eir::qs8_dw3x3 {

// Byte offsets inside one packed 16-lane block of the 3x3 row kernels.
constexpr size_t kLanes = 16;
constexpr size_t kBias = 0;          // int32[16] bias'
constexpr size_t kWeightsA = 64;     // int8[3][16][4]: filter column kx, lane, (w_0, w_1, w_2, 0)
constexpr size_t kWeightsB = 256;    // int8[3][16][4]: (0, w_0, w_1, w_2) (stride 1's second row)
constexpr size_t kCorrectA = 448;    // int8[16][4]: uint8 only, (c, c, c, 0) with c = 128 - zw
constexpr size_t kCorrectB = 512;    // int8[16][4]: (0, c, c, c)
constexpr size_t kRequant = 576;     // eir::qs8_requant64 section (576 bytes)
constexpr size_t kBlockBytes = 1152;

}  // namespace eir::qs8_dw3x3
