#include "kernels/reference/sigmoid_table.h"

#include <array>
#include <cmath>

namespace eir::ref {

void build_sigmoid_table_q16(uint16_t* table) {
  constexpr double kOne = 65536.0;       // 1.0 in 0.16 fixed point
  constexpr double kStep = 1.0 / 24.0;   // one entry per 512 input units of 1 / (3 * 4096)
  auto v = [](double x) { return kOne / (1.0 + std::exp(-x)); };
  for (int i = 0; i + 1 < kSigmoidTableSize; ++i) {
    const double x = i * kStep;
    const double sample = v(x);
    const double chord_error = (sample + v(x + kStep)) / 2 - v(x + kStep / 2);
    // < 65535.5 for every i < 255 (sigmoid(254/24) * 65536 = 65534.34), so the cast is exact.
    table[i] = static_cast<uint16_t>(std::lround(sample - chord_error / 2));
  }
  table[kSigmoidTableSize - 1] = 0xFFFF;  // 1.0, saturated to 16 bits (see the header)
}

const uint16_t* sigmoid_table_q16() {
  static const std::array<uint16_t, kSigmoidTableSize> table = [] {
    std::array<uint16_t, kSigmoidTableSize> t{};
    build_sigmoid_table_q16(t.data());
    return t;
  }();
  return table.data();
}

}  // namespace eir::ref
