#include "kernels/ukernels/qs8-gemm/neondot-impl.h"

extern "C" EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x16c4__neondot) {
  eir::ukernel_qs8_neon::gemm_c4dot<1>(mr, nc, kc, a, a_stride, w, c, c_stride, row_terms, params);
}
