// AVX-512 VNNI bodies of the 3x3 depthwise row kernels (qs8-dwconv.h, "column quads"),
// instantiated by qs8-dwconv3x3s{1,2}-16c-minmax-avx512vnni.cc.
//
// Per 16-lane block, output pixels run left to right over a sliding window of three column
// quads held in registers: each step builds one new quad (stride 1) or two (stride 2) and reuses
// the others. Building a quad of 16 channels: the 16 bytes of each of the 4 rows are gathered
// into one vector with VPERMT2D so that 128-bit lane j holds dword j (channels 4j..4j+3) of every
// row, then VPSHUFB transposes each lane's 4x4 bytes into (r0, r1, r2, r3) per channel. At stride
// 1 one quad serves both output rows (weights (w0, w1, w2, 0) and (0, w0, w1, w2)), so the
// transposition costs half a quad per output pixel.
//
// Requantization: TFLite's, ties of the final shift away from zero (its depthwise kernels; up
// where the clamp makes that the same, params->round_half_away), from the packed "requant64"
// constants (avx512-requant64.h); the clamp happens on the way to bytes.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/avx512-requant64.h"

// The helpers and lambdas below must be inlined: out of line, their vector structs go through
// memory (GCC outlines some of them once a file holds many instantiations).
#define EIR_DW3X3_INLINE __attribute__((always_inline))

namespace eir::ukernel_qs8_dw3x3_avx512vnni {

using namespace eir::qs8_dw3x3;

EIR_DW3X3_INLINE inline __m512i load_at(const uint8_t* block, size_t offset) {
  return _mm512_loadu_si512(block + offset);
}

using ukernel_qs8_avx512::ByteStage;
using ukernel_qs8_avx512::requantize64;

// Requantization (ties away from zero, TFLite's depthwise kernels, or up where that is the same)
// and the output stage of two vectors: the result's 128-bit lane 0 holds a's 16 bytes, lane 1 b's.
template <bool kSimple, bool kHalfAway>
struct OutputStage {
  ByteStage<kSimple> stage;
  __m512i order;
  explicit OutputStage(const eir_qs8_dwconv3x3_params* p)
      : stage(p->output_zero_point, p->output_min, p->output_max),
        order(_mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15)) {}
  EIR_DW3X3_INLINE __m512i requantize(__m512i acc, const uint8_t* q) const {
    return requantize64<kSimple, kHalfAway>(acc, q);
  }
  EIR_DW3X3_INLINE __m512i bytes(__m512i a, __m512i b) const {
    // In each 128-bit lane L: a's lanes 4L..4L+3 (dword 0) and b's (dword 1), twice.
    const __m512i w = stage.words(a, b);
    return _mm512_permutexvar_epi32(order, stage.pack16(w, w));
  }
};

// Interleaves 16 bytes of each of four rows into column quads: y01 = (r0 | r1), y23 = (r2 | r3).
EIR_DW3X3_INLINE inline __m512i quads(__m256i y01, __m256i y23) {
  const __m512i gather = _mm512_setr_epi32(0, 4, 16, 20, 1, 5, 17, 21, 2, 6, 18, 22, 3, 7, 19, 23);
  const __m512i transpose =
      _mm512_set4_epi32(0x0F0B0703, 0x0E0A0602, 0x0D090501, 0x0C080400);  // bytes 0 4 8 12 1 5 9 13 ...
  const __m512i t = _mm512_permutex2var_epi32(_mm512_castsi256_si512(y01), gather, _mm512_castsi256_si512(y23));
  return _mm512_shuffle_epi8(t, transpose);
}

EIR_DW3X3_INLINE inline __m256i pair_rows(__m128i a, __m128i b) {
  return _mm256_inserti128_si256(_mm256_castsi128_si256(a), b, 1);
}

// Reads the 16 bytes at offset `off` of each row (n < 16: only the first n, the rest zero).
template <size_t R>
EIR_DW3X3_INLINE inline __m512i build(const uint8_t* const* rows, size_t off, __mmask16 m, bool full, __m512i vxor) {
  __m128i r[4];
  for (size_t i = 0; i < 4; ++i) {
    if (i < R)
      r[i] = full ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[i] + off))
                  : _mm_maskz_loadu_epi8(m, rows[i] + off);
    else
      r[i] = _mm_setzero_si128();
  }
  return _mm512_xor_si512(quads(pair_rows(r[0], r[1]), pair_rows(r[2], r[3])), vxor);
}

