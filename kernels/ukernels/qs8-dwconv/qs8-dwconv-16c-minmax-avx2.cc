// AVX2 qs8 depthwise kernel: 16-channel tiles as two ymm of 8 int32 accumulators. Each tap's
// bytes are zero- (uint8) or sign-extended (int8) to int32 lanes and multiplied with VPMADDWD
// against i16x2 weights (an int16 w' and a zero upper half per lane), so every product is exact.
// A channel tail is loaded through a small buffer (never past `channels`).
#include <immintrin.h>

#include <cstring>

#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/avx2-impl.h"

namespace {

constexpr size_t kCT = 16;

template <bool kU8>
inline __m256i widen8(__m128i bytes) {
  return kU8 ? _mm256_cvtepu8_epi32(bytes) : _mm256_cvtepi8_epi32(bytes);
}

template <bool kU8>
void run(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
         const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  const __m256i tie = _mm256_set1_epi32(params->round_half_away ? -1 : 0);
  const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);
  const __m256i vmin = _mm256_set1_epi32(params->output_min), vmax = _mm256_set1_epi32(params->output_max);
  // The low byte of each 32-bit lane to bytes 0-3 of each 128-bit lane.
  const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12,
                                        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const int32_t* tile = static_cast<const int32_t*>(weights);
  // Tiles outer (bias and constants once per tile), pixels inner.
  for (size_t c0 = 0; c0 < channels; c0 += kCT) {
    const size_t n = channels - c0 < kCT ? channels - c0 : kCT;
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile + 8));
    const int32_t* w = tile + kCT;
    const int32_t* q = w + ks * kCT;
    for (size_t p = 0; p < output_width; ++p) {
      const int8_t* const* taps = input + p * input_stride;
      __m256i acc0 = b0, acc1 = b1;
      for (size_t k = 0; k < ks; ++k) {
        __m128i a;
        if (n == kCT) {
          a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(taps[k] + c0));
        } else {
          alignas(16) int8_t buf[kCT] = {};
          std::memcpy(buf, taps[k] + c0, n);
          a = _mm_load_si128(reinterpret_cast<const __m128i*>(buf));
        }
        const int32_t* wk = w + kCT * k;
        acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(widen8<kU8>(a), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wk))));
        acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(widen8<kU8>(_mm_srli_si128(a, 8)),
                                                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wk + 8))));
      }
      __m256i v0 = _mm256_add_epi32(eir::ukernel_qs8_avx2::requantize(acc0, q, tie, kCT), vzp);
      __m256i v1 = _mm256_add_epi32(eir::ukernel_qs8_avx2::requantize(acc1, q + 8, tie, kCT), vzp);
      v0 = _mm256_shuffle_epi8(_mm256_min_epi32(_mm256_max_epi32(v0, vmin), vmax), pick);
      v1 = _mm256_shuffle_epi8(_mm256_min_epi32(_mm256_max_epi32(v1, vmin), vmax), pick);
      const __m128i lo = _mm_unpacklo_epi32(_mm256_castsi256_si128(v0), _mm256_extracti128_si256(v0, 1));
      const __m128i hi = _mm_unpacklo_epi32(_mm256_castsi256_si128(v1), _mm256_extracti128_si256(v1, 1));
      const __m128i bytes = _mm_unpacklo_epi64(lo, hi);  // clamped: truncation is exact
      int8_t* out = output + p * channels + c0;
      if (n == kCT) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
      } else {
        alignas(16) int8_t buf[kCT];
        _mm_store_si128(reinterpret_cast<__m128i*>(buf), bytes);
        std::memcpy(out, buf, n);
      }
    }
    tile = q + 4 * kCT;
  }
}

}  // namespace

extern "C" EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_16c__avx2) {
  if (params->a_xor != 0)
    run<true>(channels, output_width, ks, input, input_stride, weights, output, params);
  else
    run<false>(channels, output_width, ks, input, input_stride, weights, output, params);
}
