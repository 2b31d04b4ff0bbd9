#include "kernels/reference/fp16.h"
#include "kernels/ukernels/f16-gemm/f16-gemm.h"

extern "C" EIR_DECLARE_F32_F16_VCVT_UKERNEL(eir_f32_f16_vcvt_ukernel__scalar) {
  for (size_t i = 0; i < n; ++i) y[i] = eir::ref::float_to_half(x[i]);
}
