#include "kernels/fast/qs8_conv3x3s2c3_pack.h"

#include <cstring>

#include "kernels/fast/qs8_requant64.h"
#include "kernels/ukernels/qs8-conv/qs8-conv.h"

namespace eir::fast {

namespace {

using namespace eir::qs8_conv3x3s2c3;

template <class T>
void put(uint8_t* block, size_t offset, size_t index, T value) {
  std::memcpy(block + offset + index * sizeof(T), &value, sizeof(T));
}

int32_t wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

size_t blocks(const Qs8Conv3x3s2c3Filter& f) { return (f.output_channels + kChannels - 1) / kChannels; }

// The window byte (ky * 9 + b) at position i (0..3) of group g, or -1: groups 2 ky + t hold bytes
// 4t..4t+3 of window row ky; group 6 byte 8 of rows 0, 1, 2 (position 3 unused).
int window_byte(size_t g, size_t i) {
  if (g < 6) return static_cast<int>((g / 2) * 9 + 4 * (g % 2) + i);
  return i < 3 ? static_cast<int>(i * 9 + 8) : -1;
}

}  // namespace

bool qs8_conv3x3s2c3_packable(const Qs8Conv3x3s2c3Filter& f) {
  if (f.output_channels == 0 || !requant64_simple(f.shifts, f.output_channels)) return false;
  return !f.u8 || f.weights_zero_point != 0;
}

size_t qs8_conv3x3s2c3_packed_bytes(const Qs8Conv3x3s2c3Filter& f) { return kHeaderBytes + blocks(f) * kBlockBytes; }

void pack_qs8_conv3x3s2c3(const Qs8Conv3x3s2c3Filter& f, uint8_t* dst) {
  std::memset(dst, 0, qs8_conv3x3s2c3_packed_bytes(f));
  // uint8: weights w - 128 and the correction 128 - zw on every real window byte.
  const int8_t c = static_cast<int8_t>(f.u8 ? 128 - f.weights_zero_point : 0);
  for (size_t g = 0; g < kGroups; ++g)
    for (size_t i = 0; i < 4; ++i)
      if (window_byte(g, i) >= 0) dst[4 * g + i] = static_cast<uint8_t>(c);
  const int64_t zx = f.input_zero_point;
  for (size_t o = 0; o < f.output_channels; ++o) {
    uint8_t* blk = dst + kHeaderBytes + (o / kChannels) * kBlockBytes;
    const size_t lane = o % kChannels;
    const uint8_t* src = f.weights + o * 27;  // [ky][kx][c]: window row ky, byte kx * 3 + c
    int64_t wsum = 0;
    for (size_t g = 0; g < kGroups; ++g)
      for (size_t i = 0; i < 4; ++i) {
        const int b = window_byte(g, i);
        if (b < 0) continue;
        const uint8_t raw = src[static_cast<size_t>(b)];
        const int32_t w = f.u8 ? static_cast<int32_t>(raw) : static_cast<int8_t>(raw);
        wsum += f.u8 ? w - f.weights_zero_point : w;
        blk[kWeights + 4 * (g * kChannels + lane) + i] = static_cast<uint8_t>(static_cast<int8_t>(f.u8 ? w - 128 : w));
      }
    const int64_t b0 = f.bias ? f.bias[o] : 0;
    put<int32_t>(blk, kBias, lane, wrap(b0 - (f.u8 ? zx : zx + 128) * wsum));
    const int right = -f.shifts[o];  // >= 1: packable
    put<int64_t>(blk, kMult, lane, f.multipliers[o]);
    put<int64_t>(blk, kRound, lane, (int64_t{1} << 30) + (int64_t{1} << (30 + right)));
    put<int64_t>(blk, kShiftEven, lane, 31 + right);
    put<int64_t>(blk, kShiftOdd, lane, right - 1);
    put<int64_t>(blk, kTie, lane, int64_t{1} << 31);
  }
}

}  // namespace eir::fast
