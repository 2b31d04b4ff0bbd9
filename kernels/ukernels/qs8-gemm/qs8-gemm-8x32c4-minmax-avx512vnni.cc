#include "kernels/ukernels/qs8-gemm/avx512vnni-impl.h"

extern "C" EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_8x32c4__avx512vnni) {
  eir::ukernel_qs8_avx512vnni::gemm<8, 2>(mr, nc, kc, a, a_stride, w, c, c_stride, row_terms, params);
}
