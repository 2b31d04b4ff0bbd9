// The direct 8-bit microkernels called as the drivers call them, against a scalar model of
// TFLite's integer arithmetic (the requantization of kernels/ukernels/qs8-gemm/scalar-impl.h):
//   - the 3x3 depthwise row kernels (qs8-dwconv.h): stride 1 (one or two output rows, 16-lane
//     blocks and the 8-channel pixel pairs) and stride 2; widths around the two-pixel steps and
//     the pairs, left padding 0..2, rows in the vertical padding, channel tails;
//   - the 3x3 stride-2 3-channel stem kernel (qs8-conv.h): widths around its 16-pixel steps and
//     64-byte row windows, left padding 0 and 1, channel counts around its blocks of 8.
// uint8 and int8, random zero points, multipliers / shifts in both requantization forms, both
// roundings, clamps. Every output byte must match, and nothing past the outputs is written.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/qs8_dwconv_config.h"
#include "kernels/configs/qs8_gemm_config.h"
#include "kernels/fast/qs8_conv3x3s2c3_pack.h"
#include "kernels/fast/qs8_dwconv3x3_pack.h"
#include "kernels/ukernels/qs8-gemm/scalar-impl.h"

namespace eir::testing {
namespace {

// TFLite-style multipliers: mostly right shifts (the simple form), sometimes none or left ones.
void random_requant(std::mt19937& rng, size_t n, bool general, std::vector<int32_t>* mult, std::vector<int>* shift) {
  std::uniform_int_distribution<int32_t> sig(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int> right(-14, -1), any(-20, 6), pick(0, 9);
  mult->resize(n);
  shift->resize(n);
  for (size_t j = 0; j < n; ++j) {
    (*mult)[j] = pick(rng) == 0 ? (1 << 30) : sig(rng);
    (*shift)[j] = general && pick(rng) < 4 ? any(rng) : right(rng);
  }
}

int32_t requant_ref(int32_t acc, int32_t mult, int shift, bool half_away, int32_t zp, int32_t lo, int32_t hi) {
  const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int32_t v = eir::ukernel_qs8::requantize_scalar(acc, mult, left, right,
                                                        static_cast<int32_t>((uint32_t{1} << right) - 1u), half_away);
  int64_t r = static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v) + static_cast<uint32_t>(zp)));
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(r, lo), hi));
}

struct Quant {
  bool u8 = true;
  int32_t zx = 0, zw = 0, zy = 0, lo = 0, hi = 255;
  bool half_away = true;
};

Quant random_quant(std::mt19937& rng, bool u8) {
  std::uniform_int_distribution<int> coin(0, 1);
  Quant q;
  q.u8 = u8;
  const int32_t tlo = u8 ? 0 : -128, thi = u8 ? 255 : 127;
  std::uniform_int_distribution<int32_t> zp(tlo, thi);
  q.zx = zp(rng), q.zy = zp(rng);
  q.zw = u8 ? std::max(1, zp(rng)) : 0;
  q.lo = tlo, q.hi = thi;
  if (coin(rng)) {
    q.lo = zp(rng), q.hi = zp(rng);
    if (q.lo > q.hi) std::swap(q.lo, q.hi);
  }
  q.half_away = coin(rng) != 0;
  return q;
}

int32_t value(bool u8, uint8_t raw) { return u8 ? static_cast<int32_t>(raw) : static_cast<int8_t>(raw); }

std::vector<uint8_t> random_bytes(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> byte(0, 255), mode(0, 5);
  std::vector<uint8_t> v(n);
  const int m = mode(rng);  // occasionally all extremes: accumulators at their ends
  for (auto& x : v) x = static_cast<uint8_t>(m == 0 ? 255 : m == 1 ? 0 : m == 2 ? 128 : byte(rng));
  return v;
}

// ---- 3x3 depthwise rows ----

