// Elementwise-chain microkernel body over a vector-operations type T (kernels/ukernels/common/
// f32-vec-<isa>.h), instantiated by the per-ISA files (f32-vchain-x<n>-<isa>.cc).
//
// The elements go U vectors at a time (then single vectors, then one masked tail vector): the U
// running values stay in registers while the step loop dispatches each step once for all U, so
// a step costs one dispatch per U vectors plus its arithmetic and operand loads.
#pragma once

#include <cstddef>

#include "kernels/ukernels/f32-vchain/f32-vchain.h"
// vec_sigmoid / vec_hswish: the same arithmetic as the vsigmoid / vhswish kernels.
#include "kernels/ukernels/f32-vunary/vunary-impl.h"

namespace eir::ukernel {
namespace {

template <class T, bool kFull>
inline typename T::V vchain_load(const float* p, size_t rem) {
  if constexpr (kFull) {
    return T::loadu(p);
  } else {
    return T::load_tail(p, rem);
  }
}

// v[u] = op(v[u], operand vector u) for the U vectors at element i: the scalar operand broadcast
// once, or the vector operand's elements loaded next to their use.
template <class T, size_t U, bool kFull, class Op>
inline void vchain_binary(typename T::V* v, const eir_f32_vchain_step& s, const float* p, size_t i, size_t rem, Op op) {
  constexpr size_t L = T::kLanes;
  if (s.scalar_operand) {
    const typename T::V b = T::set1(*p);
#pragma GCC unroll 8
    for (size_t u = 0; u < U; ++u) v[u] = op(v[u], b);
  } else {
#pragma GCC unroll 8
    for (size_t u = 0; u < U; ++u) v[u] = op(v[u], vchain_load<T, kFull>(p + i + u * L, rem));
  }
}

// Runs the program on U vectors starting at element i (kFull) or on the rem < kLanes elements
// left (!kFull, U == 1).
// Inlined into the loop of vchain(), so that the constants (clamp bounds of the unary ops, the
// sigmoid polynomial) are set up once per call rather than once per chunk.
template <class T, size_t U, bool kFull>
__attribute__((always_inline)) inline void vchain_chunk(size_t i, size_t rem, const float* x,
                                                        const float* const* operands, float* y,
                                                        const eir_f32_vchain_step* steps, size_t num_steps) {
  using V = typename T::V;
  constexpr size_t L = T::kLanes;
  V v[U];
#pragma GCC unroll 8
  for (size_t u = 0; u < U; ++u) v[u] = vchain_load<T, kFull>(x + i + u * L, rem);
  for (size_t k = 0; k < num_steps; ++k) {
    const eir_f32_vchain_step& s = steps[k];
    const float* p = operands[k];
    const V lo = T::set1(s.min), hi = T::set1(s.max);
    switch (s.op) {
      case EIR_F32_VCHAIN_ADD:
        vchain_binary<T, U, kFull>(v, s, p, i, rem, [&](V a, V b) { return T::clamp(T::add(a, b), lo, hi); });
        break;
      case EIR_F32_VCHAIN_SUB:
        vchain_binary<T, U, kFull>(v, s, p, i, rem, [&](V a, V b) { return T::clamp(T::sub(a, b), lo, hi); });
        break;
      case EIR_F32_VCHAIN_RSUB:
        vchain_binary<T, U, kFull>(v, s, p, i, rem, [&](V a, V b) { return T::clamp(T::sub(b, a), lo, hi); });
        break;
      case EIR_F32_VCHAIN_MUL:
        vchain_binary<T, U, kFull>(v, s, p, i, rem, [&](V a, V b) { return T::clamp(T::mul(a, b), lo, hi); });
        break;
      case EIR_F32_VCHAIN_PRELU:
        vchain_binary<T, U, kFull>(v, s, p, i, rem,
                                   [&](V a, V b) { return T::lt_select(a, T::zero(), T::mul(a, b), a); });
        break;
      case EIR_F32_VCHAIN_CLAMP:
#pragma GCC unroll 8
        for (size_t u = 0; u < U; ++u) v[u] = T::clamp(v[u], lo, hi);
        break;
      case EIR_F32_VCHAIN_SIGMOID:
#pragma GCC unroll 8
        for (size_t u = 0; u < U; ++u) v[u] = vec_sigmoid<T>(v[u]);
        break;
      default:  // EIR_F32_VCHAIN_HSWISH
#pragma GCC unroll 8
        for (size_t u = 0; u < U; ++u) v[u] = vec_hswish<T>(v[u]);
        break;
    }
  }
#pragma GCC unroll 8
  for (size_t u = 0; u < U; ++u) {
    if constexpr (kFull) {
      T::storeu(y + i + u * L, v[u]);
    } else {
      T::store_tail(y + i + u * L, v[u], rem);
    }
  }
}

template <class T, size_t U>
inline void vchain(size_t n, const float* x, const float* const* operands, float* y, const eir_f32_vchain_step* steps,
                   size_t num_steps) {
  constexpr size_t L = T::kLanes;
  size_t i = 0;
  for (; i + U * L <= n; i += U * L) vchain_chunk<T, U, true>(i, 0, x, operands, y, steps, num_steps);
  for (; i + L <= n; i += L) vchain_chunk<T, 1, true>(i, 0, x, operands, y, steps, num_steps);
  if (i < n) vchain_chunk<T, 1, false>(i, n - i, x, operands, y, steps, num_steps);
}

}  // namespace
}  // namespace eir::ukernel

// Defines the family's kernel for one ISA: U vectors of T per main-loop step.
#define EIR_DEFINE_F32_VCHAIN_UKERNEL(tile, isa, T, U)                                  \
  extern "C" EIR_DECLARE_F32_VCHAIN_UKERNEL(eir_f32_vchain_ukernel_##tile##__##isa) { \
    eir::ukernel::vchain<T, U>(n, x, operands, y, steps, num_steps);                  \
  }
