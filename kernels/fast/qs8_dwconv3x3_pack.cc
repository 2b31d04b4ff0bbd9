#include "kernels/fast/qs8_dwconv3x3_pack.h"

#include <cstring>

#include "kernels/fast/qs8_requant64.h"
#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"

namespace eir::fast {

namespace {

using namespace eir::qs8_dw3x3;

int32_t wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

size_t blocks(const Qs8Dw3x3Filter& f) { return f.pixel_pairs ? 1 : (f.channels + kLanes - 1) / kLanes; }

}  // namespace

bool qs8_dw3x3_packable(const Qs8Dw3x3Filter& f) {
  if (f.channels == 0 || (f.pixel_pairs && f.channels != 8)) return false;
  return !f.u8 || f.weights_zero_point != 0;
}

size_t qs8_dw3x3_packed_bytes(const Qs8Dw3x3Filter& f) { return blocks(f) * kBlockBytes; }

bool pack_qs8_dw3x3(const Qs8Dw3x3Filter& f, uint8_t* dst) {
  const size_t c_total = f.channels;
  const bool simple = requant64_simple(f.shifts, c_total);
  const size_t nb = blocks(f);
  std::memset(dst, 0, nb * kBlockBytes);
  // uint8: weights w - 128 plus the correction 128 - zw on every tap; int8: w, inputs read as x + 128.
  const int32_t correction = f.u8 ? 128 - f.weights_zero_point : 0;
  const int64_t zx = f.input_zero_point;
  for (size_t b = 0; b < nb; ++b) {
    uint8_t* blk = dst + b * kBlockBytes;
    int32_t mult[kLanes];
    int shift[kLanes];
    size_t lanes = 0;
    for (size_t lane = 0; lane < kLanes; ++lane) {
      const size_t c = f.pixel_pairs ? lane % 8 : b * kLanes + lane;
      if (c >= c_total) break;
      lanes = lane + 1;
      mult[lane] = f.multipliers[c];
      shift[lane] = f.shifts[c];
      int64_t wsum = 0;  // sum over taps of w - zw (uint8) or w (int8)
      for (size_t kx = 0; kx < 3; ++kx)
        for (size_t ky = 0; ky < 3; ++ky) {
          const uint8_t raw = f.weights[(ky * 3 + kx) * c_total + c];
          const int32_t w = f.u8 ? static_cast<int32_t>(raw) : static_cast<int8_t>(raw);
          wsum += f.u8 ? w - f.weights_zero_point : w;
          const int8_t stored = static_cast<int8_t>(f.u8 ? w - 128 : w);
          blk[kWeightsA + kx * 64 + lane * 4 + ky] = static_cast<uint8_t>(stored);
          blk[kWeightsB + kx * 64 + lane * 4 + ky + 1] = static_cast<uint8_t>(stored);
        }
      for (size_t k = 0; k < 3; ++k) {
        blk[kCorrectA + lane * 4 + k] = static_cast<uint8_t>(static_cast<int8_t>(correction));
        blk[kCorrectB + lane * 4 + k + 1] = static_cast<uint8_t>(static_cast<int8_t>(correction));
      }
      const int64_t b0 = f.bias ? f.bias[c] : 0;
      const int32_t bias = wrap(b0 - (f.u8 ? zx : zx + 128) * wsum);
      std::memcpy(blk + kBias + 4 * lane, &bias, 4);
    }
    pack_requant64(blk + kRequant, mult, shift, lanes, simple);
  }
  return simple;
}

}  // namespace eir::fast