void check_dw3x3(eir_qs8_dwconv3x3_ukernel_fn fn, int stride, size_t channels, size_t out_w, size_t in_w,
                 size_t pad_left, bool two_rows, bool general, std::mt19937& rng) {
  const bool u8 = std::uniform_int_distribution<int>(0, 1)(rng) != 0;
  const Quant q = random_quant(rng, u8);
  const bool pairs = stride == 1 && channels == 8;
  INFO("stride " << stride << " channels " << channels << " out_w " << out_w << " in_w " << in_w << " pad_left "
                 << pad_left << (two_rows ? " two rows" : "") << (u8 ? " uint8" : " int8") << " zx/zw/zy " << q.zx
                 << "/" << q.zw << "/" << q.zy << " clamp [" << q.lo << ", " << q.hi << "]"
                 << (q.half_away ? " ties away" : " ties up") << (general ? " general shifts" : ""));
  const std::vector<uint8_t> filter = random_bytes(rng, 9 * channels);
  std::vector<int32_t> bias(channels), mult;
  std::vector<int> shift;
  std::uniform_int_distribution<int32_t> bd(-40000, 40000);
  for (auto& b : bias) b = bd(rng);
  random_requant(rng, channels, general, &mult, &shift);
  fast::Qs8Dw3x3Filter f;
  f.channels = channels;
  f.u8 = u8;
  f.pixel_pairs = pairs;
  f.weights = filter.data();
  f.bias = bias.data();
  f.input_zero_point = q.zx;
  f.weights_zero_point = q.zw;
  f.multipliers = mult.data();
  f.shifts = shift.data();
  REQUIRE(fast::qs8_dw3x3_packable(f));
  std::vector<uint8_t> packed(fast::qs8_dw3x3_packed_bytes(f));
  eir_qs8_dwconv3x3_params p{};
  p.output_zero_point = q.zy;
  p.output_min = q.lo;
  p.output_max = q.hi;
  p.input_u8 = u8 ? 1 : 0;
  p.zero_byte = static_cast<uint8_t>(q.zx);
  p.simple_shift = fast::pack_qs8_dw3x3(f, packed.data()) ? 1 : 0;
  p.pixel_pairs = pairs ? 1 : 0;
  p.round_half_away = q.half_away ? 1 : 0;
  // 4 rows; one of them sometimes the zero-point row of the vertical padding.
  const size_t row_bytes = in_w * channels;
  std::vector<std::vector<uint8_t>> rows;
  for (int r = 0; r < 4; ++r) rows.push_back(random_bytes(rng, row_bytes));
  if (std::uniform_int_distribution<int>(0, 2)(rng) == 0)
    rows[std::uniform_int_distribution<size_t>(0, 3)(rng)].assign(row_bytes, static_cast<uint8_t>(q.zx));
  const uint8_t* rp[4] = {rows[0].data(), rows[1].data(), rows[2].data(), rows[3].data()};
  const size_t out_bytes = out_w * channels;
  std::vector<uint8_t> y0(out_bytes + 64, 0xCD), y1(out_bytes + 64, 0xCD);
  fn(channels, out_w, in_w, pad_left, rp, packed.data(), y0.data(), two_rows ? y1.data() : nullptr, &p);
  for (int r = 0; r < (two_rows ? 2 : 1); ++r) {
    const std::vector<uint8_t>& y = r == 0 ? y0 : y1;
    size_t bad = 0;
    for (size_t x = 0; x < out_w; ++x)
      for (size_t c = 0; c < channels; ++c) {
        int64_t acc = bias[c];
        for (size_t ky = 0; ky < 3; ++ky)
          for (size_t kx = 0; kx < 3; ++kx) {
            const ptrdiff_t col = static_cast<ptrdiff_t>(x * stride + kx) - static_cast<ptrdiff_t>(pad_left);
            const int32_t xv = col >= 0 && static_cast<size_t>(col) < in_w
                                   ? value(u8, rows[ky + r][static_cast<size_t>(col) * channels + c])
                                   : q.zx;
            const int32_t wv = value(u8, filter[(ky * 3 + kx) * channels + c]) - (u8 ? q.zw : 0);
            acc += static_cast<int64_t>(xv - q.zx) * wv;
          }
        const int32_t want = requant_ref(static_cast<int32_t>(acc), mult[c], shift[c], q.half_away, q.zy, q.lo, q.hi);
        const uint8_t got = y[x * channels + c];
        if (got != static_cast<uint8_t>(want)) {
          if (bad < 5)
            FAIL_CHECK("row " << r << " pixel " << x << " channel " << c << ": " << int(got) << " vs " << want);
          ++bad;
        }
      }
    CHECK(bad == 0);
    for (size_t i = out_bytes; i < y.size(); ++i) REQUIRE(y[i] == 0xCD);
  }
  if (!two_rows)
    for (uint8_t v : y1) REQUIRE(v == 0xCD);
}

TEST_CASE("qs8 3x3 depthwise row kernels are bit-exact", "[ops][qs8][dwconv][ukernel]") {
  std::mt19937 rng(3131);
  std::uniform_int_distribution<size_t> width(1, 40);
  for (const Qs8DwconvConfig* c : qs8_dwconv_configs_available(detected_cpu_features())) {
    for (int stride : {1, 2}) {
      eir_qs8_dwconv3x3_ukernel_fn fn = stride == 1 ? c->dw3x3_s1 : c->dw3x3_s2;
      if (fn == nullptr) continue;
      INFO("config " << c->isa);
      for (size_t channels : {1, 3, 8, 8, 9, 15, 16, 17, 32, 40, 64})
        for (int iter = 0; iter < 6; ++iter) {
          const size_t pad_left = static_cast<size_t>(iter % 3);
          const size_t out_w = iter == 0 ? 1 : iter == 1 ? 2 : width(rng);
          // An input row as wide as the windows need, give or take (columns past it read zx).
          const size_t span = (out_w - 1) * static_cast<size_t>(stride) + 3;
          const size_t in_w = std::max<size_t>(1, span - pad_left - std::uniform_int_distribution<size_t>(0, 2)(rng));
          check_dw3x3(fn, stride, channels, out_w, in_w, pad_left, stride == 1 && iter % 2 == 0, iter == 5, rng);
        }
    }
  }
}

