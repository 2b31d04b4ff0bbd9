// NEON dot-product qs8 GEMM/IGEMM bodies (NR = 16, KR = 4, int8 weights), instantiated by the
// *-neondot.cc tile files. Per 8 k: each row's 8 activation bytes (XORed with a_xor) feed SDOT by
// lane against 2 x 4 vectors of 4 columns x 4 weights. Remainders of 4 and 1-3 bytes are read
// without going past kc.
#pragma once

#include "kernels/ukernels/qs8-gemm/neon-requant.h"

namespace eir::ukernel_qs8_neon {

template <int MR, class Rows>
inline void run_c4dot(size_t mr, size_t nc, size_t kc, size_t ks, const Rows& rows, const void* w_void, int8_t* c,
                      size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  constexpr size_t kNR = 16;
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
    int32x4_t acc[MR][4];
    for (int qd = 0; qd < 4; ++qd) {
      const int32x4_t b = vld1q_s32(reinterpret_cast<const int32_t*>(w) + 4 * qd);
      for (int i = 0; i < MR; ++i) acc[i][qd] = vaddq_s32(b, vdupq_n_s32(row_term[i]));
    }
    w += kNR * sizeof(int32_t);
    for (size_t p = 0; p < ks; ++p) {
      const int8_t* ap[MR];
      rows(p, ap);
      for (size_t k = 0; k < kc8; k += 8) {
        int8x16_t w0[4], w1[4];
        for (int qd = 0; qd < 4; ++qd) {
          w0[qd] = vld1q_s8(w + 16 * qd);
          w1[qd] = vld1q_s8(w + 64 + 16 * qd);
        }
        w += 128;
        for (int i = 0; i < MR; ++i) {
          const int8x8_t a = veor_s8(vld1_s8(ap[i] + k), vxor);
          for (int qd = 0; qd < 4; ++qd) {
            acc[i][qd] = vdotq_lane_s32(acc[i][qd], w0[qd], a, 0);
            acc[i][qd] = vdotq_lane_s32(acc[i][qd], w1[qd], a, 1);
          }
        }
      }
      if (krem != 0) {
        // One group of 4 (krem >= 4) and/or a last group of 1-3 bytes.
        const size_t groups = (krem + 3) / 4;
        for (size_t g = 0; g < groups; ++g) {
          int8x16_t wq[4];
          for (int qd = 0; qd < 4; ++qd) wq[qd] = vld1q_s8(w + 16 * qd);
          w += 64;
          const size_t off = kc8 + 4 * g;
          const size_t n = krem - 4 * g < 4 ? krem - 4 * g : 4;
          for (int i = 0; i < MR; ++i) {
            const int8x8_t a = veor_s8(load_partial8(ap[i] + off, n), vxor);
            for (int qd = 0; qd < 4; ++qd) acc[i][qd] = vdotq_lane_s32(acc[i][qd], wq[qd], a, 0);
          }
        }
      }
    }
    const int32_t* q = reinterpret_cast<const int32_t*>(w);
    w += 4 * kNR * sizeof(int32_t);
    Requant4 r[4];
    for (int qd = 0; qd < 4; ++qd) r[qd] = load_requant4(q, kNR, 4 * static_cast<size_t>(qd), tie_all);
    int8x16_t out[MR];
    for (int i = 0; i < MR; ++i) {
      const int8x8_t lo = narrow8(requantize4(acc[i][0], r[0], vzp, vmin, vmax), requantize4(acc[i][1], r[1], vzp, vmin, vmax));
      const int8x8_t hi = narrow8(requantize4(acc[i][2], r[2], vzp, vmin, vmax), requantize4(acc[i][3], r[3], vzp, vmin, vmax));
      out[i] = vcombine_s8(lo, hi);
    }
    if (nc >= kNR) {
      for (int i = MR - 1; i >= 0; --i) {
        vst1q_s8(cp[i], out[i]);
        cp[i] += kNR;
      }
      nc -= kNR;
      if (nc == 0) return;
    } else {
      for (int i = MR - 1; i >= 0; --i) {
        int8_t tmp[16];
        vst1q_s8(tmp, out[i]);
        for (size_t j = 0; j < nc; ++j) cp[i][j] = tmp[j];
      }
      return;
    }
  }
}

template <int MR>
inline void gemm_c4dot(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c,
                       size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t, const int8_t** ap) {
    ap[0] = a;
    for (int i = 1; i < MR; ++i) ap[i] = static_cast<size_t>(i) < mr ? ap[i - 1] + a_stride : ap[i - 1];
  };
  run_c4dot<MR>(mr, nc, kc, 1, rows, w, c, c_stride, row_terms, params);
}

template <int MR>
inline void igemm_c4dot(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c,
                        size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params) {
  auto rows = [&](size_t p, const int8_t** ap) {
    for (int i = 0; i < MR; ++i) ap[i] = a[p * MR + static_cast<size_t>(i)];
  };
  run_c4dot<MR>(mr, nc, kc, ks, rows, w, c, c_stride, row_terms, params);
}

}  // namespace eir::ukernel_qs8_neon
