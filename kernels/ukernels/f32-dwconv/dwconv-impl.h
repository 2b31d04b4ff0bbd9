// The depthwise convolution microkernel bodies, written once over a vector-operations type T
// (kernels/ukernels/common/f32-vec-<isa>.h) and instantiated by the per-ISA files.
//
// Both walk each channel tile (U vectors of T::kLanes channels) over the row's pixels in blocks
// of P, each pixel with its own accumulators: P * U independent FMA chains hide the FMA latency.
//  - dwconv_taps (any ks): tap by tap, one weight load per P FMAs and one pointer plus one input
//    load per FMA.
//  - dwconv_window (KxK filter, stride S, shared-column indirection): a block's P pixels read
//    only (P - 1) * S + K input columns per filter row; each column is loaded once and multiplied
//    by the K weights of that filter row held in registers, into every pixel whose window holds
//    it. For 3x3 stride 1 that is 10 input loads for 24 FMAs instead of 24.
#pragma once

#include <cstddef>

#include "kernels/ukernels/f32-dwconv/f32-dwconv.h"

namespace eir::ukernel {
namespace {

// `rem` floats remain in this tile from p on: a full vector, a masked tail, or nothing.
template <class T>
inline typename T::V dw_load_part(const float* p, ptrdiff_t rem) {
  if (rem >= static_cast<ptrdiff_t>(T::kLanes)) return T::loadu(p);
  if (rem <= 0) return T::zero();
  return T::load_tail(p, static_cast<size_t>(rem));
}

template <class T>
inline void dw_store_part(float* p, typename T::V v, ptrdiff_t rem) {
  if (rem >= static_cast<ptrdiff_t>(T::kLanes)) {
    T::storeu(p, v);
  } else if (rem > 0) {
    T::store_tail(p, v, static_cast<size_t>(rem));
  }
}

// ---- any filter: ks tap pointers per pixel ----

// P pixels of one channel tile. kFull: the tile has all its CT channels (no masking).
template <class T, size_t U, size_t P, bool kFull>
inline void dwconv_block(size_t taps, const float* const* in, size_t input_stride, size_t c, size_t nc, const float* w,
                         float* out, size_t channels, typename T::V vmin, typename T::V vmax) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes, CT = U * L;
  V acc[P][U];
#pragma GCC unroll 8
  for (size_t u = 0; u < U; ++u) {
    const V b = T::loadu(w + u * L);
#pragma GCC unroll 8
    for (size_t p = 0; p < P; ++p) acc[p][u] = b;
  }
  const float* wk = w + CT;
  auto tap = [&](size_t k) {
    V wv[U];
#pragma GCC unroll 8
    for (size_t u = 0; u < U; ++u) wv[u] = T::loadu(wk + k * CT + u * L);
#pragma GCC unroll 8
    for (size_t p = 0; p < P; ++p) {
      const float* ip = in[p * input_stride + k] + c;
#pragma GCC unroll 8
      for (size_t u = 0; u < U; ++u) {
        const V x = kFull ? T::loadu(ip + u * L) : dw_load_part<T>(ip + u * L, static_cast<ptrdiff_t>(nc - u * L));
        acc[p][u] = T::fma(x, wv[u], acc[p][u]);
      }
    }
  };
  for (size_t k = 0; k < taps; ++k) tap(k);
#pragma GCC unroll 8
  for (size_t p = 0; p < P; ++p) {
    float* o = out + p * channels;
#pragma GCC unroll 8
    for (size_t u = 0; u < U; ++u) {
      const V v = T::clamp(acc[p][u], vmin, vmax);
      if (kFull) {
        T::storeu(o + u * L, v);
      } else {
        dw_store_part<T>(o + u * L, v, static_cast<ptrdiff_t>(nc - u * L));
      }
    }
  }
}

// All output pixels of one channel tile: blocks of P, then of 4, 2 and 1 for the rest.
template <class T, size_t U, size_t P, bool kFull>
inline void dwconv_tile(size_t taps, size_t output_width, const float* const* in, size_t input_stride, size_t c,
                        size_t nc, const float* w, float* out, size_t channels, typename T::V vmin,
                        typename T::V vmax) {
  static_assert(P == 1 || P == 2 || P == 4 || P == 8, "pixel block must be 1, 2, 4 or 8");
  size_t x = output_width;
  for (; x >= P; x -= P) {
    dwconv_block<T, U, P, kFull>(taps, in, input_stride, c, nc, w, out, channels, vmin, vmax);
    in += P * input_stride;
    out += P * channels;
  }
  if constexpr (P > 4) {
    if (x >= 4) {
      dwconv_block<T, U, 4, kFull>(taps, in, input_stride, c, nc, w, out, channels, vmin, vmax);
      in += 4 * input_stride;
      out += 4 * channels;
      x -= 4;
    }
  }
  if constexpr (P > 2) {
    if (x >= 2) {
      dwconv_block<T, U, 2, kFull>(taps, in, input_stride, c, nc, w, out, channels, vmin, vmax);
      in += 2 * input_stride;
      out += 2 * channels;
      x -= 2;
    }
  }
  if constexpr (P > 1) {
    if (x != 0) dwconv_block<T, U, 1, kFull>(taps, in, input_stride, c, nc, w, out, channels, vmin, vmax);
  }
}

// U: vectors per channel tile; P: pixels per block.
template <class T, size_t U, size_t P>
inline void dwconv_taps(size_t channels, size_t output_width, size_t taps, const float* const* input,
                        size_t input_stride, const float* weights, float* output, const eir_f32_minmax_params* params) {
  constexpr size_t CT = U * T::kLanes;
  const typename T::V vmin = T::set1(params->min), vmax = T::set1(params->max);
  const size_t tile_floats = (taps + 1) * CT;
  for (size_t c = 0; c < channels; c += CT, weights += tile_floats) {
    const size_t nc = channels - c;
    if (nc >= CT) {
      dwconv_tile<T, U, P, true>(taps, output_width, input, input_stride, c, CT, weights, output + c, channels, vmin,
                                 vmax);
    } else {
      dwconv_tile<T, U, P, false>(taps, output_width, input, input_stride, c, nc, weights, output + c, channels, vmin,
                                  vmax);
    }
  }
}

// ---- KxK window, stride S, over the shared-column indirection (input_stride == S * K) ----

// P pixels of one channel tile. Column `col` of filter row ky is in[col * K + ky]; pixel p
// reads columns p * S ... p * S + K - 1 (tap kx = col - p * S).
template <class T, size_t U, size_t K, size_t S, size_t P, bool kFull>
inline void dwconv_window_block(const float* const* in, size_t c, size_t nc, const float* w, float* out,
                                size_t channels, typename T::V vmin, typename T::V vmax) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes, CT = U * L, kCols = (P - 1) * S + K;
  V acc[P][U];
#pragma GCC unroll 8
  for (size_t u = 0; u < U; ++u) {
    const V b = T::loadu(w + u * L);
#pragma GCC unroll 8
    for (size_t p = 0; p < P; ++p) acc[p][u] = b;
  }
#pragma GCC unroll 5
  for (size_t ky = 0; ky < K; ++ky) {
    V wv[K][U];
#pragma GCC unroll 5
    for (size_t kx = 0; kx < K; ++kx)
#pragma GCC unroll 8
      for (size_t u = 0; u < U; ++u) wv[kx][u] = T::loadu(w + CT + (kx * K + ky) * CT + u * L);
#pragma GCC unroll 32
    for (size_t col = 0; col < kCols; ++col) {
      const float* ip = in[col * K + ky] + c;
      V x[U];
#pragma GCC unroll 8
      for (size_t u = 0; u < U; ++u)
        x[u] = kFull ? T::loadu(ip + u * L) : dw_load_part<T>(ip + u * L, static_cast<ptrdiff_t>(nc - u * L));
#pragma GCC unroll 8
      for (size_t p = 0; p < P; ++p) {
        // Resolved at compile time once the loops are unrolled.
        if (col >= p * S && col - p * S < K) {
#pragma GCC unroll 8
          for (size_t u = 0; u < U; ++u) acc[p][u] = T::fma(x[u], wv[col - p * S][u], acc[p][u]);
        }
      }
    }
  }
#pragma GCC unroll 8
  for (size_t p = 0; p < P; ++p) {
    float* o = out + p * channels;
#pragma GCC unroll 8
    for (size_t u = 0; u < U; ++u) {
      const V v = T::clamp(acc[p][u], vmin, vmax);
      if (kFull) {
        T::storeu(o + u * L, v);
      } else {
        dw_store_part<T>(o + u * L, v, static_cast<ptrdiff_t>(nc - u * L));
      }
    }
  }
}

