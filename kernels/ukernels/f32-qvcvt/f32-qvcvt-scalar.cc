#include <algorithm>
#include <cmath>

#include "kernels/ukernels/f32-qvcvt/f32-qvcvt.h"

namespace {

template <class Out>
void quantize(size_t n, const float* x, Out* y, const eir_f32_qvcvt_params* p) {
  for (size_t i = 0; i < n; ++i) {
    const double r = std::round(static_cast<double>(x[i]) / p->scale);
    // cvttsd2si: NaN and anything outside int32 become INT32_MIN.
    const int32_t q = r >= -2147483648.0 && r < 2147483648.0 ? static_cast<int32_t>(r) : INT32_MIN;
    const int32_t v = static_cast<int32_t>(static_cast<uint32_t>(q) + static_cast<uint32_t>(p->zero_point));
    y[i] = static_cast<Out>(std::min(std::max(v, p->out_min), p->out_max));
  }
}

}  // namespace

extern "C" {
void eir_f32_qs8_vcvt_ukernel__scalar(size_t n, const float* x, int8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p);
}
void eir_f32_qu8_vcvt_ukernel__scalar(size_t n, const float* x, uint8_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p);
}
void eir_f32_qs16_vcvt_ukernel__scalar(size_t n, const float* x, int16_t* y, const eir_f32_qvcvt_params* p) {
  quantize(n, x, y, p);
}
}  // extern "C"