// The same for a column pair (c, c + 1) of an 8-channel tensor whose columns may lie outside
// [0, width): those read the zero point (masked loads: the bytes of a column outside the row are
// neither read nor faulted on; the address is formed in integers, as it may precede the row).
EIR_DW3X3_INLINE inline __m512i build_pair_edge(const uint8_t* const* rows, ptrdiff_t c, size_t width, uint8_t zero,
                                                __m512i vxor) {
  const ptrdiff_t w = static_cast<ptrdiff_t>(width);
  const __mmask16 m =
      static_cast<__mmask16>((c >= 0 && c < w ? 0x00FFu : 0u) | (c + 1 >= 0 && c + 1 < w ? 0xFF00u : 0u));
  const __m128i fill = _mm_set1_epi8(static_cast<char>(zero));
  __m128i r[4];
  for (size_t i = 0; i < 4; ++i) {
    const uint8_t* p =
        reinterpret_cast<const uint8_t*>(reinterpret_cast<uintptr_t>(rows[i]) + static_cast<uintptr_t>(c * 8));
    r[i] = _mm_mask_loadu_epi8(fill, m, p);
  }
  return _mm512_xor_si512(quads(pair_rows(r[0], r[1]), pair_rows(r[2], r[3])), vxor);
}

// One column quad and, for uint8, its correction sums x * (128 - zw) over the rows each output
// row uses (row y: r0..r2, row y + 1: r1..r3), computed once per column and reused by the three
// pixels that read it.
struct Column {
  __m512i q, ta, tb;
};

// kSecond: the second output row's sums too (stride 1).
template <bool kU8, bool kSecond = true>
EIR_DW3X3_INLINE inline Column make_column(__m512i q, __m512i ca, __m512i cb) {
  Column c{q, _mm512_setzero_si512(), _mm512_setzero_si512()};
  if constexpr (kU8) {
    c.ta = _mm512_dpbusd_epi32(c.ta, q, ca);
    if constexpr (kSecond) c.tb = _mm512_dpbusd_epi32(c.tb, q, cb);
  }
  return c;
}

// bias (+ for uint8 the three columns' correction sums, then) + the three columns' products.
template <bool kU8>
EIR_DW3X3_INLINE inline __m512i mac3(__m512i bias, const Column& c0, const Column& c1, const Column& c2,
                                     const __m512i* w, bool second) {
  __m512i acc = bias;
  if constexpr (kU8) {
    acc = second ? _mm512_add_epi32(_mm512_add_epi32(bias, c0.tb), _mm512_add_epi32(c1.tb, c2.tb))
                 : _mm512_add_epi32(_mm512_add_epi32(bias, c0.ta), _mm512_add_epi32(c1.ta, c2.ta));
  }
  acc = _mm512_dpbusd_epi32(acc, c0.q, w[0]);
  acc = _mm512_dpbusd_epi32(acc, c1.q, w[1]);
  return _mm512_dpbusd_epi32(acc, c2.q, w[2]);
}

// The constants of one 16-lane block.
struct Block {
  __m512i bias, wa[3], wb[3], ca, cb;
  const uint8_t* rq;  // requant64 section
  explicit Block(const uint8_t* w)
      : bias(load_at(w, kBias)),
        wa{load_at(w, kWeightsA), load_at(w, kWeightsA + 64), load_at(w, kWeightsA + 128)},
        wb{load_at(w, kWeightsB), load_at(w, kWeightsB + 64), load_at(w, kWeightsB + 128)},
        ca(load_at(w, kCorrectA)),
        cb(load_at(w, kCorrectB)),
        rq(w + kRequant) {}
};

