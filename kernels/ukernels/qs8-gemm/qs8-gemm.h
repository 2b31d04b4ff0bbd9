// 8-bit quantized GEMM / IGEMM microkernels with TFLite-exact requantization.
//
// One kernel family serves int8 and uint8 tensors. Everything is computed in a "canonical" signed
// domain: an activation byte x becomes a = x (int8) or a = x - 128 (uint8), a weight likewise;
// uint8 is int8 with 128 added to every value and zero point. For each output (row r, column n):
//
//   acc[r][n] = bias'[n] + row_term[r] + sum_k native(a[r][k]) * b[k][n]            (int32, wrapping)
//   out[r][n] = clamp(requantize(acc, mult[n], shift[n]) + output_zero_point, out_min, out_max)
//
// where the packer (kernels/fast/qs8_gemm_driver.h) folds into bias' every term that does not
// depend on the activations: the zero-point products and the kernel's own activation encoding
// (`native`: the AVX-512 VNNI kernels multiply unsigned activation bytes, a + 128, so the packer
// subtracts 128 * sum_k b). row_term carries what does depend on them: -zb * sum_k a[r][k] when
// the weights have a nonzero (canonical) zero point zb (uint8 weights with a zero point other than
// 128, int8 per-tensor weights with one other than 0), computed by the driver with the rsum
// kernels declared below; row_terms is null otherwise.
//
// Bytes of A are XORed with params->a_xor as they are loaded: 0x80 turns uint8 into the int8
// encoding and back, so each kernel reads both input types at no cost beyond one XOR.
//
// Requantization is exactly TFLite's integer arithmetic (kernels/reference/quant_utils.h):
//   high = floor(((acc << left) * mult + 2^30) / 2^31)    (left shift wraps in 32 bits; this is
//                                                           SaturatingRoundingDoublingHighMul,
//                                                           which rounds ties up)
//   out  = high / 2^right rounded to nearest, ties away from zero (params->round_half_away = 1,
//          TFLite's RoundingDivideByPOT) or ties up (0, ruy's x86 kernels).
// The sum is wrapped to 32 bits, as TFLite's int32 accumulators; the output zero point add
// wraps too, and the clamp bounds are in the output type's range, so the 8 low bits of the
// clamped value are the output byte for int8 and uint8 outputs alike.
//
// Packed weights, one block per NR output columns (columns past N are zero):
//   int32 bias'[NR]
//   ks taps x round_up(kc, KR) / KR groups x NR columns x KR weights   (KR consecutive k of one
//        column together; element type int8, or int16 for kernels that say so; kernels may also
//        permute the NR columns inside a block, see Qs8GemmVariant in kernels/configs)
//   int32 multiplier[NR], left_shift[NR], right_shift[NR], round_mask[NR] (= 2^right_shift - 1)
//   or, for kernels that take the "requant64" form, NR / 16 sections of eir::qs8_requant64.
//
// GEMM:  row r of A at a + r * a_stride bytes, K = kc.
// IGEMM: A through an indirection buffer: for each of the ks taps, MR row pointers to kc bytes;
//        K = ks * kc (each tap's kc is padded to KR in the packed weights). Rows past mr must
//        still hold valid pointers (drivers repeat the last row).
// Kernels never read A past kc bytes of a row pointer. C rows at c + r * c_stride bytes; rows
// past mr are not written. Requires mr >= 1, nc >= 1; kc may be 0.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct eir_qs8_gemm_params {
  int32_t output_zero_point;
  int32_t output_min;  // clamp bounds, within the output type's range
  int32_t output_max;
  uint8_t a_xor;            // XOR applied to every activation byte (0 or 0x80)
  uint8_t round_half_away;  // 1: TFLite RoundingDivideByPOT; 0: ruy x86 (ties round up)
  // Kernels with the "requant64" packed form only (see eir::qs8_requant64 below): 1 when the
  // packer found every column's shift simple (no left shift, right shift >= 1).
  uint8_t simple_shift;
};

typedef void (*eir_qs8_gemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
                                        const void* w, int8_t* c, size_t c_stride, const int32_t* row_terms,
                                        const eir_qs8_gemm_params* params);
typedef void (*eir_qs8_igemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a,
                                         const void* w, int8_t* c, size_t c_stride, const int32_t* row_terms,
                                         const eir_qs8_gemm_params* params);