template <class T, size_t U, size_t K, size_t S, size_t P, bool kFull>
inline void dwconv_window_tile(size_t output_width, const float* const* in, size_t c, size_t nc, const float* w,
                               float* out, size_t channels, typename T::V vmin, typename T::V vmax) {
  static_assert(P == 1 || P == 2 || P == 4 || P == 8, "pixel block must be 1, 2, 4 or 8");
  constexpr size_t kStep = S * K;  // pointers between neighbouring pixels
  size_t x = output_width;
  for (; x >= P; x -= P) {
    dwconv_window_block<T, U, K, S, P, kFull>(in, c, nc, w, out, channels, vmin, vmax);
    in += P * kStep;
    out += P * channels;
  }
  if constexpr (P > 4) {
    if (x >= 4) {
      dwconv_window_block<T, U, K, S, 4, kFull>(in, c, nc, w, out, channels, vmin, vmax);
      in += 4 * kStep;
      out += 4 * channels;
      x -= 4;
    }
  }
  if constexpr (P > 2) {
    if (x >= 2) {
      dwconv_window_block<T, U, K, S, 2, kFull>(in, c, nc, w, out, channels, vmin, vmax);
      in += 2 * kStep;
      out += 2 * channels;
      x -= 2;
    }
  }
  if constexpr (P > 1) {
    if (x != 0) dwconv_window_block<T, U, K, S, 1, kFull>(in, c, nc, w, out, channels, vmin, vmax);
  }
}

