// f32 padding microkernel (PAD / PADV2 along the innermost two dims).
//
// For each of `rows` rows: `pre` copies of `value`, the row's `channels` input floats, `post`
// copies of `value`. Row r reads input + r * input_stride and writes output + r * output_stride
// (strides in floats); output rows are pre + channels + post long. Any of pre, channels, post may
// be 0; rows >= 1.
//
// One file per ISA; "x<n>" is the floats one main-loop step copies (4 vectors).
#pragma once

#include <cstddef>

extern "C" {

typedef void (*eir_f32_pad_ukernel_fn)(size_t rows, size_t channels, size_t pre, size_t post, const float* input,
                                       size_t input_stride, float* output, size_t output_stride, float value);

#define EIR_DECLARE_F32_PAD_UKERNEL(name)                                                                   \
  void name(size_t rows, size_t channels, size_t pre, size_t post, const float* input, size_t input_stride, \
            float* output, size_t output_stride, float value)

EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x4__scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x32__avx2);
EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x64__avx512f);
#endif

#if defined(__aarch64__)
EIR_DECLARE_F32_PAD_UKERNEL(eir_f32_pad_ukernel_x16__neon);
#endif

}  // extern "C"
