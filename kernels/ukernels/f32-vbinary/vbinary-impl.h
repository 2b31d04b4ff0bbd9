// Binary elementwise microkernel body over a vector-operations type T (kernels/ukernels/common/
// f32-vec-<isa>.h), instantiated by the per-ISA files (f32-vbinary-x<n>-minmax-<isa>.cc).
#pragma once

#include <cstddef>

#include "kernels/ukernels/common/channel-chunks.h"
#include "kernels/ukernels/f32-vbinary/f32-vbinary.h"

namespace eir::ukernel {
namespace {

enum class BinaryOp { kAdd, kSub, kMul, kRSub };

template <class T, BinaryOp kOp>
inline typename T::V apply_binary(typename T::V a, typename T::V b) {
  if constexpr (kOp == BinaryOp::kAdd) return T::add(a, b);
  if constexpr (kOp == BinaryOp::kSub) return T::sub(a, b);
  if constexpr (kOp == BinaryOp::kMul) return T::mul(a, b);
  if constexpr (kOp == BinaryOp::kRSub) return T::sub(b, a);
}

// kScalarB: b is one value broadcast to every element.
template <class T, BinaryOp kOp, bool kScalarB>
inline void vbinary(size_t n, const float* a, const float* b, float* y, const eir_f32_minmax_params* params) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  const V vmin = T::set1(params->min), vmax = T::set1(params->max);
  V vb_scalar = T::zero();
  if constexpr (kScalarB) vb_scalar = T::set1(*b);
  for_each_channel_chunk<T>(n, [&](size_t i, auto u_tag, auto full_tag) {
    constexpr size_t U = decltype(u_tag)::value;
    constexpr bool kFull = decltype(full_tag)::value;
    const size_t rem = n - i;
    V r[U];
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) {
      const V va = load_chunk<T, kFull>(a + i + u * L, rem);
      V vb = vb_scalar;
      if constexpr (!kScalarB) vb = load_chunk<T, kFull>(b + i + u * L, rem);
      r[u] = T::clamp(apply_binary<T, kOp>(va, vb), vmin, vmax);
    }
#pragma GCC unroll 4
    for (size_t u = 0; u < U; ++u) store_chunk<T, kFull>(y + i + u * L, r[u], rem);
  });
}

}  // namespace
}  // namespace eir::ukernel

// Defines the seven kernels of the family for one ISA (used once per per-ISA file).
#define EIR_DEFINE_F32_VBINARY_FAMILY(tile, isa, T)                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vadd_minmax_ukernel_##tile##__##isa) {   \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kAdd, false>(n, a, b, y, params);        \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vsub_minmax_ukernel_##tile##__##isa) {   \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kSub, false>(n, a, b, y, params);        \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vmul_minmax_ukernel_##tile##__##isa) {   \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kMul, false>(n, a, b, y, params);        \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vaddc_minmax_ukernel_##tile##__##isa) {  \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kAdd, true>(n, a, b, y, params);         \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vsubc_minmax_ukernel_##tile##__##isa) {  \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kSub, true>(n, a, b, y, params);         \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vrsubc_minmax_ukernel_##tile##__##isa) { \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kRSub, true>(n, a, b, y, params);        \
  }                                                                                           \
  extern "C" EIR_DECLARE_F32_VBINARY_UKERNEL(eir_f32_vmulc_minmax_ukernel_##tile##__##isa) {  \
    eir::ukernel::vbinary<T, eir::ukernel::BinaryOp::kMul, true>(n, a, b, y, params);         \
  }
