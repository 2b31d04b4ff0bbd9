// Weight packing for the 3x3 stride-2 3-input-channel convolution kernels
// (kernels/ukernels/qs8-conv/qs8-conv.h): the correction header, then per 8 output channels the
// bias, the 9 weight groups and the broadcast requantization constants. Shared by the CONV_2D
// driver and the microkernel tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eir::fast {

struct Qs8Conv3x3s2c3Filter {
  size_t output_channels = 0;
  bool u8 = false;                   // uint8 tensors (else int8)
  const uint8_t* weights = nullptr;  // OHWI [output_channels][3][3][3]
  const int32_t* bias = nullptr;     // output_channels values or null
  int32_t input_zero_point = 0;      // raw
  int32_t weights_zero_point = 0;    // raw; uint8 only (int8 filters are symmetric)
  const int32_t* multipliers = nullptr;  // per output channel
  const int* shifts = nullptr;           // per output channel exponents
};

// Whether the kernels take this filter: the simple requantization form for every channel
// (requant64_simple) and, for uint8, a filter zero point other than 0 (128 - zw fits int8).
bool qs8_conv3x3s2c3_packable(const Qs8Conv3x3s2c3Filter& f);

size_t qs8_conv3x3s2c3_packed_bytes(const Qs8Conv3x3s2c3Filter& f);

// Fills dst (qs8_conv3x3s2c3_packed_bytes bytes); f must be packable.
void pack_qs8_conv3x3s2c3(const Qs8Conv3x3s2c3Filter& f, uint8_t* dst);

}  // namespace eir::fast
