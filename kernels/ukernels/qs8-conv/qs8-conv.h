// 8-bit quantized direct convolution microkernels with TFLite-exact requantization, for shapes
// the GEMM formulation serves poorly.
//
// conv3x3s2c3: 3x3 filters, stride 2, no dilation, 3 input channels (the RGB stem of most
// mobile networks). A call computes one output row of `output_width` pixels and all
// `output_channels`, reading 3 input rows directly: rows[ky] is input row 2y - pad_top + ky
// (input_width * 3 bytes), or a row of the raw input zero point in the vertical padding. Output
// pixel x reads input columns 2x - pad_left + kx; columns outside [0, input_width) read the zero
// point. The kernel reads up to 128 bytes from a row pointer's window start but only within
// [0, 3 * input_width) of the row (masked loads), never past it.
//
// The window of a pixel is 3 rows of 9 contiguous bytes (3 columns x 3 channels). Vectors hold 16
// consecutive output pixels in their 32-bit lanes, each lane 4 window bytes of its pixel; one
// VPDPBUSD per output channel multiplies them with that channel's 4 weights (broadcast), so 7
// groups (per window row: bytes 0-3 and 4-7; then byte 8 of the three rows together, with a zero
// weight for the fourth byte) make the 27 taps. Inputs as in qs8-dwconv.h's 3x3 kernels: int8 bytes are XORed with 0x80
// (x + 128), uint8 bytes stay raw and the weights are w - 128 with the correction (128 - zw) * sum(x) added (one
// VPDPBUSD per group for all channels). bias' folds the rest: b - zx * sum(w - zw) (uint8), b - (zx + 128) * sum(w)
// (int8); padding bytes (zx) contribute exactly 0. Requantization: the "requant64" simple form (qs8-gemm.h) with
// per-channel constants broadcast (every right shift >= 1, no left shift; the packer checks), ties of the final shift
// away from zero or up (params->round_half_away: TFLite's uint8 / int8 convolutions); then the zero point and the
// clamp.
//
// Packed weights (kernels/fast/qs8_conv3x3s2c3_pack.h): a 64-byte header of 7 int32 correction
// groups (uint8: bytes (c, c, c, c), and (c, c, c, 0) for the byte-8 group; int8: zero), then per
// 8 output channels (zero past the last) eir::qs8_conv3x3s2c3 blocks.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct eir_qs8_conv3x3s2c3_params {
  int32_t output_zero_point;
  int32_t output_min;  // clamp bounds, within the output type's range
  int32_t output_max;
  uint8_t input_u8;         // 1: uint8 tensors; 0: int8 tensors
  uint8_t zero_byte;        // the raw input zero point
  uint8_t round_half_away;  // 1: ties away from zero (TFLite uint8); 0: ties up (int8, ruy)
};

typedef void (*eir_qs8_conv3x3s2c3_ukernel_fn)(size_t output_width, size_t output_channels, size_t input_width,
                                               size_t pad_left, const uint8_t* const* rows, const void* weights,
                                               uint8_t* output, const eir_qs8_conv3x3s2c3_params* params);

#define EIR_DECLARE_QS8_CONV3X3S2C3_UKERNEL(name)                                             \
  void name(size_t output_width, size_t output_channels, size_t input_width, size_t pad_left, \
            const uint8_t* const* rows, const void* weights, uint8_t* output,                 \
            const eir_qs8_conv3x3s2c3_params* params)

#if defined(__x86_64__) || defined(_M_X64)
// AVX-512 VNNI: 16 pixels x 8 output channels per step.
EIR_DECLARE_QS8_CONV3X3S2C3_UKERNEL(eir_qs8_conv3x3s2c3_minmax_ukernel_16x8__avx512vnni);
#endif

}  // extern "C"

namespace eir::qs8_conv3x3s2c3 {

constexpr size_t kHeaderBytes = 64;  // int32 correction[7] (+ padding)
constexpr size_t kGroups = 7;        // 2 ky + t: window row ky, bytes 4t..4t+3; 6: byte 8 of rows 0-2
constexpr size_t kChannels = 8;      // output channels per block
// Byte offsets inside one block of 8 output channels.
constexpr size_t kBias = 0;         // int32[8]
constexpr size_t kWeights = 32;     // int32[7][8]: group, channel: 4 signed bytes
constexpr size_t kMult = 256;       // int64[8]: multipliers
constexpr size_t kRound = 320;      // int64[8]: 2^30 + 2^(30 + r)
constexpr size_t kShiftEven = 384;  // int64[8]: 31 + r
constexpr size_t kShiftOdd = 448;   // int64[8]: r - 1
constexpr size_t kTie = 512;        // int64[8]: 2^31
constexpr size_t kBlockBytes = 576;

}  // namespace eir::qs8_conv3x3s2c3
