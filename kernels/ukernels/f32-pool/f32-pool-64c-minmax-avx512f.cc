// MAX_POOL_2D / AVERAGE_POOL_2D / global average pooling microkernels, 64 channels per main-loop step.
#include "kernels/ukernels/common/f32-vec-avx512f.h"
#include "kernels/ukernels/f32-pool/pool-impl.h"

using eir::simd::Avx512f;

extern "C" EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_64c__avx512f) {
  eir::ukernel::maxpool<Avx512f>(channels, output_width, ks, input, input_stride, output, params);
}

extern "C" EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_64c__avx512f) {
  eir::ukernel::avgpool<Avx512f>(channels, output_width, ks, input, input_stride, divisors, output, params);
}

extern "C" EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_64c__avx512f) {
  eir::ukernel::gavgpool<Avx512f>(rows, channels, input, input_stride, divisor, output, params);
}
