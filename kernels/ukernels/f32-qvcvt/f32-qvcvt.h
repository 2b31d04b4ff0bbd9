// float32 -> int8 / uint8 / int16 quantization the way TFLite's x86 QUANTIZE computes it
// (per-tensor scale):
//   r = double(x) / double(scale)                      (the division in double)
//   q = round(r), halves away from zero
//   q = int32(q), where out-of-range values and NaN give INT32_MIN (x86 cvttsd2si)
//   y = clamp(q + zero_point (int32 wraparound), out_min, out_max)
// Every variant gives the same bits as the reference QUANTIZE kernel for every input.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct eir_f32_qvcvt_params {
  double scale;
  int32_t zero_point;
  int32_t out_min, out_max;  // within the output type's range
};

typedef void (*eir_f32_qs8_vcvt_ukernel_fn)(size_t n, const float* x, int8_t* y, const eir_f32_qvcvt_params* p);
typedef void (*eir_f32_qu8_vcvt_ukernel_fn)(size_t n, const float* x, uint8_t* y, const eir_f32_qvcvt_params* p);
typedef void (*eir_f32_qs16_vcvt_ukernel_fn)(size_t n, const float* x, int16_t* y, const eir_f32_qvcvt_params* p);

#define EIR_DECLARE_F32_QVCVT_UKERNELS(isa)                                                                        \
  void eir_f32_qs8_vcvt_ukernel__##isa(size_t n, const float* x, int8_t* y, const eir_f32_qvcvt_params* p);   \
  void eir_f32_qu8_vcvt_ukernel__##isa(size_t n, const float* x, uint8_t* y, const eir_f32_qvcvt_params* p);  \
  void eir_f32_qs16_vcvt_ukernel__##isa(size_t n, const float* x, int16_t* y, const eir_f32_qvcvt_params* p)

EIR_DECLARE_F32_QVCVT_UKERNELS(scalar);
#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_QVCVT_UKERNELS(avx2);     // 8 per step: 2 x 4 doubles
EIR_DECLARE_F32_QVCVT_UKERNELS(avx512f);  // 16 per step: 2 x 8 doubles, masked tail
#endif

}  // extern "C"
