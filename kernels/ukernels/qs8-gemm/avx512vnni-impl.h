// AVX-512 VNNI qs8 GEMM/IGEMM bodies (NR = 16 * J, KR = 4), instantiated by the *-avx512vnni.cc
// tile files. Each group of 4 k broadcasts 4 activation bytes per row (XORed with a_xor so that
// they read as unsigned a + 128, VPDPBUSD's unsigned operand) against J vectors of 16 columns x 4
// signed weights. A kc remainder of 1-3 bytes is read with a byte-masked load (never past kc).
// Requantization is exact: 64-bit products per lane (VPMULDQ on even and odd lanes), both
// roundings folded into one 64-bit add and shift (see Requant).
#pragma once

// GCC 12 warns that _mm512_undefined_epi32() (used inside many AVX-512 intrinsics) is
// uninitialized once inlined (GCC bug 105593, fixed in GCC 13): silence that false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/ukernels/qs8-gemm/avx512-requant.h"
#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8_avx512vnni {

inline __m512i load_bcast4(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm512_set1_epi32(v);
}

using ukernel_qs8_avx512::load_requant;
using ukernel_qs8_avx512::Requant;
using ukernel_qs8_avx512::requantize;

// A row's 16 * J output bytes.
template <int J>
struct OutBytes;
template <>
struct OutBytes<1> {
  using type = __m128i;
};
template <>
struct OutBytes<2> {
  using type = __m256i;
};

template <int MR>
inline void setup_rows(size_t mr, int8_t* c, size_t c_stride, int8_t** cp) {
  cp[0] = c;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// rows(p, ap) fills ap[0..MR) with the row pointers of tap p.
template <int MR, int J, bool kXor, bool kHalfAway, class Rows>
inline void run(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w_void, int8_t* c,
                size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  constexpr size_t kNR = 16 * J;
  int8_t* cp[MR];
  setup_rows<MR>(mr, c, c_stride, cp);
  __m512i vrow[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    vrow[i] = _mm512_set1_epi32(row_terms ? row_terms[static_cast<size_t>(i) < mr ? i : mr - 1] : 0);
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(params->a_xor));
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);
  const __m512i vmin = _mm512_set1_epi32(params->output_min);
  const __m512i vmax = _mm512_set1_epi32(params->output_max);
  const ukernel_qs8_avx512::Narrow narrow(params->output_max);
  const size_t kc4 = kc & ~size_t{3};
  const __mmask16 rem_mask = static_cast<__mmask16>((1u << (kc & 3)) - 1u);
  const uint8_t* w = static_cast<const uint8_t*>(w_void);
  for (;;) {
    __m512i acc[MR][J];
#pragma GCC unroll 4
    for (int j = 0; j < J; ++j) {
      const __m512i b = _mm512_loadu_si512(w + 64 * j);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) acc[i][j] = _mm512_add_epi32(b, vrow[i]);
    }
    w += 64 * J;
    for (size_t p = 0; p < ks; ++p) {
      const int8_t* ap[MR];
      rows(p, ap);
      size_t k = 0;
      if constexpr (MR == 1) {
        // One row: two k groups in flight on separate accumulators to hide VPDPBUSD latency.
        __m512i acc2[J];
#pragma GCC unroll 4
        for (int j = 0; j < J; ++j) acc2[j] = _mm512_setzero_si512();
        for (; k + 8 <= kc; k += 8) {
          __m512i a0 = load_bcast4(ap[0] + k), a1 = load_bcast4(ap[0] + k + 4);
          if constexpr (kXor) {
            a0 = _mm512_xor_si512(a0, vxor);
            a1 = _mm512_xor_si512(a1, vxor);
          }
#pragma GCC unroll 4
          for (int j = 0; j < J; ++j) {
            acc[0][j] = _mm512_dpbusd_epi32(acc[0][j], a0, _mm512_loadu_si512(w + 64 * j));
            acc2[j] = _mm512_dpbusd_epi32(acc2[j], a1, _mm512_loadu_si512(w + 64 * (J + j)));
          }
          w += 128 * J;
        }
#pragma GCC unroll 4
        for (int j = 0; j < J; ++j) acc[0][j] = _mm512_add_epi32(acc[0][j], acc2[j]);
      }
      for (; k < kc4; k += 4) {
        __m512i wv[J];
#pragma GCC unroll 4
        for (int j = 0; j < J; ++j) wv[j] = _mm512_loadu_si512(w + 64 * j);
        w += 64 * J;
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          __m512i av = load_bcast4(ap[i] + k);
          if constexpr (kXor) av = _mm512_xor_si512(av, vxor);
#pragma GCC unroll 4
          for (int j = 0; j < J; ++j) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], av, wv[j]);
        }
      }
      if (rem_mask != 0) {
        __m512i wv[J];
#pragma GCC unroll 4
        for (int j = 0; j < J; ++j) wv[j] = _mm512_loadu_si512(w + 64 * j);
        w += 64 * J;
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          __m512i av = _mm512_broadcastd_epi32(_mm_maskz_loadu_epi8(rem_mask, ap[i] + kc4));
          if constexpr (kXor) av = _mm512_xor_si512(av, vxor);
#pragma GCC unroll 4
          for (int j = 0; j < J; ++j) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], av, wv[j]);
        }
      }
    }
    // An empty asm that "modifies" every accumulator: without it GCC 12 splits their live ranges
    // across the k loop and copies all of them (plus spills) on every iteration.
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int j = 0; j < J; ++j) __asm__("" : "+v"(acc[i][j]));
    const int32_t* q = reinterpret_cast<const int32_t*>(w);
    w += 4 * kNR * sizeof(int32_t);
    // Each row's 16 * J output bytes: J = 2 as one 256-bit vector, J = 1 as one 128-bit one.
    static_assert(J == 1 || J == 2, "J = 1 or 2");
    using Out = typename OutBytes<J>::type;
    Out out[MR];
    Requant rq[J];
