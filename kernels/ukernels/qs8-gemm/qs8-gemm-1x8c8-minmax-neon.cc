#include "kernels/ukernels/qs8-gemm/neon-impl.h"

extern "C" EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x8c8__neon) {
  eir::ukernel_qs8_neon::gemm_c8<1>(mr, nc, kc, a, a_stride, w, c, c_stride, row_terms, params);
}
