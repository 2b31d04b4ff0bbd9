// Walks [0, channels) in steps a vector kernel can take: 4 full vectors while they fit, then one
// full vector at a time, then one masked tail vector. Shared by the family templates; include
// after a f32-vec-<isa>.h header.
#pragma once

#include <cstddef>
#include <type_traits>

namespace eir::ukernel {
namespace {

// body(c, std::integral_constant<size_t, U>{}, std::bool_constant<kFull>{}) handles channels
// [c, c + U * T::kLanes), or, when !kFull (U == 1), the channels - c < T::kLanes left.
template <class T, class Body>
inline void for_each_channel_chunk(size_t channels, Body&& body) {
  constexpr size_t L = T::kLanes;
  size_t c = 0;
  for (; c + 4 * L <= channels; c += 4 * L) body(c, std::integral_constant<size_t, 4>(), std::true_type());
  for (; c + L <= channels; c += L) body(c, std::integral_constant<size_t, 1>(), std::true_type());
  if (c < channels) body(c, std::integral_constant<size_t, 1>(), std::false_type());
}

// Full vector, or the masked first `rem` (< kLanes) lanes.
template <class T, bool kFull>
inline typename T::V load_chunk(const float* p, size_t rem) {
  if constexpr (kFull) {
    return T::loadu(p);
  } else {
    return T::load_tail(p, rem);
  }
}

template <class T, bool kFull>
inline void store_chunk(float* p, typename T::V v, size_t rem) {
  if constexpr (kFull) {
    T::storeu(p, v);
  } else {
    T::store_tail(p, v, rem);
  }
}

}  // namespace
}  // namespace eir::ukernel
