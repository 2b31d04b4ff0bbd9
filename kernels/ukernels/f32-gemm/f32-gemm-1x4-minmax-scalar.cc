#include "kernels/ukernels/f32-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x4__scalar) {
  eir::ukernel_scalar::gemm<1, 4>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
}
