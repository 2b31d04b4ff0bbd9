#include "kernels/ukernels/f32-gemm/avx512f-impl.h"

extern "C" EIR_DECLARE_F32_IGEMM_UKERNEL(eir_f32_igemm_minmax_ukernel_8x32__avx512f) {
  eir::ukernel_avx512f::igemm<8>(mr, nc, kc, ks, a, w, c, c_stride, params);
}
