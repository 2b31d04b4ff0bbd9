#include "kernels/ukernels/qs8-gemm/neon-impl.h"

extern "C" EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_2x8c8__neon) {
  eir::ukernel_qs8_neon::igemm_c8<2>(mr, nc, kc, ks, a, w, c, c_stride, row_terms, params);
}
