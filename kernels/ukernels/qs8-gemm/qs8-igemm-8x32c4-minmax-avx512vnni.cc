#include "kernels/ukernels/qs8-gemm/avx512vnni-impl.h"

extern "C" EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_8x32c4__avx512vnni) {
  eir::ukernel_qs8_avx512vnni::igemm<8, 2>(mr, nc, kc, ks, a, w, c, c_stride, row_terms, params);
}
