#include "kernels/ukernels/qs8-gemm/avx2-impl.h"

extern "C" EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_3x8c8__avx2) {
  eir::ukernel_qs8_avx2::igemm<3>(mr, nc, kc, ks, a, w, c, c_stride, row_terms, params);
}
