#include "kernels/fast/qs8_requant64.h"

#include <cstring>

#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::fast {

namespace {

template <class T>
void put(uint8_t* section, size_t offset, size_t index, T value) {
  std::memcpy(section + offset + index * sizeof(T), &value, sizeof(T));
}

}  // namespace

bool requant64_simple(const int* shifts, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (shifts[i] >= 0) return false;
  return true;
}

void pack_requant64(uint8_t* section, const int32_t* multipliers, const int* shifts, size_t lanes, bool simple) {
  using namespace qs8_requant64;
  std::memset(section, 0, kBytes);
  for (size_t l = 0; l < 16; ++l) {
    int32_t mult = 0;
    int shift = -1;  // lanes past `lanes`: valid in both forms, multiplier 0
    if (l < lanes) {
      mult = multipliers[l];
      shift = shifts[l];
    }
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const int64_t round = (int64_t{1} << 30) + (right > 0 ? int64_t{1} << (30 + right) : 0);
    const int64_t tie = right > 0 ? int64_t{1} << 31 : 0;
    put<int32_t>(section, kMultEven, l, mult);
    put<int32_t>(section, kLeft, l, left);
    const size_t q = l / 2;
    if (l % 2 == 0) {
      put<int64_t>(section, kRoundEven, q, round);
      put<int64_t>(section, kShiftEven, q, 31 + right);
      put<int64_t>(section, kTieEven, q, tie);
    } else {
      put<int64_t>(section, kMultOdd, q, mult);
      put<int64_t>(section, kRoundOdd, q, round);
      put<int64_t>(section, kShiftOdd, q, simple ? right - 1 : 31 + right);
      put<int64_t>(section, kTieOdd, q, tie);
    }
  }
}

}  // namespace eir::fast
