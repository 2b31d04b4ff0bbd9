#include "kernels/ukernels/f32-gemm/neon-impl.h"

extern "C" EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_6x8__neon) {
  eir::ukernel_neon::igemm<6>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