// Requires ks == K * K and input_stride == S * K (checked by the drivers, not here).
template <class T, size_t U, size_t K, size_t S, size_t P>
inline void dwconv_window(size_t channels, size_t output_width, const float* const* input, const float* weights,
                          float* output, const eir_f32_minmax_params* params) {
  constexpr size_t CT = U * T::kLanes, kTileFloats = (K * K + 1) * CT;
  const typename T::V vmin = T::set1(params->min), vmax = T::set1(params->max);
  for (size_t c = 0; c < channels; c += CT, weights += kTileFloats) {
    const size_t nc = channels - c;
    if (nc >= CT) {
      dwconv_window_tile<T, U, K, S, P, true>(output_width, input, c, CT, weights, output + c, channels, vmin, vmax);
    } else {
      dwconv_window_tile<T, U, K, S, P, false>(output_width, input, c, nc, weights, output + c, channels, vmin, vmax);
    }
  }
}

}  // namespace
}  // namespace eir::ukernel

// Defines the family's kernels for one ISA and tile (used once per per-ISA file).
#define EIR_DEFINE_F32_DWCONV_FAMILY(tile, isa, T, U, P)                                                          \
  extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_3x3s1_##tile##__##isa) {                \
    eir::ukernel::dwconv_window<T, U, 3, 1, P>(channels, output_width, input, weights, output, params);           \
  }                                                                                                               \
  extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_3x3s2_##tile##__##isa) {                \
    eir::ukernel::dwconv_window<T, U, 3, 2, P>(channels, output_width, input, weights, output, params);           \
  }                                                                                                               \
  extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_5x5s1_##tile##__##isa) {                \
    eir::ukernel::dwconv_window<T, U, 5, 1, P>(channels, output_width, input, weights, output, params);           \
  }                                                                                                               \
  extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_5x5s2_##tile##__##isa) {                \
    eir::ukernel::dwconv_window<T, U, 5, 2, P>(channels, output_width, input, weights, output, params);           \
  }                                                                                                               \
  extern "C" EIR_DECLARE_F32_DWCONV_UKERNEL(eir_f32_dwconv_minmax_ukernel_any_##tile##__##isa) {                  \
    eir::ukernel::dwconv_taps<T, U, P>(channels, output_width, ks, input, input_stride, weights, output, params); \
  }
