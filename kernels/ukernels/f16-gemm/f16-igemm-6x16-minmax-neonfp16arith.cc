#include "kernels/ukernels/f16-gemm/neonfp16arith-impl.h"

extern "C" EIR_DECLARE_F16_IGEMM_UKERNEL(eir_f16_igemm_minmax_ukernel_6x16__neonfp16arith) {
  eir::ukernel_neonfp16arith::igemm<6>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
