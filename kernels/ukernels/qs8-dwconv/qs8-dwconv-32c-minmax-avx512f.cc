// AVX-512 qs8 depthwise kernel: 32-channel tiles as two zmm of 16 int32 accumulators. Tiles are
// the outer loop (bias and requantization constants set up once per tile), pixels the inner one.
// Each tap's bytes are zero- (uint8) or sign-extended (int8) to int32 lanes straight from memory
// and multiplied with VPMADDWD against i16x2 weights (exact products). Channel tails use
// byte-masked loads and stores.
#include "kernels/ukernels/qs8-dwconv/qs8-dwconv.h"
#include "kernels/ukernels/qs8-gemm/avx512-requant.h"

namespace {

constexpr size_t kCT = 32;

template <bool kU8>
inline __m512i widen(__m128i bytes) {
  return kU8 ? _mm512_cvtepu8_epi32(bytes) : _mm512_cvtepi8_epi32(bytes);
}

template <bool kU8, bool kHalfAway>
void run(size_t channels, size_t output_width, size_t ks, const int8_t* const* input, size_t input_stride,
         const void* weights, int8_t* output, const eir_qs8_gemm_params* params) {
  using namespace eir::ukernel_qs8_avx512;
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);
  const __m512i vmin = _mm512_set1_epi32(params->output_min), vmax = _mm512_set1_epi32(params->output_max);
  const Narrow narrow(params->output_max);
  const int32_t* tile = static_cast<const int32_t*>(weights);
  for (size_t c0 = 0; c0 < channels; c0 += kCT) {
    const size_t n = channels - c0 < kCT ? channels - c0 : kCT;
    const __mmask16 m0 = static_cast<__mmask16>(n >= 16 ? 0xFFFFu : (1u << n) - 1u);
    const __mmask16 m1 = static_cast<__mmask16>(n >= kCT ? 0xFFFFu : n > 16 ? (1u << (n - 16)) - 1u : 0u);
    const __mmask32 mout = static_cast<__mmask32>((uint64_t{1} << n) - 1);
    const __m512i b0 = _mm512_loadu_si512(tile), b1 = _mm512_loadu_si512(tile + 16);
    const int32_t* w = tile + kCT;
    const int32_t* q = w + ks * kCT;
    const Requant r0 = load_requant(q, kCT, 0), r1 = load_requant(q, kCT, 1);
    for (size_t p = 0; p < output_width; ++p) {
      const int8_t* const* taps = input + p * input_stride;
      __m512i acc0 = b0, acc1 = b1;
      if (n == kCT) {
        for (size_t k = 0; k < ks; ++k) {
          const int8_t* row = taps[k] + c0;
          acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(widen<kU8>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row))),
                                                          _mm512_loadu_si512(w + kCT * k)));
          acc1 = _mm512_add_epi32(
              acc1, _mm512_madd_epi16(widen<kU8>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 16))),
                                      _mm512_loadu_si512(w + kCT * k + 16)));
        }
      } else {
        for (size_t k = 0; k < ks; ++k) {
          const int8_t* row = taps[k] + c0;
          acc0 = _mm512_add_epi32(acc0,
                                  _mm512_madd_epi16(widen<kU8>(_mm_maskz_loadu_epi8(m0, row)), _mm512_loadu_si512(w + kCT * k)));
          acc1 = _mm512_add_epi32(acc1, _mm512_madd_epi16(widen<kU8>(_mm_maskz_loadu_epi8(m1, row + 16)),
                                                          _mm512_loadu_si512(w + kCT * k + 16)));
        }
      }
      __m512i v0 = _mm512_add_epi32(requantize<kHalfAway>(acc0, r0), vzp);
      __m512i v1 = _mm512_add_epi32(requantize<kHalfAway>(acc1, r1), vzp);
      v0 = _mm512_min_epi32(_mm512_max_epi32(v0, vmin), vmax);
      v1 = _mm512_min_epi32(_mm512_max_epi32(v1, vmin), vmax);
      int8_t* out = output + p * channels + c0;
      const __m256i bytes = narrow.bytes32(v0, v1);
      if (n == kCT)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), bytes);
      else
        _mm256_mask_storeu_epi8(out, mout, bytes);
    }
    tile = q + 4 * kCT;
  }
}

}  // namespace

extern "C" EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_32c__avx512f) {
  const bool u8 = params->a_xor != 0, away = params->round_half_away != 0;
  if (u8) {
    if (away) run<true, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run<true, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  } else {
    if (away) run<false, true>(channels, output_width, ks, input, input_stride, weights, output, params);
    else run<false, false>(channels, output_width, ks, input, input_stride, weights, output, params);
  }
}