#pragma GCC unroll 4
    for (int j = 0; j < J; ++j) rq[j] = load_requant(q, kNR, static_cast<size_t>(j));
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m512i v[J];
#pragma GCC unroll 4
      for (int j = 0; j < J; ++j) {
        v[j] = _mm512_add_epi32(requantize<kHalfAway>(acc[i][j], rq[j]), vzp);
        v[j] = _mm512_min_epi32(_mm512_max_epi32(v[j], vmin), vmax);
      }
      if constexpr (J == 2)
        out[i] = narrow.bytes32(v[0], v[1]);
      else
        out[i] = narrow.bytes16(v[0]);
    }
    if (nc >= kNR) {
#pragma GCC unroll 16
      for (int i = MR - 1; i >= 0; --i) {
        if constexpr (J == 2)
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(cp[i]), out[i]);
        else
          _mm_storeu_si128(reinterpret_cast<__m128i*>(cp[i]), out[i]);
        cp[i] += kNR;
      }
      nc -= kNR;
      if (nc == 0) return;
    } else {
#pragma GCC unroll 16
      for (int i = MR - 1; i >= 0; --i) {
        if constexpr (J == 2)
          _mm256_mask_storeu_epi8(cp[i], static_cast<__mmask32>((uint64_t{1} << nc) - 1), out[i]);
        else
          _mm_mask_storeu_epi8(cp[i], static_cast<__mmask16>((1u << nc) - 1u), out[i]);
      }
      return;
    }
  }
}

// One instantiation per (A encoding, rounding mode): both are per-call constants.
template <int MR, int J, class Rows>
inline void dispatch(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w, int8_t* c,
                     size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  if (params->a_xor != 0) {
    if (params->round_half_away)
      run<MR, J, true, true>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
    else
      run<MR, J, true, false>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
  } else {
    if (params->round_half_away)
      run<MR, J, false, true>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
    else
      run<MR, J, false, false>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
  }
}

template <int MR, int J>
inline void gemm(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                 size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t, const int8_t** ap) {
    ap[0] = a;
#pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  };
  dispatch<MR, J>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

template <int MR, int J>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t p, const int8_t** ap) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) ap[i] = a[p * MR + static_cast<size_t>(i)];
  };
  dispatch<MR, J>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8_avx512vnni
