// AVX-512 qs8 depthwise kernel body on tap pairs, instantiated by the 32-channel *-avx512f.cc
// (VPMADDWD + VPADDD) and *-avx512vnni.cc (VPDPWSSD) tile files.
//
// Taps are taken two at a time: the 32 bytes of tap 2p and of tap 2p + 1 are interleaved byte by
// byte (VPUNPCKLBW / VPUNPCKHBW) and widened to int16, so that each 32-bit lane holds one
// channel's (x_2p, x_2p+1); one multiply-add against the packed (w'_2p, w'_2p+1) int16 pairs
// then does two taps of 16 channels (exact: |x|, |w'| <= 255). An odd last tap pairs with
// itself against zero weights. The unpacks work within 128-bit lanes, so accumulator 0 holds
// channels 0-7 and 16-23 and accumulator 1 channels 8-15 and 24-31: the packer stores bias,
// weights and requantization constants in that lane order ("i16 pairs, 32-lane order" in
// qs8-dwconv.h) and the final narrowing puts the bytes back in channel order.
#pragma once

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/avx512-requant.h"

namespace eir::ukernel_qs8_dwconv_avx512 {

template <bool kU8>
inline __m512i widen16(__m256i bytes) {
  return kU8 ? _mm512_cvtepu8_epi16(bytes) : _mm512_cvtepi8_epi16(bytes);
}

template <bool kVnni>
inline __m512i mac_pairs(__m512i acc, __m512i x, __m512i w) {
  if constexpr (kVnni)
    return _mm512_dpwssd_epi32(acc, x, w);
  else
    return _mm512_add_epi32(acc, _mm512_madd_epi16(x, w));
}

template <bool kVnni, bool kU8, bool kHalfAway>
void run_pairs(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
               const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  using namespace eir::ukernel_qs8_avx512;
  constexpr size_t kCT = 32;
  const size_t pairs = (ks + 1) / 2;
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);
  const __m512i vmin = _mm512_set1_epi32(params->output_min), vmax = _mm512_set1_epi32(params->output_max);
  const Narrow narrow(params->output_max);
  // Packed dwords (see Narrow::bytes32): accumulator 0 lanes 0-3, 4-7 are channels 0-7 (dwords 0, 4),
  // accumulator 1 lanes 0-7 channels 8-15 (dwords 1, 5), then 16-23 (8, 12) and 24-31 (9, 13).
  const __m512i order = _mm512_setr_epi32(0, 4, 1, 5, 8, 12, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
  const int32_t* tile = static_cast<const int32_t*>(weights);
  for (size_t c0 = 0; c0 < channels; c0 += kCT) {
    const size_t n = channels - c0 < kCT ? channels - c0 : kCT;
    const __mmask32 m = static_cast<__mmask32>((uint64_t{1} << n) - 1);
    const __m512i b0 = _mm512_loadu_si512(tile), b1 = _mm512_loadu_si512(tile + 16);
    const int32_t* w = tile + kCT;
    const int32_t* q = w + pairs * kCT;
    const Requant r0 = load_requant(q, kCT, 0), r1 = load_requant(q, kCT, 1);
    for (size_t p = 0; p < output_width; ++p) {
      const int8_t* const* taps = input + p * input_stride;
      __m512i acc0 = b0, acc1 = b1;
      for (size_t t = 0; t < pairs; ++t) {
        const int8_t* ra = taps[2 * t] + c0;
        const int8_t* rb = 2 * t + 1 < ks ? taps[2 * t + 1] + c0 : ra;
        __m256i a, b;
        if (n == kCT) {
          a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ra));
          b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rb));
        } else {
          a = _mm256_maskz_loadu_epi8(m, ra);
          b = _mm256_maskz_loadu_epi8(m, rb);
        }
        const __m512i x0 = widen16<kU8>(_mm256_unpacklo_epi8(a, b));
        const __m512i x1 = widen16<kU8>(_mm256_unpackhi_epi8(a, b));
        acc0 = mac_pairs<kVnni>(acc0, x0, _mm512_loadu_si512(w + kCT * t));
        acc1 = mac_pairs<kVnni>(acc1, x1, _mm512_loadu_si512(w + kCT * t + 16));
      }
      __m512i v0 = _mm512_add_epi32(requantize<kHalfAway>(acc0, r0), vzp);
      __m512i v1 = _mm512_add_epi32(requantize<kHalfAway>(acc1, r1), vzp);
      v0 = _mm512_min_epi32(_mm512_max_epi32(v0, vmin), vmax);
      v1 = _mm512_min_epi32(_mm512_max_epi32(v1, vmin), vmax);
      const __m256i bytes = narrow.bytes32(v0, v1, order);
      int8_t* out = output + p * channels + c0;
      if (n == kCT)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), bytes);
      else
        _mm256_mask_storeu_epi8(out, m, bytes);
    }
    tile = q + 4 * kCT;
  }
}

template <bool kVnni>
void dispatch_pairs(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
                    const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  const bool u8 = params->a_xor != 0, away = params->round_half_away != 0;
  if (u8) {
    if (away) run_pairs<kVnni, true, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run_pairs<kVnni, true, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  } else {
    if (away) run_pairs<kVnni, false, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run_pairs<kVnni, false, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  }
}

}  // namespace eir::ukernel_qs8_dwconv_avx512
