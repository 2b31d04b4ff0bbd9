// AVX-512 VNNI 3x3 stride-2 convolution over 3 input channels (qs8-conv.h): 16 output pixels per
// step. Per window row, 128 input bytes cover the 16 pixels' windows (pixel j's 9 bytes start at
// byte 6j); VPERMT2W gathers, for each 32-bit lane j, window bytes 0-3, 4-7 or 8-9 of pixel j
// (all even offsets, so 16-bit granularity suffices); the three rows' byte 8 are blended into one
// vector, giving the 7 group vectors. Each output channel then takes 7 VPDPBUSD against its
// broadcast weights (8 independent accumulators); the
// requantization uses per-channel constants broadcast from memory, and the 8 x 16 results are
// packed to bytes and transposed (pixel-major, 8 channels per pixel) in registers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/ukernels/qs8-conv/qs8-conv.h"
#include "kernels/ukernels/qs8-gemm/avx512-requant64.h"

namespace {

using namespace eir::qs8_conv3x3s2c3;
using eir::ukernel_qs8_avx512::ByteStage;

inline __m512i bcast32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

inline __m512i bcast64(const uint8_t* p) {
  int64_t v;
  std::memcpy(&v, p, 8);
  return _mm512_set1_epi64(v);
}

// Channel o of a block: the simple requant64 form with broadcast constants (even pixels in the
// low halves of the 64-bit lanes, odd pixels shifted by r - 1 into the high halves).
template <bool kHalfAway>
inline __m512i requantize(__m512i acc, const uint8_t* blk, size_t o) {
  const __m512i mult = bcast64(blk + kMult + 8 * o), round = bcast64(blk + kRound + 8 * o);
  __m512i pe = _mm512_mul_epi32(acc, mult);
  __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(acc, 32), mult);
  if constexpr (kHalfAway) {
    const __m512i tie = bcast64(blk + kTie + 8 * o);
    const __mmask8 neg_even = _mm512_movepi64_mask(pe), neg_odd = _mm512_movepi64_mask(po);
    pe = _mm512_add_epi64(pe, round);
    po = _mm512_add_epi64(po, round);
    pe = _mm512_mask_sub_epi64(pe, neg_even, pe, tie);
    po = _mm512_mask_sub_epi64(po, neg_odd, po, tie);
  } else {
    pe = _mm512_add_epi64(pe, round);
    po = _mm512_add_epi64(po, round);
  }
  pe = _mm512_srav_epi64(pe, bcast64(blk + kShiftEven + 8 * o));
  po = _mm512_srav_epi64(po, bcast64(blk + kShiftOdd + 8 * o));
  return _mm512_mask_blend_epi32(0xAAAA, pe, po);
}

// Bytes [start, start + 64) of a row of `row_bytes` bytes, the zero point outside it.
inline __m512i load_window(const uint8_t* row, ptrdiff_t start, ptrdiff_t row_bytes, __m512i fill) {
  if (start >= 0 && start + 64 <= row_bytes) return _mm512_loadu_si512(row + start);
  const ptrdiff_t lo = std::max<ptrdiff_t>(0, -start),
                  hi = std::min<ptrdiff_t>(64, std::max<ptrdiff_t>(0, row_bytes - start));
  if (lo >= hi) return fill;
  const __mmask64 m = (hi == 64 ? ~__mmask64{0} : (__mmask64{1} << hi) - 1) & ~((__mmask64{1} << lo) - 1);
  // Masked-off bytes are neither read nor faulted on; the address is formed without leaving the
  // row for the arithmetic's sake.
  const uint8_t* p = reinterpret_cast<const uint8_t*>(reinterpret_cast<uintptr_t>(row) + static_cast<uintptr_t>(start));
  return _mm512_mask_loadu_epi8(fill, m, p);
}

// Word indices: lane j of group t takes words (3j + 2t, 3j + 2t + 1); t = 2 takes word 3j + 4
// (bytes 8-9; byte 9 meets a zero weight) twice.
struct Gather {
  __m512i idx[3];
  Gather() {
    alignas(64) int16_t v[3][32];
    for (int j = 0; j < 16; ++j) {
      for (int t = 0; t < 2; ++t) {
        v[t][2 * j] = static_cast<int16_t>(3 * j + 2 * t);
        v[t][2 * j + 1] = static_cast<int16_t>(3 * j + 2 * t + 1);
      }
      v[2][2 * j] = v[2][2 * j + 1] = static_cast<int16_t>(3 * j + 4);
    }
    for (int t = 0; t < 3; ++t) idx[t] = _mm512_load_si512(v[t]);
  }
};

