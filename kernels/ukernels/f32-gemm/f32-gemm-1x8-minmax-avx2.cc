#include "kernels/ukernels/f32-gemm/avx2-impl.h"

extern "C" EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x8__avx2) {
  eir::ukernel_avx2::gemm<1, 1>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
}
