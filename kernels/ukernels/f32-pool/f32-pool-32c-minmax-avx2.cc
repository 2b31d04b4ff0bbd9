// MAX_POOL_2D / AVERAGE_POOL_2D / global average pooling microkernels, 32 channels per main-loop step.
#include "kernels/ukernels/common/f32-vec-avx2.h"
#include "kernels/ukernels/f32-pool/pool-impl.h"

using eir::simd::Avx2;

extern "C" EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_32c__avx2) {
  eir::ukernel::maxpool<Avx2>(channels, output_width, ks, input, input_stride, output, params);
}

extern "C" EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_32c__avx2) {
  eir::ukernel::avgpool<Avx2>(channels, output_width, ks, input, input_stride, divisors, output, params);
}

extern "C" EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_32c__avx2) {
  eir::ukernel::gavgpool<Avx2>(rows, channels, input, input_stride, divisor, output, params);
}
