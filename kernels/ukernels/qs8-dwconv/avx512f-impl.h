// AVX-512 qs8 depthwise kernel body, instantiated by the *-avx512f.cc tile files: tiles of 16 * J
// channels as J zmm of 16 int32 accumulators (J = 1 or 2). Tiles are the outer loop (bias and
// requantization constants set up once per tile), pixels the inner one.
// Each tap's bytes are zero- (uint8) or sign-extended (int8) to int32 lanes straight from memory
// and multiplied with VPMADDWD against i16x2 weights (exact products). Channel tails use
// byte-masked loads and stores.
#pragma once

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/avx512-requant.h"

namespace eir::ukernel_qs8_dwconv_avx512 {

template <bool kU8>
inline __m512i widen(__m128i bytes) {
  return kU8 ? _mm512_cvtepu8_epi32(bytes) : _mm512_cvtepi8_epi32(bytes);
}

template <size_t J, bool kU8, bool kHalfAway>
void run(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
         const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  using namespace eir::ukernel_qs8_avx512;
  constexpr size_t kCT = 16 * J;
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);
  const __m512i vmin = _mm512_set1_epi32(params->output_min), vmax = _mm512_set1_epi32(params->output_max);
  const Narrow narrow(params->output_max);
  const int32_t* tile = static_cast<const int32_t*>(weights);
  for (size_t c0 = 0; c0 < channels; c0 += kCT) {
    const size_t n = channels - c0 < kCT ? channels - c0 : kCT;
    __mmask16 m[J];
    for (size_t j = 0; j < J; ++j) {
      const size_t lo = 16 * j, cnt = n > lo ? (n - lo < 16 ? n - lo : 16) : 0;
      m[j] = static_cast<__mmask16>(cnt == 16 ? 0xFFFFu : (1u << cnt) - 1u);
    }
    __m512i b[J];
    Requant r[J];
    const int32_t* w = tile + kCT;
    const int32_t* q = w + ks * kCT;
    for (size_t j = 0; j < J; ++j) {
      b[j] = _mm512_loadu_si512(tile + 16 * j);
      r[j] = load_requant(q, kCT, j);
    }
    for (size_t p = 0; p < output_width; ++p) {
      const int8_t* const* taps = input + p * input_stride;
      __m512i acc[J];
      for (size_t j = 0; j < J; ++j) acc[j] = b[j];
      if (n == kCT) {
        for (size_t k = 0; k < ks; ++k) {
          const int8_t* row = taps[k] + c0;
          for (size_t j = 0; j < J; ++j)
            acc[j] = _mm512_add_epi32(
                acc[j], _mm512_madd_epi16(widen<kU8>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 16 * j))),
                                          _mm512_loadu_si512(w + kCT * k + 16 * j)));
        }
      } else {
        for (size_t k = 0; k < ks; ++k) {
          const int8_t* row = taps[k] + c0;
          for (size_t j = 0; j < J; ++j)
            acc[j] = _mm512_add_epi32(acc[j], _mm512_madd_epi16(widen<kU8>(_mm_maskz_loadu_epi8(m[j], row + 16 * j)),
                                                                _mm512_loadu_si512(w + kCT * k + 16 * j)));
        }
      }
      __m512i v[J];
      for (size_t j = 0; j < J; ++j) {
        v[j] = _mm512_add_epi32(requantize<kHalfAway>(acc[j], r[j]), vzp);
        v[j] = _mm512_min_epi32(_mm512_max_epi32(v[j], vmin), vmax);
      }
      int8_t* out = output + p * channels + c0;
      if constexpr (J == 2) {
        const __m256i bytes = narrow.bytes32(v[0], v[1]);
        if (n == kCT)
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), bytes);
        else
          _mm256_mask_storeu_epi8(out, static_cast<__mmask32>((uint64_t{1} << n) - 1), bytes);
      } else {
        _mm_mask_storeu_epi8(out, m[0], narrow.bytes16(v[0]));
      }
    }
    tile = q + 4 * kCT;
  }
}

template <size_t J>
void dispatch(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
              const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  const bool u8 = params->a_xor != 0, away = params->round_half_away != 0;
  if (u8) {
    if (away) run<J, true, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run<J, true, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  } else {
    if (away) run<J, false, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run<J, false, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  }
}

}  // namespace eir::ukernel_qs8_dwconv_avx512
