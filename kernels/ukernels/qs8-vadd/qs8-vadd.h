// 8-bit quantized elementwise ADD / SUB microkernels, bit-exact with TFLite's integer arithmetic
// (kernels/reference/elementwise_quantized.cc, the 8-bit "general" path):
//   s_i = MBQM_SmallerThanOneExp((x_i - zp_i) << 20, mult_i, -right_i)     i = a, b
//   y   = clamp(MBQM_SmallerThanOneExp(s_a +- s_b, out_mult, -out_right) + out_zp, min, max)
// where MBQM_SmallerThanOneExp(v, m, -r) = RoundingDivideByPOT(SRDHM(v, m), r): a doubling high
// multiply rounding ties up, then a shift by r rounding ties away from zero. No value can wrap:
// |x - zp| <= 255, so every intermediate stays far below 2^31.
// Inputs and output are n bytes each (uint8 or int8, all the same type: params->u8).
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct eir_qs8_vadd_params {
  int32_t a_zero_point, b_zero_point;    // raw stored zero points
  int32_t a_multiplier, b_multiplier;    // Q0.31 significands (TFLite QuantizeMultiplier)
  int32_t a_right, b_right;              // right shifts, 0..31
  int32_t out_multiplier, out_right;
  int32_t output_zero_point, output_min, output_max;
  uint8_t u8;                            // 1: uint8 tensors, 0: int8
};

typedef void (*eir_qs8_vadd_ukernel_fn)(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* y,
                                        const eir_qs8_vadd_params* params);

#define EIR_DECLARE_QS8_VADD_UKERNEL(name) \
  void name(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* y, const eir_qs8_vadd_params* params)

// Portable C++ (always built).
EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vadd_minmax_ukernel__scalar);
EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vsub_minmax_ukernel__scalar);

#if defined(__x86_64__) || defined(_M_X64)
// AVX-512 (F + BW + VL): 16 elements per step, masked tail.
EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vadd_minmax_ukernel__avx512f);
EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vsub_minmax_ukernel__avx512f);
#endif

}  // extern "C"
