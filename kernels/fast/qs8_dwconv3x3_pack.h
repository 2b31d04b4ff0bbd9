// Weight packing for the 3x3 depthwise row kernels (kernels/ukernels/qs8-dwconv/qs8-dwconv.h,
// "column quads"): 16-lane blocks of bias, weight quads, uint8 correction quads and the
// requantization constants in the kernels' 64-bit form. Shared by the DEPTHWISE_CONV_2D driver
// and the microkernel tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eir::fast {

struct Qs8Dw3x3Filter {
  size_t channels = 0;
  bool u8 = false;               // uint8 tensors (else int8)
  bool pixel_pairs = false;      // the "pixel pairs" layout: stride 1 with exactly 8 channels
  const uint8_t* weights = nullptr;  // [3][3][channels] (the [1, 3, 3, C] filter)
  const int32_t* bias = nullptr;     // channels values or null
  int32_t input_zero_point = 0;      // raw
  int32_t weights_zero_point = 0;    // raw; uint8 only (TFLite ignores int8 filters' zero points)
  const int32_t* multipliers = nullptr;  // per channel, TFLite QuantizeMultiplier significands
  const int* shifts = nullptr;           // per channel exponents in [-31, 30]
};

// Whether the kernels can take this filter: uint8 filters need a zero point other than 0 (the
// correction 128 - zw must fit int8); pixel pairs need 8 channels.
bool qs8_dw3x3_packable(const Qs8Dw3x3Filter& f);

size_t qs8_dw3x3_packed_bytes(const Qs8Dw3x3Filter& f);

// Fills dst (qs8_dw3x3_packed_bytes bytes). Returns the kernels' simple_shift flag (the
// requant64 simple form, requant64_simple).
bool pack_qs8_dw3x3(const Qs8Dw3x3Filter& f, uint8_t* dst);

}  // namespace eir::fast
