// f32 pooling microkernels (channels last) with a fused min/max clamp.
//
// maxpool / avgpool compute `output_width` consecutive output pixels of all `channels`; the
// window of pixel p is given, like the depthwise convolution's, by ks tap pointers
// input[p * input_stride + k], each to `channels` contiguous floats:
//   maxpool: output[p * channels + c] = clamp(max_k tap(p, k)[c])
//            (taps in the padding must point at a valid pixel of the same window: max is
//            idempotent, so repeating one changes nothing; TFLite ignores padding);
//   avgpool: output[p * channels + c] = clamp(sum_k tap(p, k)[c] / divisors[p])
//            (taps in the padding point at zeros; divisors[p] counts the valid taps only, as
//            TFLite's average excludes the padding).
// gavgpool (global average, MEAN over H and W): output[c] = clamp(sum_r row_r[c] / divisor),
// row r at input + r * input_stride (floats); rows are summed in order, as TFLite does.
//
// The max is taken as TFLite's: acc < v ? v : acc, so NaN inputs are skipped. Requirements:
// channels >= 1, output_width >= 1, ks >= 1, rows >= 1. Only [0, channels) of each pixel is read
// or written.
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/f32-minmax-params.h"

extern "C" {

typedef void (*eir_f32_maxpool_ukernel_fn)(size_t channels, size_t output_width, size_t ks, const float* const* input,
                                           size_t input_stride, float* output, const eir_f32_minmax_params* params);
typedef void (*eir_f32_avgpool_ukernel_fn)(size_t channels, size_t output_width, size_t ks, const float* const* input,
                                           size_t input_stride, const float* divisors, float* output,
                                           const eir_f32_minmax_params* params);
typedef void (*eir_f32_gavgpool_ukernel_fn)(size_t rows, size_t channels, const float* input, size_t input_stride,
                                            float divisor, float* output, const eir_f32_minmax_params* params);

#define EIR_DECLARE_F32_MAXPOOL_UKERNEL(name)                                                                \
  void name(size_t channels, size_t output_width, size_t ks, const float* const* input, size_t input_stride, \
            float* output, const eir_f32_minmax_params* params)
#define EIR_DECLARE_F32_AVGPOOL_UKERNEL(name)                                                                \
  void name(size_t channels, size_t output_width, size_t ks, const float* const* input, size_t input_stride, \
            const float* divisors, float* output, const eir_f32_minmax_params* params)
#define EIR_DECLARE_F32_GAVGPOOL_UKERNEL(name)                                                                   \
  void name(size_t rows, size_t channels, const float* input, size_t input_stride, float divisor, float* output, \
            const eir_f32_minmax_params* params)

// The "<n>c" tile is the channels one main-loop step handles (4 vectors).
EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_4c__scalar);
EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_4c__scalar);
EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_4c__scalar);

#if defined(__x86_64__) || defined(_M_X64)
EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_32c__avx2);
EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_32c__avx2);
EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_32c__avx2);
EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_64c__avx512f);
EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_64c__avx512f);
EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_64c__avx512f);
#endif

#if defined(__aarch64__)
EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_16c__neon);
EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_16c__neon);
EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_16c__neon);
#endif

}  // extern "C"
