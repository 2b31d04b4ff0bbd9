#include "kernels/ukernels/f32-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_4x4__scalar) {
  eir::ukernel_scalar::igemm<4, 4>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
