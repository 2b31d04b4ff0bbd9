#include "kernels/ukernels/qs8-gemm/scalar-impl.h"

extern "C" EIR_DECLARE_QS8_IGEMM_UKERNEL(eir_qs8_igemm_minmax_ukernel_4x4__scalar) {
  eir::ukernel_qs8::igemm<4, 4>(mr, nc, kc, ks, a, w, c, c_stride, row_terms, params);
}
