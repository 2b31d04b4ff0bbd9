#include "kernels/ukernels/f16-gemm/neonfp16arith-impl.h"

extern "C" EIR_DECLARE_F16_GEMM_UKERNEL(eir_f16_gemm_minmax_ukernel_1x16__neonfp16arith) {
  eir::ukernel_neonfp16arith::gemm<1>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
}
