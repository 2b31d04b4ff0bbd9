#include <algorithm>

#include "kernels/ukernels/qs8-vadd/qs8-vadd.h"

namespace {

// RoundingDivideByPOT(SRDHM(v, m), r) for v * m well inside int64 (see qs8-vadd.h).
inline int32_t mbqm(int32_t v, int32_t m, int32_t r) {
  const int32_t high = static_cast<int32_t>((static_cast<int64_t>(v) * m + (int64_t{1} << 30)) >> 31);
  const int32_t mask = static_cast<int32_t>((uint32_t{1} << r) - 1u);
  const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> r) + ((high & mask) > threshold ? 1 : 0);
}

template <bool kSub>
void run(size_t n, const uint8_t* a, const uint8_t* b, uint8_t* y, const eir_qs8_vadd_params* p) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t xa = p->u8 ? a[i] : static_cast<int8_t>(a[i]);
    const int32_t xb = p->u8 ? b[i] : static_cast<int8_t>(b[i]);
    const int32_t sa = mbqm((xa - p->a_zero_point) * (1 << 20), p->a_multiplier, p->a_right);
    const int32_t sb = mbqm((xb - p->b_zero_point) * (1 << 20), p->b_multiplier, p->b_right);
    int32_t v = mbqm(kSub ? sa - sb : sa + sb, p->out_multiplier, p->out_right) + p->output_zero_point;
    v = std::min(std::max(v, p->output_min), p->output_max);
    y[i] = static_cast<uint8_t>(v);
  }
}

}  // namespace

extern "C" EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vadd_minmax_ukernel__scalar) { run<false>(n, a, b, y, params); }
extern "C" EIR_DECLARE_QS8_VADD_UKERNEL(eir_qs8_vsub_minmax_ukernel__scalar) { run<true>(n, a, b, y, params); }