template <bool kU8, bool kHalfAway>
void run(size_t out_w, size_t oc, size_t in_w, size_t pad_left, const uint8_t* const* rows, const uint8_t* w,
         uint8_t* out, const eir_qs8_conv3x3s2c3_params* p) {
  const Gather gather;
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(kU8 ? 0 : 0x80));
  const __m512i fill = _mm512_set1_epi8(static_cast<char>(p->zero_byte));
  const ByteStage<true> stage(p->output_zero_point, p->output_min, p->output_max);
  const __m512i transpose = _mm512_set4_epi32(0x0F0B0703, 0x0E0A0602, 0x0D090501, 0x0C080400);
  const __m512i first8 = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11),
                last8 = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
  const ptrdiff_t row_bytes = 3 * static_cast<ptrdiff_t>(in_w);
  const size_t blocks = (oc + kChannels - 1) / kChannels;
  for (size_t x0 = 0; x0 < out_w; x0 += 16) {
    const size_t n = std::min<size_t>(16, out_w - x0);
    const ptrdiff_t base = (2 * static_cast<ptrdiff_t>(x0) - static_cast<ptrdiff_t>(pad_left)) * 3;
    __m512i g[kGroups], b8[3];
    for (size_t ky = 0; ky < 3; ++ky) {
      const __m512i lo = _mm512_xor_si512(load_window(rows[ky], base, row_bytes, fill), vxor);
      const __m512i hi = _mm512_xor_si512(load_window(rows[ky], base + 64, row_bytes, fill), vxor);
      g[2 * ky] = _mm512_permutex2var_epi16(lo, gather.idx[0], hi);
      g[2 * ky + 1] = _mm512_permutex2var_epi16(lo, gather.idx[1], hi);
      b8[ky] = _mm512_permutex2var_epi16(lo, gather.idx[2], hi);  // lane: (b8, b9, b8, b9)
    }
    // (b8 of row 0, b8 of row 1, b8 of row 2, b9 of row 2): row 0's low word, row 2's high word,
    // row 1's b8 moved to byte 1.
    g[6] = _mm512_mask_blend_epi8(0x2222222222222222ull, _mm512_mask_blend_epi16(0xAAAAAAAAu, b8[0], b8[2]),
                                  _mm512_slli_epi32(b8[1], 8));
    // uint8: the correction (128 - zw) * sum(x) of every pixel, the same for all channels.
    __m512i corr = _mm512_setzero_si512();
    if constexpr (kU8) {
      __m512i c2 = _mm512_setzero_si512();
      for (size_t i = 0; i < kGroups; ++i) {
        if (i % 2 == 0)
          corr = _mm512_dpbusd_epi32(corr, g[i], bcast32(w + 4 * i));
        else
          c2 = _mm512_dpbusd_epi32(c2, g[i], bcast32(w + 4 * i));
      }
      corr = _mm512_add_epi32(corr, c2);
    }
    for (size_t b = 0; b < blocks; ++b) {
      const uint8_t* blk = w + kHeaderBytes + b * kBlockBytes;
      __m512i acc[kChannels];
      for (size_t o = 0; o < kChannels; ++o)
        acc[o] = kU8 ? _mm512_add_epi32(bcast32(blk + kBias + 4 * o), corr) : bcast32(blk + kBias + 4 * o);
      for (size_t i = 0; i < kGroups; ++i)
        for (size_t o = 0; o < kChannels; ++o)
          acc[o] = _mm512_dpbusd_epi32(acc[o], g[i], bcast32(blk + kWeights + 4 * (i * kChannels + o)));
      for (size_t o = 0; o < kChannels; ++o) acc[o] = requantize<kHalfAway>(acc[o], blk, o);
      // 128-bit lane L: channels 0-3 (resp. 4-7) x pixels 4L..4L+3, channel-major; transposed to
      // pixel-major, then interleaved into 8 bytes per pixel.
      const __m512i x =
          _mm512_shuffle_epi8(stage.pack16(stage.words(acc[0], acc[1]), stage.words(acc[2], acc[3])), transpose);
      const __m512i y =
          _mm512_shuffle_epi8(stage.pack16(stage.words(acc[4], acc[5]), stage.words(acc[6], acc[7])), transpose);
      const __m512i px01 = _mm512_unpacklo_epi32(x, y), px23 = _mm512_unpackhi_epi32(x, y);
      const __m512i o0 = _mm512_permutex2var_epi64(px01, first8, px23);  // pixels 0-7
      const __m512i o1 = _mm512_permutex2var_epi64(px01, last8, px23);   // pixels 8-15
      const size_t channels = std::min<size_t>(kChannels, oc - b * kChannels);
      if (oc == kChannels) {
        uint8_t* y0 = out + x0 * kChannels;
        if (n == 16) {
          _mm512_storeu_si512(y0, o0);
          _mm512_storeu_si512(y0 + 64, o1);
        } else {
          const size_t bytes = n * kChannels;
          _mm512_mask_storeu_epi8(y0, bytes >= 64 ? ~__mmask64{0} : (__mmask64{1} << bytes) - 1, o0);
          if (bytes > 64) _mm512_mask_storeu_epi8(y0 + 64, (__mmask64{1} << (bytes - 64)) - 1, o1);
        }
      } else {
        alignas(64) uint8_t tmp[128];
        _mm512_store_si512(tmp, o0);
        _mm512_store_si512(tmp + 64, o1);
        uint8_t* y0 = out + x0 * oc + b * kChannels;
        if (channels == kChannels) {
          for (size_t j = 0; j < n; ++j) std::memcpy(y0 + j * oc, tmp + 8 * j, 8);
        } else {
          for (size_t j = 0; j < n; ++j) std::memcpy(y0 + j * oc, tmp + 8 * j, channels);
        }
      }
    }
  }
}

}  // namespace

extern "C" EIR_DECLARE_QS8_CONV3X3S2C3_UKERNEL(eir_qs8_conv3x3s2c3_minmax_ukernel_16x8__avx512vnni) {
  const uint8_t* w = static_cast<const uint8_t*>(weights);
  if (params->input_u8) {
    if (params->round_half_away)
      run<true, true>(output_width, output_channels, input_width, pad_left, rows, w, output, params);
    else
      run<true, false>(output_width, output_channels, input_width, pad_left, rows, w, output, params);
  } else {
    if (params->round_half_away)
      run<false, true>(output_width, output_channels, input_width, pad_left, rows, w, output, params);
    else
      run<false, false>(output_width, output_channels, input_width, pad_left, rows, w, output, params);
  }
}
