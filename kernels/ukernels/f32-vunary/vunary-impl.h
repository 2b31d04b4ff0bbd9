// Unary elementwise microkernel bodies over a vector-operations type T (kernels/ukernels/common/
// f32-vec-<isa>.h), instantiated by the per-ISA files (f32-vunary-x<n>-<isa>.cc).
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/channel-chunks.h"
#include "kernels/ukernels/f32-vunary/f32-vunary.h"

namespace eir::ukernel {
namespace {

template <class T>
inline typename T::V vec_hswish(typename T::V x) {
  const typename T::V r = T::clamp(T::add(x, T::set1(3.0f)), T::zero(), T::set1(6.0f));
  return T::mul(T::mul(x, r), T::set1(1.0f / 6.0f));
}

// exp(z) for z in [-87, 0] (the caller clamps): z = n * ln2 + r with |r| <= ln2 / 2 (ln2 split in
// a part exact in float and a correction, so that r is exact), exp(r) by Cephes' degree-6
// polynomial, then scaled by 2^n (n >= -126 keeps the result normal).
template <class T>
inline typename T::V vec_exp_nonpositive(typename T::V z) {
  using V = typename T::V;
  const V n = T::round(T::mul(z, T::set1(1.44269504088896341f)));
  V r = T::fma(n, T::set1(-0.693359375f), z);
  r = T::fma(n, T::set1(2.12194440e-4f), r);
  V p = T::set1(1.9875691500e-4f);
  p = T::fma(p, r, T::set1(1.3981999507e-3f));
  p = T::fma(p, r, T::set1(8.3334519073e-3f));
  p = T::fma(p, r, T::set1(4.1665795894e-2f));
  p = T::fma(p, r, T::set1(1.6666665459e-1f));
  p = T::fma(p, r, T::set1(5.0000001201e-1f));
  const V e = T::add(T::fma(p, T::mul(r, r), r), T::set1(1.0f));
  return T::mul(e, T::exp2i(n));
}

// TFLite's logistic: 1 above 16.619..., exp(x) below -9, else 1 / (1 + exp(-x)). With
// e = exp(-|x|) in (0, 1] (never overflows): 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0,
// both equal to 1 / (1 + exp(-x)).
template <class T>
inline typename T::V vec_sigmoid(typename T::V x) {
  using V = typename T::V;
  const V zero = T::zero(), one = T::set1(1.0f);
  const V z = T::clamp(T::sub(zero, T::abs(x)), T::set1(-87.0f), zero);
  const V e = vec_exp_nonpositive<T>(z);
  const V q = T::div(one, T::add(one, e));
  V neg = T::mul(e, q);
  neg = T::lt_select(x, T::set1(-9.0f), e, neg);
  const V pos = T::lt_select(T::set1(16.619047164916992188f), x, one, q);
  return T::lt_select(x, zero, neg, pos);
}

enum class UnaryOp { kClamp, kHardSwish, kSigmoid };

template <class T, UnaryOp kOp>
inline void vunary(size_t n, const float* x, float* y, const eir_f32_minmax_params* params) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  V vmin = T::zero(), vmax = T::zero();
  if constexpr (kOp == UnaryOp::kClamp) {
    vmin = T::set1(params->min);
    vmax = T::set1(params->max);
  }
  for_each_channel_chunk<T>(n, [&](size_t i, auto u_tag, auto full_tag) {
    constexpr size_t U = decltype(u_tag)::value;
    constexpr bool kFull = decltype(full_tag)::value;
    const size_t rem = n - i;
    V r[U];
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) {
      const V v = load_chunk<T, kFull>(x + i + u * L, rem);
      if constexpr (kOp == UnaryOp::kClamp) r[u] = T::clamp(v, vmin, vmax);
      if constexpr (kOp == UnaryOp::kHardSwish) r[u] = vec_hswish<T>(v);
      if constexpr (kOp == UnaryOp::kSigmoid) r[u] = vec_sigmoid<T>(v);
    }
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(y + i + u * L, r[u], rem);
  });
}

template <class T>
inline void prelu(size_t rows, size_t channels, const float* x, const float* alpha, float* y) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V zero = T::zero();
  for (size_t row = 0; row < rows; ++row, x += channels, y += channels) {
    for_each_channel_chunk<T>(channels, [&](size_t c, auto u_tag, auto full_tag) {
      constexpr size_t U = decltype(u_tag)::value;
      constexpr bool kFull = decltype(full_tag)::value;
      const size_t rem = channels - c;
      V r[U];
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) {
        const V v = load_chunk<T, kFull>(x + c + u * L, rem);
        const V a = load_chunk<T, kFull>(alpha + c + u * L, rem);
        r[u] = T::lt_select(v, zero, T::mul(v, a), v);
      }
#pragma GCC unroll 4
      for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(y + c + u * L, r[u], rem);
    });
  }
}

}  // namespace
}  // namespace eir::ukernel

// Defines the family's kernels for one ISA (used once per per-ISA file).
#define EIR_DEFINE_F32_VUNARY_FAMILY(tile, isa, T)                                      \
  extern "C" EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vclamp_ukernel_##tile##__##isa) {   \
    eir::ukernel::vunary<T, eir::ukernel::UnaryOp::kClamp>(n, x, y, params);            \
  }                                                                                     \
  extern "C" EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vhswish_ukernel_##tile##__##isa) {  \
    eir::ukernel::vunary<T, eir::ukernel::UnaryOp::kHardSwish>(n, x, y, params);        \
  }                                                                                     \
  extern "C" EIR_DECLARE_F32_VUNARY_UKERNEL(eir_f32_vsigmoid_ukernel_##tile##__##isa) { \
    eir::ukernel::vunary<T, eir::ukernel::UnaryOp::kSigmoid>(n, x, y, params);          \
  }                                                                                     \
  extern "C" EIR_DECLARE_F32_PRELU_UKERNEL(eir_f32_prelu_ukernel_##tile##__##isa) {     \
    eir::ukernel::prelu<T>(rows, channels, x, alpha, y);                                \
  }
