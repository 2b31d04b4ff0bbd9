#include "kernels/ukernels/qs8-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_QS8_GEMM_UKERNEL(eir_qs8_gemm_minmax_ukernel_1x4__scalar) {
  eir::ukernel_qs8::gemm<1, 4>(mr, nc, kc, a, a_stride, w, c, c_stride, row_terms, params);
}
