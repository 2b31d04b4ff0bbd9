// AVX-512 VNNI qs8 GEMM/IGEMM bodies (NR = 16 * J, KR = 4), instantiated by the *-avx512vnni.cc
// tile files. Each group of 4 k broadcasts 4 activation bytes per row (XORed with a_xor so that
// they read as unsigned a + 128, VPDPBUSD's unsigned operand) against J vectors of 16 columns x 4
// signed weights. A kc remainder of 1-3 bytes is read with a byte-masked load (never past kc).
// Requantization is exact, from the block's "requant64" constants (avx512-requant64.h); the
// output stage packs two rows (J = 2) or four (J = 1) into one vector of bytes, clamps them there
// and stores each row's bytes.
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

#include "kernels/ukernels/qs8-gemm/avx512-requant64.h"
#include "kernels/ukernels/qs8-gemm/qs8-gemm.h"

namespace eir::ukernel_qs8_avx512vnni {

inline __m512i load_bcast4(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm512_set1_epi32(v);
}

using ukernel_qs8_avx512::ByteStage;
using ukernel_qs8_avx512::bytes4_order;
using ukernel_qs8_avx512::requantize64;

// The 16 * J output bytes of a row from `bytes` (bytes4's result in row order), part `part`.
template <int J>
inline void store_row(int8_t* c, __m512i bytes, int part, size_t nc) {
  constexpr size_t kNR = 16 * J;
  if constexpr (J == 2) {
    const __m256i v = part == 0 ? _mm512_castsi512_si256(bytes) : _mm512_extracti64x4_epi64(bytes, 1);
    if (nc >= kNR)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(c), v);
    else
      _mm256_mask_storeu_epi8(c, static_cast<__mmask32>((uint64_t{1} << nc) - 1), v);
  } else {
    const __m128i v = part == 0   ? _mm512_castsi512_si128(bytes)
                      : part == 1 ? _mm512_extracti32x4_epi32(bytes, 1)
                      : part == 2 ? _mm512_extracti32x4_epi32(bytes, 2)
                                  : _mm512_extracti32x4_epi32(bytes, 3);
    if (nc >= kNR)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(c), v);
    else
      _mm_mask_storeu_epi8(c, static_cast<__mmask16>((1u << nc) - 1u), v);
  }
}

template <int MR>
inline void setup_rows(size_t mr, int8_t* c, size_t c_stride, int8_t** cp) {
  cp[0] = c;
#pragma GCC unroll 16
  for (int i = 1; i < MR; ++i) cp[i] = static_cast<size_t>(i) < mr ? cp[i - 1] + c_stride : cp[i - 1];
}

// One tile of mr <= MR rows, every column block. rows(p, ap) fills ap[0..MR) with the row pointers
// of tap p.
template <int MR, int J, bool kXor, bool kHalfAway, bool kSimple, class Rows>
__attribute__((always_inline)) inline void tile(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows,
                                                const void* w_void, int8_t* c, size_t c_stride,
                                                const int32_t* row_terms, const ByteStage<kSimple>& stage,
                                                __m512i order, __m512i vxor) {
  constexpr size_t kNR = 16 * J;
  int8_t* cp[MR];
  setup_rows<MR>(mr, c, c_stride, cp);
  __m512i vrow[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
    vrow[i] = _mm512_set1_epi32(row_terms ? row_terms[static_cast<size_t>(i) < mr ? i : mr - 1] : 0);
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
    const uint8_t* q = w;
    w += J * qs8_requant64::kBytes;
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int j = 0; j < J; ++j)
        acc[i][j] = requantize64<kSimple, kHalfAway>(acc[i][j], q + j * qs8_requant64::kBytes);
    static_assert(J == 1 || J == 2, "J = 1 or 2");
    // Rows past mr repeat the last row's pointer (setup_rows): storing them again is harmless.
    // Rows of exactly kNR bytes one after the other (N = NR, every row real): one 64-byte store
    // per vector of rows.
    const bool packed_rows = nc == kNR && c_stride == kNR && mr == static_cast<size_t>(MR);
    if constexpr (J == 2) {
#pragma GCC unroll 8
      for (int i = 0; i < MR; i += 2) {
        const int i1 = i + 1 < MR ? i + 1 : i;
        const __m512i bytes =
            _mm512_permutexvar_epi32(order, stage.bytes4(acc[i][0], acc[i][1], acc[i1][0], acc[i1][1]));
        if (packed_rows && i1 != i) {
          _mm512_storeu_si512(cp[i], bytes);
          continue;
        }
        store_row<J>(cp[i], bytes, 0, nc);
        if (i1 != i) store_row<J>(cp[i1], bytes, 1, nc);
      }
    } else {
#pragma GCC unroll 4
      for (int i = 0; i < MR; i += 4) {
        const int i1 = i + 1 < MR ? i + 1 : i, i2 = i + 2 < MR ? i + 2 : i, i3 = i + 3 < MR ? i + 3 : i;
        const __m512i bytes =
            _mm512_permutexvar_epi32(order, stage.bytes4(acc[i][0], acc[i1][0], acc[i2][0], acc[i3][0]));
        if (packed_rows && i3 == i + 3) {
          _mm512_storeu_si512(cp[i], bytes);
          continue;
        }
        store_row<J>(cp[i], bytes, 0, nc);
        if (i1 != i) store_row<J>(cp[i1], bytes, 1, nc);
        if (i2 != i) store_row<J>(cp[i2], bytes, 2, nc);
        if (i3 != i) store_row<J>(cp[i3], bytes, 3, nc);
      }
    }
    if (nc <= kNR) return;
    nc -= kNR;
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) cp[i] += kNR;
  }
}