// Stride 1, blocks of 16 channels (the last one masked). The main loop takes two pixels whose new
// columns lie inside the row (no bounds checks, two independent chains in one basic block); the
// edges take the checked single-pixel loop.
template <bool kU8, bool kSimple, bool kHalfAway>
void s1_blocks(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
               const uint8_t* w, uint8_t* out0, uint8_t* out1, const eir_qs8_dwconv3x3_params* p) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(kU8 ? 0 : 0x80));
  const __m512i zq = _mm512_xor_si512(_mm512_set1_epi8(static_cast<char>(p->zero_byte)), vxor);
  const OutputStage<kSimple, kHalfAway> stage(p);
  const ptrdiff_t first = -static_cast<ptrdiff_t>(pad_left), width = static_cast<ptrdiff_t>(in_w);
  for (size_t c0 = 0; c0 < channels; c0 += kLanes, w += kBlockBytes) {
    const size_t n = channels - c0 < kLanes ? channels - c0 : kLanes;
    const bool full = n == kLanes;
    const __mmask16 m = static_cast<__mmask16>((1u << n) - 1u);
    const Block k(w);
    const Column zc = make_column<kU8>(zq, k.ca, k.cb);
    auto unchecked = [&](ptrdiff_t col) EIR_DW3X3_INLINE {
      return make_column<kU8>(build<4>(rows, static_cast<size_t>(col) * channels + c0, m, full, vxor), k.ca, k.cb);
    };
    auto checked = [&](ptrdiff_t col) EIR_DW3X3_INLINE { return col < 0 || col >= width ? zc : unchecked(col); };
    auto loop = [&](auto two_rows) EIR_DW3X3_INLINE {
      constexpr bool kTwo = decltype(two_rows)::value;
      auto pixel = [&](size_t x, const Column& a, const Column& b, const Column& c) EIR_DW3X3_INLINE {
        const __m512i ra = stage.requantize(mac3<kU8>(k.bias, a, b, c, k.wa, false), k.rq);
        const __m512i rb = kTwo ? stage.requantize(mac3<kU8>(k.bias, a, b, c, k.wb, true), k.rq) : ra;
        const __m512i bytes = stage.bytes(ra, rb);
        uint8_t* y0 = out0 + x * channels + c0;
        if (full) {
          _mm_storeu_si128(reinterpret_cast<__m128i*>(y0), _mm512_castsi512_si128(bytes));
          if (kTwo)
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out1 + x * channels + c0), _mm512_extracti32x4_epi32(bytes, 1));
        } else {
          _mm_mask_storeu_epi8(y0, m, _mm512_castsi512_si128(bytes));
          if (kTwo) _mm_mask_storeu_epi8(out1 + x * channels + c0, m, _mm512_extracti32x4_epi32(bytes, 1));
        }
      };
      Column q0 = checked(first), q1 = checked(first + 1);
      size_t x = 0;
      if (first + 2 >= 0) {
        for (; x + 1 < out_w && first + static_cast<ptrdiff_t>(x) + 3 < width; x += 2) {
          const ptrdiff_t c = first + static_cast<ptrdiff_t>(x);
          const Column q2 = unchecked(c + 2), q3 = unchecked(c + 3);
          pixel(x, q0, q1, q2);
          pixel(x + 1, q1, q2, q3);
          q0 = q2;
          q1 = q3;
        }
      }
      for (; x < out_w; ++x) {
        const Column q2 = checked(first + static_cast<ptrdiff_t>(x) + 2);
        pixel(x, q0, q1, q2);
        q0 = q1;
        q1 = q2;
      }
    };
    if (out1 != nullptr)
      loop(std::true_type{});
    else
      loop(std::false_type{});
  }
}

