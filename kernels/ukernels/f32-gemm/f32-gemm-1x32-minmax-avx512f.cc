#include "kernels/ukernels/f32-gemm/avx512f-impl.h"

extern "C" EIR_DECLARE_F32_GEMM_UKERNEL(eir_f32_gemm_minmax_ukernel_1x32__avx512f) {
  eir::ukernel_avx512f::gemm<1>(mr, nc, kc, a, a_stride, w, c, c_stride, params);
}