// m rows (any number) in tiles of MR, the per-call setup done once. rows(t, mr, p, ap) fills
// ap[0..MR) with the row pointers of tap p of tile t (mr real rows; the rest repeat the last).
template <int MR, int J, bool kXor, bool kHalfAway, bool kSimple, class Rows>
inline void run(size_t m, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w, int8_t* c,
                size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  const __m512i vxor = _mm512_set1_epi8(static_cast<char>(params->a_xor));
  const ByteStage<kSimple> stage(params->output_zero_point, params->output_min, params->output_max);
  const __m512i order = bytes4_order();
  for (size_t m0 = 0, t = 0; m0 < m; m0 += MR, ++t) {
    const size_t mr = m - m0 < static_cast<size_t>(MR) ? m - m0 : static_cast<size_t>(MR);
    auto tile_rows = [&](size_t p, const int8_t** ap) __attribute__((always_inline)) { rows(t, mr, p, ap); };
    tile<MR, J, kXor, kHalfAway, kSimple>(mr, nc, kc, ks, tile_rows, w, c + m0 * c_stride, c_stride,
                                          row_terms ? row_terms + m0 : nullptr, stage, order, vxor);
  }
}

// One instantiation per (A encoding, rounding mode, requantization form): per-call constants.
template <int MR, int J, bool kXor, class Rows>
inline void dispatch_rounding(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w, int8_t* c,
                              size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  if (params->round_half_away) {
    if (params->simple_shift)
      run<MR, J, kXor, true, true>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
    else
      run<MR, J, kXor, true, false>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
  } else {
    if (params->simple_shift)
      run<MR, J, kXor, false, true>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
    else
      run<MR, J, kXor, false, false>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
  }
}

template <int MR, int J, class Rows>
inline void dispatch(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w, int8_t* c,
                     size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  if (params->a_xor != 0)
    dispatch_rounding<MR, J, true>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
  else
    dispatch_rounding<MR, J, false>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

// mr: any number of rows (see qs8-gemm.h: the VNNI kernels take m > MR in tiles).
template <int MR, int J>
inline void gemm(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                 size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t t, size_t rows_in_tile, size_t, const int8_t** ap) __attribute__((always_inline)) {
    ap[0] = a + t * MR * a_stride;
#pragma GCC unroll 16
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < rows_in_tile ? ap[i - 1] + a_stride : ap[i - 1];
  };
  dispatch<MR, J>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

// The indirection buffer holds ks x MR pointers per tile, tile after tile.
template <int MR, int J>
inline void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                  size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t t, size_t, size_t p, const int8_t** ap) __attribute__((always_inline)) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) ap[i] = a[(t * ks + p) * MR + static_cast<size_t>(i)];
  };
  dispatch<MR, J>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8_avx512vnni
