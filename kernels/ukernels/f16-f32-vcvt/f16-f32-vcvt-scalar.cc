#include "kernels/reference/fp16.h"
#include "kernels/ukernels/f16-f32-vcvt/f16-f32-vcvt.h"

extern "C" EIR_DECLARE_F16_F32_VCVT_UKERNEL(eir_f16_f32_vcvt_ukernel__scalar) {
  for (size_t i = 0; i < n; ++i) y[i] = eir::ref::half_to_float(x[i]);
}
