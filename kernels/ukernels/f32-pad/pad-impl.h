// The padding microkernel body over a vector-operations type T (kernels/ukernels/common/
// f32-vec-<isa>.h), instantiated by the per-ISA files. A whole block of rows per call, so that
// short rows (a channel pad of 24 -> 28 floats) cost no per-row call.
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/channel-chunks.h"
#include "kernels/ukernels/f32-pad/f32-pad.h"

namespace eir::ukernel {
namespace {

template <class T>
inline void fill_floats(float* out, size_t n, typename T::V v) {
  constexpr size_t L = T::kLanes;
  for_each_channel_chunk<T>(n, [&](size_t i, auto u_tag, auto full_tag) {
    constexpr size_t U = decltype(u_tag)::value;
    constexpr bool kFull = decltype(full_tag)::value;
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(out + i + u * L, v, n - i);
  });
}

template <class T>
inline void pad_rows(size_t rows, size_t channels, size_t pre, size_t post, const float* input, size_t input_stride,
                     float* output, size_t output_stride, float value) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V v = T::set1(value);
  for (size_t r = 0; r < rows; ++r, input += input_stride, output += output_stride) {
    if (pre != 0) fill_floats<T>(output, pre, v);
    float* out = output + pre;
    for_each_channel_chunk<T>(channels, [&](size_t i, auto u_tag, auto full_tag) {
      constexpr size_t U = decltype(u_tag)::value;
      constexpr bool kFull = decltype(full_tag)::value;
      const size_t rem = channels - i;
      V x[U];
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) x[u] = load_chunk<T, kFull>(input + i + u * L, rem);
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(out + i + u * L, x[u], rem);
    });
    if (post != 0) fill_floats<T>(out + channels, post, v);
  }
}

}  // namespace
}  // namespace eir::ukernel