// Row sums for the row terms: out[r] = scale * sum_k (int8)(a[r * a_stride + k] ^ a_xor), for
// r < rows, K = k (all modulo 2^32). Reads exactly k bytes of each row.
typedef void (*eir_qs8_rsum_ukernel_fn)(size_t rows, size_t k, const uint8_t* a, size_t a_stride, uint8_t a_xor,
                                        int32_t scale, int32_t* out);
#define EIR_DECLARE_QS8_RSUM_UKERNEL(name)                                                              \
  void name(size_t rows, size_t k, const uint8_t* a, size_t a_stride, uint8_t a_xor, int32_t scale, \
            int32_t* out)

#define EIR_DECLARE_QS8_GEMM_UKERNEL(name)                                                                  \
  void name(size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride, const void* w, int8_t* c, \
            size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params)
#define EIR_DECLARE_QS8_IGEMM_UKERNEL(name)                                                               \
  void name(size_t mr, size_t nc, size_t kc, size_t ks, const int8_t* const* a, const void* w, int8_t* c, \
            size_t c_stride, const int32_t* row_terms, const eir_qs8_gemm_params* params)

// Portable C++ (always built): NR = 4, KR = 1, int8 weights.
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x4__scalar);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_4x4__scalar);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_4x4__scalar);
EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__scalar);

#if defined(__x86_64__) || defined(_M_X64)
// AVX2: NR = 8, KR = 8, int16 weights (sign-extended at pack time), columns of a block stored in
// the order 0 4 1 5 2 6 3 7; VPMADDWD on sign-extended activations.
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x8c8__avx2);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_3x8c8__avx2);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_3x8c8__avx2);
EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__avx2);
// AVX-512 (F + BW + VL): row sums only.
EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__avx512f);
// AVX-512 VNNI: KR = 4, int8 weights, VPDPBUSD on unsigned activation bytes (a + 128); the
// "requant64" constants. These also take mr > MR: rows in tiles of MR (the IGEMM's indirection
// buffer tile after tile, as the drivers lay it out), one call for many tiles.
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x32c4__avx512vnni);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_8x32c4__avx512vnni);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x16c4__avx512vnni);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_8x16c4__avx512vnni);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_8x16c4__avx512vnni);
#endif

#if defined(__aarch64__)
// NEON: NR = 8, KR = 8, int8 weights; SMULL + SADALP (exact for every int8 pair).
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x8c8__neon);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_2x8c8__neon);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_2x8c8__neon);
EIR_DECLARE_QS8_RSUM_UKERNEL(eir_qs8_rsum_ukernel__neon);
// NEON dot product: NR = 16, KR = 4, int8 weights; SDOT.
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x16c4__neondot);
EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_4x16c4__neondot);
EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_4x16c4__neondot);
#endif

}  // extern "C"

// The "requant64" form of a block's requantization constants (AVX-512 kernels): for each 16
// columns (lanes), 576 bytes holding the arithmetic above ready for 64-bit lanes. With P the
// 64-bit product of a lane's (left-shifted) accumulator and its multiplier, r its right shift:
//   out = floor((P + round - [P < 0] * tie) / 2^(31 + r))    (tie only when ties go away)
// round = 2^30 + 2^(30 + r) (2^30 when r = 0) folds both roundings into one shift; ties away from
// zero subtract tie = 2^31 (r > 0) for negative products (P < 0 and h < 0 differ only where
// h = 0, which rounds the same either way, since multipliers are 0 or >= 2^30). In the simple
// form (params->simple_shift: no left shift, r >= 1) the odd lanes shift by r - 1 instead, so that
// their result lands in the high half of the 64-bit lane, and |result| <= 2^30.
namespace eir::qs8_requant64 {
constexpr size_t kMultEven = 0;    // int32[16]: multipliers (VPMULDQ reads the even lanes)
constexpr size_t kMultOdd = 64;    // int64[8]: the odd lanes' multipliers
constexpr size_t kRoundEven = 128;  // int64[8]
constexpr size_t kRoundOdd = 192;   // int64[8]
constexpr size_t kShiftEven = 256;  // int64[8]: 31 + r
constexpr size_t kShiftOdd = 320;   // int64[8]: r - 1 (simple form) or 31 + r
constexpr size_t kTieEven = 384;    // int64[8]: 2^31 where r > 0, else 0
constexpr size_t kTieOdd = 448;     // int64[8]
constexpr size_t kLeft = 512;       // int32[16]: left shifts
constexpr size_t kBytes = 576;
}  // namespace eir::qs8_requant64

