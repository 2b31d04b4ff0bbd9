// Portable qs8 depthwise kernel: 4-channel tiles, int32 weights; the requantization is the GEMM
// family's scalar one (bit-exact reference for every SIMD variant).
#include <algorithm>

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_4c__scalar) {
  constexpr size_t kCT = 4;
  const bool u8 = params->a_xor != 0;
  const bool half_away = params->round_half_away != 0;
  for (size_t p = 0; p < output_width; ++p) {
    const int8_t* const* taps = input + p * input_stride;
    const int32_t* w = static_cast<const int32_t*>(weights);
    for (size_t c0 = 0; c0 < channels; c0 += kCT) {
      const size_t n = std::min(kCT, channels - c0);
      uint32_t acc[kCT];
      for (size_t c = 0; c < kCT; ++c) acc[c] = static_cast<uint32_t>(w[c]);
      w += kCT;
      for (size_t k = 0; k < ks; ++k) {
        const int8_t* row = taps[k] + c0;
        for (size_t c = 0; c < n; ++c) {
          const int32_t a = u8 ? static_cast<int32_t>(static_cast<uint8_t>(row[c])) : static_cast<int32_t>(row[c]);
          acc[c] += static_cast<uint32_t>(a * w[c]);
        }
        w += kCT;
      }
      const int32_t* q = w;
      w += 4 * kCT;
      for (size_t c = 0; c < n; ++c)
        output[c0 + c] = eir::ukernel_qs8::finish_scalar(
            eir::ukernel_qs8::requantize_scalar(static_cast<int32_t>(acc[c]), q[c], q[kCT + c], q[2 * kCT + c],
                                                q[3 * kCT + c], half_away),
            params);
    }
    output += channels;
  }
}
