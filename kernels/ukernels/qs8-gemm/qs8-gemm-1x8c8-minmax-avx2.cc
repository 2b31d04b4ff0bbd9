#include "kernels/ukernels/qs8-gemm/avx2-impl.h"

extern "C" EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x8c8__avx2) {
  eir::ukernel_qs8_avx2::gemm<1>(mr, nc, kc, a, a_stride, w, c, c_stride, row_terms, params);
}
