// Pooling microkernel bodies over a vector-operations type T (kernels/ukernels/common/
// f32-vec-<isa>.h), instantiated by the per-ISA files. Each output pixel walks its channels in
// chunks of 4 vectors (4 independent accumulator chains), then single vectors, then a masked tail.
#pragma once

#include <cfloat>
#include <cstddef>

#include "kernels/ukernels/common/channel-chunks.h"
#include "kernels/ukernels/f32-pool/f32-pool.h"

namespace eir::ukernel {
namespace {

template <class T>
inline void maxpool(size_t channels, size_t output_width, size_t ks, const float* const* input, size_t input_stride,
                    float* output, const eir_f32_minmax_params* params) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V vmin = T::set1(params->min), vmax = T::set1(params->max);
  for (size_t p = 0; p < output_width; ++p, input += input_stride, output += channels) {
    for_each_channel_chunk<T>(channels, [&](size_t c, auto u_tag, auto full_tag) {
      constexpr size_t U = decltype(u_tag)::value;
      constexpr bool kFull = decltype(full_tag)::value;
      const size_t rem = channels - c;
      // From the lowest float, as TFLite, so that a NaN tap is skipped even when it comes first.
      V acc[U];
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) acc[u] = T::set1(-FLT_MAX);
      for (size_t k = 0; k < ks; ++k) {
        const float* ip = input[k] + c;
#pragma GCC unroll 4
        for (size_t u = 0; u < U; ++u) acc[u] = T::max_into(acc[u], load_chunk<T, kFull>(ip + u * L, rem));
      }
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(output + c + u * L, T::clamp(acc[u], vmin, vmax), rem);
    });
  }
}

template <class T>
inline void avgpool(size_t channels, size_t output_width, size_t ks, const float* const* input, size_t input_stride,
                    const float* divisors, float* output, const eir_f32_minmax_params* params) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V vmin = T::set1(params->min), vmax = T::set1(params->max);
  for (size_t p = 0; p < output_width; ++p, input += input_stride, output += channels) {
    const V vdiv = T::set1(divisors[p]);
    for_each_channel_chunk<T>(channels, [&](size_t c, auto u_tag, auto full_tag) {
      constexpr size_t U = decltype(u_tag)::value;
      constexpr bool kFull = decltype(full_tag)::value;
      const size_t rem = channels - c;
      V acc[U];
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) acc[u] = T::zero();
      for (size_t k = 0; k < ks; ++k) {
        const float* ip = input[k] + c;
#pragma GCC unroll 4
        for (size_t u = 0; u < U; ++u) acc[u] = T::add(acc[u], load_chunk<T, kFull>(ip + u * L, rem));
      }
      // A division (not a multiplication by 1/count) gives TFLite's sum / count exactly.
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u)
        store_chunk<T, kFull>(output + c + u * L, T::clamp(T::div(acc[u], vdiv), vmin, vmax), rem);
    });
  }
}

template <class T>
inline void gavgpool(size_t rows, size_t channels, const float* input, size_t input_stride, float divisor,
                     float* output, const eir_f32_minmax_params* params) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V vmin = T::set1(params->min), vmax = T::set1(params->max), vdiv = T::set1(divisor);
  for_each_channel_chunk<T>(channels, [&](size_t c, auto u_tag, auto full_tag) {
    constexpr size_t U = decltype(u_tag)::value;
    constexpr bool kFull = decltype(full_tag)::value;
    const size_t rem = channels - c;
    V acc[U];
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) acc[u] = T::zero();
    const float* ip = input + c;
    for (size_t r = 0; r < rows; ++r, ip += input_stride) {
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) acc[u] = T::add(acc[u], load_chunk<T, kFull>(ip + u * L, rem));
    }
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u)
      store_chunk<T, kFull>(output + c + u * L, T::clamp(T::div(acc[u], vdiv), vmin, vmax), rem);
  });
}

}  // namespace
}  // namespace eir::ukernel
