// The generated int16 LOGISTIC / TANH sigmoid table (kernels/reference/sigmoid_table.h) against
// TFLite's published sigmoid_table_uint16, and the int16 table-interpolation kernels against
// outputs worked out by hand from TFLite's formulas and its published table entries.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/reference/quantized_kernels.h"
#include "kernels/reference/sigmoid_table.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using namespace eir::ref;
using eir::testing::OpTester;
using eir::testing::qp;

namespace {

std::vector<int16_t> run_int16(BuiltinOp op, const Kernel& kernel, float input_scale, const std::vector<int16_t>& x) {
  OpTester t(op, 2);
  t.add_input<int16_t>(DType::kI16, {static_cast<int32_t>(x.size())}, x, qp(input_scale, 0));
  const int y = t.add_output(DType::kI16, qp(1.0f / 32768, 0));
  REQUIRE(t.run(kernel).ok());
  return t.output_values<int16_t>(y);
}

}  // namespace

TEST_CASE("generated sigmoid table equals TFLite's sigmoid_table_uint16", "[ops][quantized][activations][sigmoid_table]") {
  uint16_t table[kSigmoidTableSize];
  build_sigmoid_table_q16(table);

  // Checksums of the 256 entries as published in tflite/kernels/internal/common.h (LiteRT main of
  // 2026-08-21): plain sum, sum of (i + 1) * entry, and 32-bit FNV-1a over the little-endian bytes.
  uint64_t sum = 0, weighted = 0;
  uint32_t fnv = 2166136261u;
  for (int i = 0; i < kSigmoidTableSize; ++i) {
    sum += table[i];
    weighted += static_cast<uint64_t>(i + 1) * table[i];
    for (uint8_t byte : {static_cast<uint8_t>(table[i] & 0xFF), static_cast<uint8_t>(table[i] >> 8)}) {
      fnv ^= byte;
      fnv *= 16777619u;
    }
  }
  CHECK(sum == 15670629u);
  CHECK(weighted == 2123733574u);
  CHECK(fnv == 0x4fb821ecu);

  // Published entries, with the hand computation of v = 65536 sigmoid(i/24) and the chord error e
  // at the interval's middle (entry = round(v - e/2)):
  // i=0: v = 32768, e = -0.037 -> 32768.019 -> 32768
  CHECK(table[0] == 32768);
  // i=3: v = 34813.337, e = -0.257 -> 34813.466 -> 34813 (rounding up would give 34814)
  CHECK(table[3] == 34813);
  // i=4: v = 35492.363, e = -0.329 -> 35492.528 -> 35493 (round(v) alone gives 35492)
  CHECK(table[4] == 35493);
  // i=28 (near the largest curvature): v = 49973.951, e = -1.356 -> 49974.629 -> 49975
  CHECK(table[28] == 49975);
  CHECK(table[47] == 57433);
  CHECK(table[48] == 57724);
  // i=174: v = 65489.491, e = -0.0099 -> 65489.496, the decision closest to a tie (0.004 away)
  CHECK(table[174] == 65489);
  CHECK(table[254] == 65534);
  CHECK(table[255] == 65535);  // pinned to 1.0 saturated (the formula would give 65534.4 -> 65534)

  // Shape: non-decreasing; within |e|/2 + 1/2 <= 1.18 of the exact sample (largest |e| = 1.36).
  for (int i = 0; i + 1 < kSigmoidTableSize; ++i) {
    CHECK(table[i] <= table[i + 1]);
    CHECK(std::abs(table[i] - 65536.0 / (1.0 + std::exp(-i / 24.0))) < 1.18);
  }

  // The shared instance is the same table.
  const uint16_t* shared = sigmoid_table_q16();
  CHECK(shared == sigmoid_table_q16());
  for (int i = 0; i < kSigmoidTableSize; ++i) CHECK(shared[i] == table[i]);
}

// Input scale 0.001 (not a power of two): TFLite's prepare gives input_multiplier 25165 and
// left shift 11 (0.001 * 4096 * 3 = 12.288, doubled 11 times to 25165.8 > 16383.5), i.e. the
// input in units of 1/(3*4096): in = (x * 25165 + 1024) >> 11.
TEST_CASE("int16 LOGISTIC table interpolation, hand-computed", "[ops][quantized][activations][sigmoid_table]") {
  const auto y = run_int16(BuiltinOp::kLogistic, logistic_quantized_kernel(), 0.001f, {0, 2000, -2000, 1234, 32767, -32768});
  // x = 0: in 0, entry 0 exactly: (32768 << 9 + 512) >> 10 = 16384.
  CHECK(y[0] == 16384);
  // x = 2000: in 24575 -> entry 47, fraction 511/512: 57433 * 512 + 511 * (57724 - 57433) = 29554397;
  // (29554397 + 512) >> 10 = 28862 (exact sigmoid(2) * 32768 = 28861.96).
  CHECK(y[1] == 28862);
  // x = -2000: in -24575, same magnitude: ((1 << 25) - 29554397 + 511) >> 10 = 3906; 28862 + 3906 = 32768.
  CHECK(y[2] == 3906);
  // x = 1234: in 15163 -> entry 29, fraction 315: 50464 * 512 + 315 * (50942 - 50464) = 25988138;
  // (25988138 + 512) >> 10 = 25379 (exact 25379.40).
  CHECK(y[3] == 25379);
  // |in| >= 255 * 512: saturation branch, 0x7FFF << 10 -> 32767; negative side -> 1.
  CHECK(y[4] == 32767);
  CHECK(y[5] == 1);
}

TEST_CASE("int16 TANH table interpolation, hand-computed", "[ops][quantized][activations][sigmoid_table]") {
  const auto y = run_int16(BuiltinOp::kTanh, tanh_quantized_kernel(), 0.001f, {0, 1000, -1000, 1234, -1234});
  CHECK(y[0] == 0);
  // x = 1000: in 12288 -> tanh uses 256 units per entry: entry 48, fraction 0: 57724 << 8 = 14777344;
  // (14777344 - (1 << 23) + 128) >> 8 = 24956 (exact tanh(1) * 32768 = 24955.92).
  CHECK(y[1] == 24956);
  // x = -1000: in -12288: (-14777344 + (1 << 23) + 127) >> 8 = floor(-24955.5) = -24956.
  CHECK(y[2] == -24956);
  // x = 1234: in 15163 -> entry 59, fraction 59: 60370 * 256 + 59 * (60565 - 60370) = 15466225;
  // (15466225 - (1 << 23) + 128) >> 8 = 27647 (exact 27647.53).
  CHECK(y[3] == 27647);
  CHECK(y[4] == -27647);
}