// Stride 1, 8 channels as pixel pairs: a vector holds pixels x (lanes 0-7) and x + 1 (lanes 8-15);
// quad vector P(c) holds the quads of columns c and c + 1, so pixels (x, x + 1) read P(x - pad),
// P(x - pad + 1) (the high half of the first and the low half of the next) and P(x - pad + 2).
template <bool kU8, bool kSimple, bool kHalfAway>
void s1_pairs(size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows, const uint8_t* w, uint8_t* out0,
              uint8_t* out1, const eir_qs8_dwconv3x3_params* p) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(kU8 ? 0 : 0x80));
  const OutputStage<kSimple, kHalfAway> stage(p);
  const Block k(w);
  const ptrdiff_t first = -static_cast<ptrdiff_t>(pad_left), width = static_cast<ptrdiff_t>(in_w);
  auto unchecked = [&](ptrdiff_t c) EIR_DW3X3_INLINE {
    return make_column<kU8>(build<4>(rows, static_cast<size_t>(c) * 8, 0xFFFF, true, vxor), k.ca, k.cb);
  };
  auto checked = [&](ptrdiff_t c) EIR_DW3X3_INLINE {
    if (c >= 0 && c + 1 < width) return unchecked(c);
    return make_column<kU8>(build_pair_edge(rows, c, in_w, p->zero_byte, vxor), k.ca, k.cb);
  };
  // The columns (c + 1, c + 2) from P(c) and P(c + 2).
  auto middle = [](const Column& a, const Column& b) EIR_DW3X3_INLINE {
    constexpr int kSel = _MM_SHUFFLE(1, 0, 3, 2);
    return Column{_mm512_shuffle_i64x2(a.q, b.q, kSel), _mm512_shuffle_i64x2(a.ta, b.ta, kSel),
                  _mm512_shuffle_i64x2(a.tb, b.tb, kSel)};
  };
  auto loop = [&](auto two_rows) EIR_DW3X3_INLINE {
    constexpr bool kTwo = decltype(two_rows)::value;
    auto pair = [&](size_t x, const Column& a, const Column& c) EIR_DW3X3_INLINE {
      const Column b = middle(a, c);
      const __m512i ra = stage.requantize(mac3<kU8>(k.bias, a, b, c, k.wa, false), k.rq);
      const __m512i rb = kTwo ? stage.requantize(mac3<kU8>(k.bias, a, b, c, k.wb, true), k.rq) : ra;
      const __m512i bytes = stage.bytes(ra, rb);
      if (x + 1 < out_w) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out0 + 8 * x), _mm512_castsi512_si128(bytes));
        if (kTwo) _mm_storeu_si128(reinterpret_cast<__m128i*>(out1 + 8 * x), _mm512_extracti32x4_epi32(bytes, 1));
      } else {
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out0 + 8 * x), _mm512_castsi512_si128(bytes));
        if (kTwo) _mm_storel_epi64(reinterpret_cast<__m128i*>(out1 + 8 * x), _mm512_extracti32x4_epi32(bytes, 1));
      }
    };
    Column q0 = checked(first);
    size_t x = 0;
    if (first + 2 >= 0) {
      // Two pairs (four pixels) per step, all columns inside.
      for (; x + 3 < out_w && first + static_cast<ptrdiff_t>(x) + 5 < width; x += 4) {
        const ptrdiff_t c = first + static_cast<ptrdiff_t>(x);
        const Column q2 = unchecked(c + 2), q4 = unchecked(c + 4);
        pair(x, q0, q2);
        pair(x + 2, q2, q4);
        q0 = q4;
      }
    }
    for (; x < out_w; x += 2) {
      const Column q2 = checked(first + static_cast<ptrdiff_t>(x) + 2);
      pair(x, q0, q2);
      q0 = q2;
    }
  };
  if (out1 != nullptr)
    loop(std::true_type{});
  else
    loop(std::false_type{});
}

// Stride 2, blocks of 16 channels: three rows, quads (r0, r1, r2, 0); two new columns per pixel.
template <bool kU8, bool kSimple, bool kHalfAway>
void s2_blocks(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
               const uint8_t* w, uint8_t* out0, const eir_qs8_dwconv3x3_params* p) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(kU8 ? 0 : 0x80));
  const __m512i zq = _mm512_xor_si512(_mm512_set1_epi8(static_cast<char>(p->zero_byte)), vxor);
  const OutputStage<kSimple, kHalfAway> stage(p);
  const ptrdiff_t first = -static_cast<ptrdiff_t>(pad_left), width = static_cast<ptrdiff_t>(in_w);
  for (size_t c0 = 0; c0 < channels; c0 += kLanes, w += kBlockBytes) {
    const size_t n = channels - c0 < kLanes ? channels - c0 : kLanes;
    const bool full = n == kLanes;
    const __mmask16 m = static_cast<__mmask16>((1u << n) - 1u);
    const Block k(w);
    const Column zc = make_column<kU8, false>(zq, k.ca, k.cb);
    auto unchecked = [&](ptrdiff_t col) EIR_DW3X3_INLINE {
      return make_column<kU8, false>(build<3>(rows, static_cast<size_t>(col) * channels + c0, m, full, vxor), k.ca,
                                     k.cb);
    };
    auto checked = [&](ptrdiff_t col) EIR_DW3X3_INLINE { return col < 0 || col >= width ? zc : unchecked(col); };
    auto store = [&](uint8_t* y, __m128i v) EIR_DW3X3_INLINE {
      if (full)
        _mm_storeu_si128(reinterpret_cast<__m128i*>(y), v);
      else
        _mm_mask_storeu_epi8(y, m, v);
    };
    Column q0 = checked(first);
    size_t x = 0;
    if (first + 1 >= 0) {
      for (; x + 1 < out_w && first + 2 * static_cast<ptrdiff_t>(x) + 4 < width; x += 2) {
        const ptrdiff_t c = first + 2 * static_cast<ptrdiff_t>(x);
        const Column q1 = unchecked(c + 1), q2 = unchecked(c + 2), q3 = unchecked(c + 3), q4 = unchecked(c + 4);
        const __m512i a = stage.requantize(mac3<kU8>(k.bias, q0, q1, q2, k.wa, false), k.rq);
        const __m512i b = stage.requantize(mac3<kU8>(k.bias, q2, q3, q4, k.wa, false), k.rq);
        const __m512i bytes = stage.bytes(a, b);
        uint8_t* y = out0 + x * channels + c0;
        store(y, _mm512_castsi512_si128(bytes));
        store(y + channels, _mm512_extracti32x4_epi32(bytes, 1));
        q0 = q4;
      }
    }
    for (; x < out_w; ++x) {
      const ptrdiff_t c = first + 2 * static_cast<ptrdiff_t>(x);
      const Column q1 = checked(c + 1), q2 = checked(c + 2);
      const __m512i a = stage.requantize(mac3<kU8>(k.bias, q0, q1, q2, k.wa, false), k.rq);
      store(out0 + x * channels + c0, _mm512_castsi512_si128(stage.bytes(a, a)));
      q0 = q2;
    }
  }
}

