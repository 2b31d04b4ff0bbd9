// The 256-entry sigmoid table that TFLite's int16 LOGISTIC and TANH kernels interpolate
// (reference_integer_ops::Logistic / Tanh, taken on x86 whenever the input scale is not a power
// of two). TFLite ships it as literal data (sigmoid_table_uint16 in tflite's common.h, "sigmoid(i/24)
// at 0.16 format"); eir generates it. The rule below reproduces all 256 published entries:
//
//   v(x)     = 65536 * sigmoid(x)                      (0.16 fixed point)
//   e_i      = (v(i/24) + v((i+1)/24)) / 2 - v((i+0.5)/24)
//              the error of the straight chord at the middle of interval i (negative: sigmoid is
//              concave for x > 0, so the chord runs below the curve)
//   table[i] = round(v(i/24) - e_i / 2)                 for i = 0 .. 254
//   table[255] = 65535
//
// Shifting every sample up by half its chord error makes linear interpolation err by about
// +-e/2 (equally at the samples and at the midpoints) instead of always undershooting by e: the
// usual way to tune a table for interpolation. Plain round(v(i/24)) differs from the published
// table in 46 entries (e.g. entry 4: 35492 vs 35493). The last entry is only ever read as the upper
// end of interval 254 (inputs at or beyond index 255 take the kernels' saturation branch, 32767
// for positive inputs): it holds 0xFFFF, 1.0 saturated to 16 bits, so that interpolation runs into
// the saturated output; the formula would give 65534 there. The nearest rounding decision of the
// formula is 0.004 units away from a tie, so any correctly-rounding or faithful exp() (float or
// double) gives the same table.
//
// Why this grid: the kernels rescale the input to units of 1 / (3 * 4096) (their input multiplier
// folds in the input scale), so the table is independent of the tensor's scale and zero point;
// LOGISTIC uses 512 of those units per entry (1/24), TANH (tanh(x) = 2 sigmoid(2x) - 1) uses 256.
#pragma once

#include <cstdint>

namespace eir::ref {

constexpr int kSigmoidTableSize = 256;

// Writes the kSigmoidTableSize entries described above to `table`.
void build_sigmoid_table_q16(uint16_t* table);

// The table, built once on first use (thread-safe static initialisation; call it from prepare
// so that run() only reads it).
const uint16_t* sigmoid_table_q16();

}  // namespace eir::ref
