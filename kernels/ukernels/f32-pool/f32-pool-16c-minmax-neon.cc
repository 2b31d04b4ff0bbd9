// MAX_POOL_2D / AVERAGE_POOL_2D / global average pooling microkernels, 16 channels per main-loop step.
#include "kernels/ukernels/common/f32-vec-neon.h"
#include "kernels/ukernels/f32-pool/pool-impl.h"

using eir::simd::Neon;

extern "C" EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_16c__neon) {
  eir::ukernel::maxpool<Neon>(channels, output_width, ks, input, input_stride, output, params);
}

extern "C" EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_16c__neon) {
  eir::ukernel::avgpool<Neon>(channels, output_width, ks, input, input_stride, divisors, output, params);
}

extern "C" EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_16c__neon) {
  eir::ukernel::gavgpool<Neon>(rows, channels, input, input_stride, divisor, output, params);
}
