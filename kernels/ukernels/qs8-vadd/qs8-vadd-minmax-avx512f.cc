// AVX-512 qs8 ADD / SUB: 16 elements per step, widened to int32; each MBQM_SmallerThanOneExp is
// one 64-bit multiply, add and arithmetic shift per lane (both roundings folded, as in
// kernels/ukernels/qs8-gemm/avx512-requant.h, with no left shift). Masked loads / stores for
// the tail.
#include "kernels/ukernels/qs8-gemm/avx512-requant.h"
#include "kernels/ukernels/qs8-vadd/qs8-vadd.h"

namespace {

using eir::ukernel_qs8_avx512::Narrow;
using eir::ukernel_qs8_avx512::Requant;
using eir::ukernel_qs8_avx512::requantize;

// The requantization constants of one multiplier / right shift, for all 16 lanes.
Requant make_requant(int32_t mult, int32_t right) {
  alignas(64) int32_t q[4 * 16];
  for (int i = 0; i < 16; ++i) {
    q[i] = mult;
    q[16 + i] = 0;
    q[32 + i] = right;
    q[48 + i] = static_cast<int32_t>((uint32_t{1} << right) - 1u);
  }
  return eir::ukernel_qs8_avx512::load_requant(q, 16, 0);
}

template <bool kU8>
inline __m512i widen(__m128i bytes) {
  return kU8 ? _mm512_cvtepu8_epi32(bytes) : _mm512_cvtepi8_epi32(bytes);
}

template <bool kSub, bool kU8>
void run(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* y, const eir_qs8_vadd_params* p) {
  const Requant ra = make_requant(p->a_multiplier, p->a_right);
  const Requant rb = make_requant(p->b_multiplier, p->b_right);
  const Requant ro = make_requant(p->out_multiplier, p->out_right);
  const __m512i za = _mm512_set1_epi32(p->a_zero_point), zb = _mm512_set1_epi32(p->b_zero_point);
  const __m512i zo = _mm512_set1_epi32(p->output_zero_point);
  const __m512i lo = _mm512_set1_epi32(p->output_min), hi = _mm512_set1_epi32(p->output_max);
  const Narrow narrow(p->output_max);
  for (size_t i = 0; i < n; i += 16) {
    const size_t cnt = n - i < 16 ? n - i : 16;
    const __mmask16 m = static_cast<__mmask16>(cnt == 16 ? 0xFFFFu : (1u << cnt) - 1u);
    const __m512i xa = _mm512_slli_epi32(_mm512_sub_epi32(widen<kU8>(_mm_maskz_loadu_epi8(m, a + i)), za), 20);
    const __m512i xb = _mm512_slli_epi32(_mm512_sub_epi32(widen<kU8>(_mm_maskz_loadu_epi8(m, b + i)), zb), 20);
    const __m512i sa = requantize<true>(xa, ra), sb = requantize<true>(xb, rb);
    __m512i v = _mm512_add_epi32(requantize<true>(kSub ? _mm512_sub_epi32(sa, sb) : _mm512_add_epi32(sa, sb), ro), zo);
    v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
    _mm_mask_storeu_epi8(y + i, m, narrow.bytes16(v));
  }
}

template <bool kSub>
void dispatch(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* y, const eir_qs8_vadd_params* p) {
  if (p->u8)
    run<kSub, true>(n, a, b, y, p);
  else
    run<kSub, false>(n, a, b, y, p);
}

}  // namespace

extern "C" EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vadd_minmax_ukernel__avx512f) { dispatch<false>(n, a, b, y, params); }
extern "C" EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vsub_minmax_ukernel__avx512f) { dispatch<true>(n, a, b, y, params); }