template <bool kU8, bool kSimple, bool kHalfAway>
void run_s1(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows, const void* w,
            uint8_t* out0, uint8_t* out1, const eir_qs8_dwconv3x3_params* p) {
  const uint8_t* packed = static_cast<const uint8_t*>(w);
  if (p->pixel_pairs)
    s1_pairs<kU8, kSimple, kHalfAway>(out_w, in_w, pad_left, rows, packed, out0, out1, p);
  else
    s1_blocks<kU8, kSimple, kHalfAway>(channels, out_w, in_w, pad_left, rows, packed, out0, out1, p);
}

template <bool kU8, bool kSimple>
inline void s1_rounding(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
                        const void* w, uint8_t* out0, uint8_t* out1, const eir_qs8_dwconv3x3_params* p) {
  if (p->round_half_away)
    run_s1<kU8, kSimple, true>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
  else
    run_s1<kU8, kSimple, false>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
}

inline void dispatch_s1(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
                        const void* w, uint8_t* out0, uint8_t* out1, const eir_qs8_dwconv3x3_params* p) {
  if (p->input_u8) {
    if (p->simple_shift)
      s1_rounding<true, true>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
    else
      s1_rounding<true, false>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
  } else {
    if (p->simple_shift)
      s1_rounding<false, true>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
    else
      s1_rounding<false, false>(channels, out_w, in_w, pad_left, rows, w, out0, out1, p);
  }
}

template <bool kU8, bool kSimple>
inline void s2_rounding(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
                        const uint8_t* w, uint8_t* out0, const eir_qs8_dwconv3x3_params* p) {
  if (p->round_half_away)
    s2_blocks<kU8, kSimple, true>(channels, out_w, in_w, pad_left, rows, w, out0, p);
  else
    s2_blocks<kU8, kSimple, false>(channels, out_w, in_w, pad_left, rows, w, out0, p);
}

inline void dispatch_s2(size_t channels, size_t out_w, size_t in_w, size_t pad_left, const uint8_t* const* rows,
                        const void* w, uint8_t* out0, const eir_qs8_dwconv3x3_params* p) {
  const uint8_t* packed = static_cast<const uint8_t*>(w);
  if (p->input_u8) {
    if (p->simple_shift)
      s2_rounding<true, true>(channels, out_w, in_w, pad_left, rows, packed, out0, p);
    else
      s2_rounding<true, false>(channels, out_w, in_w, pad_left, rows, packed, out0, p);
  } else {
    if (p->simple_shift)
      s2_rounding<false, true>(channels, out_w, in_w, pad_left, rows, packed, out0, p);
    else
      s2_rounding<false, false>(channels, out_w, in_w, pad_left, rows, packed, out0, p);
  }
}

}  // namespace eir::ukernel_qs8_dw3x3_avx512vnni
