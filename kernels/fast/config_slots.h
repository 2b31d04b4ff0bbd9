// Kernel hooks are plain function pointers, so a fast driver instantiates its hooks once per
// config slot (each slot's prepare and pack use that slot's config). kernel_for_slot picks the
// instantiation for a config's slot index at registration.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "runtime/executor/kernel.h"

namespace eir::fast {

namespace detail {
template <class Make, size_t... S>
Kernel kernel_for_slot(size_t slot, Make& make, std::index_sequence<S...>) {
  Kernel k;
  ((slot == S ? (void)(k = make(std::integral_constant<size_t, S>{})) : void()), ...);
  return k;
}
}  // namespace detail

// make(std::integral_constant<size_t, S>{}) for S = slot, for a table of N slots; slots past the
// last take the last, e.g.
//   kernel_for_slot<kMaxQs8GemmConfigs>(qs8_gemm_config_index(config),
//                                       [](auto slot) { return make_kernel<decltype(slot)::value>(); });
template <size_t N, class Make>
Kernel kernel_for_slot(size_t slot, Make&& make) {
  static_assert(N > 0, "a config table has at least one slot");
  return detail::kernel_for_slot(std::min(slot, N - 1), make, std::make_index_sequence<N>{});
}

}  // namespace eir::fast