// ---- 3x3 stride-2 stem over 3 channels ----

void check_stem(eir_qs8_conv3x3s2c3_ukernel_fn fn, size_t oc, size_t out_w, size_t in_w, size_t pad_left,
                std::mt19937& rng) {
  const bool u8 = std::uniform_int_distribution<int>(0, 1)(rng) != 0;
  const Quant q = random_quant(rng, u8);
  INFO("oc " << oc << " out_w " << out_w << " in_w " << in_w << " pad_left " << pad_left << (u8 ? " uint8" : " int8")
             << " zx/zw/zy " << q.zx << "/" << q.zw << "/" << q.zy << " clamp [" << q.lo << ", " << q.hi << "]"
             << (q.half_away ? " ties away" : " ties up"));
  const std::vector<uint8_t> filter = random_bytes(rng, oc * 27);
  std::vector<int32_t> bias(oc), mult;
  std::vector<int> shift;
  std::uniform_int_distribution<int32_t> bd(-40000, 40000);
  for (auto& b : bias) b = bd(rng);
  random_requant(rng, oc, false, &mult, &shift);
  fast::Qs8Conv3x3s2c3Filter f;
  f.output_channels = oc;
  f.u8 = u8;
  f.weights = filter.data();
  f.bias = bias.data();
  f.input_zero_point = q.zx;
  f.weights_zero_point = q.zw;
  f.multipliers = mult.data();
  f.shifts = shift.data();
  REQUIRE(fast::qs8_conv3x3s2c3_packable(f));
  std::vector<uint8_t> packed(fast::qs8_conv3x3s2c3_packed_bytes(f));
  fast::pack_qs8_conv3x3s2c3(f, packed.data());
  eir_qs8_conv3x3s2c3_params p{};
  p.output_zero_point = q.zy;
  p.output_min = q.lo;
  p.output_max = q.hi;
  p.input_u8 = u8 ? 1 : 0;
  p.zero_byte = static_cast<uint8_t>(q.zx);
  p.round_half_away = q.half_away ? 1 : 0;
  std::vector<std::vector<uint8_t>> rows;
  for (int r = 0; r < 3; ++r) rows.push_back(random_bytes(rng, in_w * 3));
  const uint8_t* rp[3] = {rows[0].data(), rows[1].data(), rows[2].data()};
  std::vector<uint8_t> y(out_w * oc + 64, 0xCD);
  fn(out_w, oc, in_w, pad_left, rp, packed.data(), y.data(), &p);
  size_t bad = 0;
  for (size_t x = 0; x < out_w; ++x)
    for (size_t o = 0; o < oc; ++o) {
      int64_t acc = bias[o];
      for (size_t ky = 0; ky < 3; ++ky)
        for (size_t kx = 0; kx < 3; ++kx)
          for (size_t c = 0; c < 3; ++c) {
            const ptrdiff_t col = static_cast<ptrdiff_t>(2 * x + kx) - static_cast<ptrdiff_t>(pad_left);
            const int32_t xv = col >= 0 && static_cast<size_t>(col) < in_w
                                   ? value(u8, rows[ky][static_cast<size_t>(col) * 3 + c])
                                   : q.zx;
            const int32_t wv = value(u8, filter[o * 27 + (ky * 3 + kx) * 3 + c]) - (u8 ? q.zw : 0);
            acc += static_cast<int64_t>(xv - q.zx) * wv;
          }
      const int32_t want = requant_ref(static_cast<int32_t>(acc), mult[o], shift[o], q.half_away, q.zy, q.lo, q.hi);
      const uint8_t got = y[x * oc + o];
      if (got != static_cast<uint8_t>(want)) {
        if (bad < 5) FAIL_CHECK("pixel " << x << " channel " << o << ": " << int(got) << " vs " << want);
        ++bad;
      }
    }
  CHECK(bad == 0);
  for (size_t i = out_w * oc; i < y.size(); ++i) REQUIRE(y[i] == 0xCD);
}

TEST_CASE("qs8 3x3 stride-2 stem kernels are bit-exact", "[ops][qs8][conv][ukernel]") {
  std::mt19937 rng(3232);
  std::uniform_int_distribution<size_t> width(1, 60);
  for (const Qs8GemmConfig* c : qs8_gemm_configs_available(detected_cpu_features())) {
    if (c->conv3x3s2c3 == nullptr) continue;
    INFO("config " << c->isa);
    for (size_t oc : {1, 3, 7, 8, 9, 16, 24, 32, 33})
      for (int iter = 0; iter < 6; ++iter) {
        const size_t pad_left = static_cast<size_t>(iter % 2);
        const size_t out_w = iter == 0 ? 1 : iter == 1 ? 16 : iter == 2 ? 17 : width(rng);
        const size_t span = 2 * (out_w - 1) + 3;
        const size_t in_w = std::max<size_t>(1, span - pad_left - std::uniform_int_distribution<size_t>(0, 1)(rng));
        check_stem(c->conv3x3s2c3, oc, out_w, in_w, pad_left, rng);
      }
  }
}

}  // namespace
}  // namespace eir::testing
