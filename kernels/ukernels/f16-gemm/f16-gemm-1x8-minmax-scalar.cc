#include "kernels/ukernels/f16-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_1x8__scalar) {
  eir::ukernel_f16_scalar::gemm<1, 8>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
}
