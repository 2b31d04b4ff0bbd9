// IEEE binary16 -> binary32 conversion: y[i] = float(x[i]), exact for every input (NaN payloads
// kept quiet). Used to fold fp16 weights (DEQUANTIZE of a float16 constant) at load.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

typedef void (*eir_f16_f32_vcvt_ukernel_fn)(size_t n, const uint16_t* x, float* y);

#define EIR_DECLARE_F16_F32_VCVT_UKERNEL(name) void name(size_t n, const uint16_t* x, float* y)

EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__avx2);     // F16C VCVTPH2PS, 16 per step
EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__avx512f);  // 32 per step
#endif
#if defined(__aarch64__)
EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__neon);  // FCVTL (base ARMv8), 16 per step
#endif

}  // extern "C"
