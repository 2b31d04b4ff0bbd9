// NEON qs8 GEMM/IGEMM bodies (NR = 8, KR = 8, int8 weights), instantiated by the *-neon.cc tile
// files. Per 8 k: each row's 8 activation bytes (XORed with a_xor) are multiplied with each
// column's 8 weights by SMULL (int16 products, exact for every int8 pair) and pairwise added into
// 4 int32 partial sums per column by SADALP; the partial sums are reduced with ADDP at the end.
// (SMLAL on two products could overflow int16 at -128 * -128 * 2, so it is not used.)
#pragma once

#include "kernels/ukernels/qs8-gemm/neon-requant.h"

namespace eir::ukernel_qs8_neon {

template <int MR, class Rows>
inline void run_c8(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w_void, int8_t* c,
                   size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  constexpr size_t kNR = 8;
  int8_t* cp[MR];
  setup_rows<MR>(mr, c, c_stride, cp);
  int32_t row_term[MR];
  for (int i = 0; i < MR; ++i) row_term[i] = row_terms ? row_terms[static_cast<size_t>(i) < mr ? i : mr - 1] : 0;
  const int8x8_t vxor = vdup_n_s8(static_cast<int8_t>(params->a_xor));
  const uint32x4_t tie_all = vdupq_n_u32(params->round_half_away ? 0xFFFFFFFFu : 0u);
  const int32x4_t vzp = vdupq_n_s32(params->output_zero_point);
  const int32x4_t vmin = vdupq_n_s32(params->output_min), vmax = vdupq_n_s32(params->output_max);
  const size_t kc8 = kc & ~size_t{7}, krem = kc & 7;
  const int8_t* w = static_cast<const int8_t*>(w_void);
  for (;;) {
    const int32x4_t bias0 = vld1q_s32(reinterpret_cast<const int32_t*>(w));
    const int32x4_t bias1 = vld1q_s32(reinterpret_cast<const int32_t*>(w) + 4);
    w += kNR * sizeof(int32_t);
    int32x4_t acc[MR][8];
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < 8; ++j) acc[i][j] = vdupq_n_s32(0);
    for (size_t p = 0; p < ks; ++p) {
      const int8_t* ap[MR];
      rows(p, ap);
      for (size_t k = 0; k < kc8 + (krem != 0 ? 8 : 0); k += 8) {
        int8x8_t wv[8];
        for (int j = 0; j < 8; ++j) wv[j] = vld1_s8(w + 8 * j);
        w += 64;
        for (int i = 0; i < MR; ++i) {
          const int8x8_t a = veor_s8(k < kc8 ? vld1_s8(ap[i] + k) : load_partial8(ap[i] + k, krem), vxor);
          for (int j = 0; j < 8; ++j) acc[i][j] = vpadalq_s16(acc[i][j], vmull_s8(a, wv[j]));
        }
      }
    }
    const int32_t* q = reinterpret_cast<const int32_t*>(w);
    w += 4 * kNR * sizeof(int32_t);
    const Requant4 r0 = load_requant4(q, kNR, 0, tie_all), r1 = load_requant4(q, kNR, 4, tie_all);
    int8x8_t out[MR];
    for (int i = 0; i < MR; ++i) {
      const int32x4_t rt = vdupq_n_s32(row_term[i]);
      const int32x4_t s0 = vpaddq_s32(vpaddq_s32(acc[i][0], acc[i][1]), vpaddq_s32(acc[i][2], acc[i][3]));
      const int32x4_t s1 = vpaddq_s32(vpaddq_s32(acc[i][4], acc[i][5]), vpaddq_s32(acc[i][6], acc[i][7]));
      out[i] = narrow8(requantize4(vaddq_s32(vaddq_s32(s0, bias0), rt), r0, vzp, vmin, vmax),
                       requantize4(vaddq_s32(vaddq_s32(s1, bias1), rt), r1, vzp, vmin, vmax));
    }
    if (nc >= kNR) {
      for (int i = MR - 1; i >= 0; --i) {
        vst1_s8(cp[i], out[i]);
        cp[i] += kNR;
      }
      nc -= kNR;
      if (nc == 0) return;
    } else {
      for (int i = MR - 1; i >= 0; --i) store_partial8(cp[i], out[i], nc);
      return;
    }
  }
}

template <int MR>
inline void gemm_c8(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                    size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t, const int8_t** ap) {
    ap[0] = a;
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  };
  run_c8<MR>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

template <int MR>
inline void igemm_c8(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                     size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t p, const int8_t** ap) {
    for (int i = 0; i < MR; ++i) ap[i] = a[p * MR + static_cast<size_t>(i)];
  };
  run_c8<MR>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8_neon
