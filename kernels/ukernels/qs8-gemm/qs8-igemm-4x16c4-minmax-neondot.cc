#include "kernels/ukernels/qs8-gemm/neondot-impl.h"

extern "C" EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_4x16c4__neondot) {
  eir::ukernel_qs8_neon::igemm_c4dot<4>(mr, nc, kc, ks, a, w, c, c_stride, row_terms, params);
}
