#include "kernels/ukernels/f16-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_F16_IGEMM_UKERNEL(eir_f16_igemm_minmax_ukernel_4x8__scalar) {
  eir::ukernel_f16_scalar::igemm<4, 8>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
