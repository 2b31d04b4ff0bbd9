#include "kernels/ukernels/f32-gemm/avx2-impl.h"

extern "C" EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_8x8__avx2) {
  eir::ukernel_avx2::igemm<8, 1>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
