// MAX_POOL_2D / AVERAGE_POOL_2D / global average pooling microkernels, 4 channels per main-loop step.
#include "kernels/ukernels/common/f32-vec-scalar.h"
#include "kernels/ukernels/f32-pool/pool-impl.h"

using eir::simd::Scalar;

extern "C" EIR_DECLARE_F32_MAXPOOL_UKERNEL(eir_f32_maxpool_minmax_ukernel_4c__scalar) {
  eir::ukernel::maxpool<Scalar>(channels, output_width, ks, input, input_stride, output, params);
}

extern "C" EIR_DECLARE_F32_AVGPOOL_UKERNEL(eir_f32_avgpool_minmax_ukernel_4c__scalar) {
  eir::ukernel::avgpool<Scalar>(channels, output_width, ks, input, input_stride, divisors, output, params);
}

extern "C" EIR_DECLARE_F32_GAVGPOOL_UKERNEL(eir_f32_gavgpool_minmax_ukernel_4c__scalar) {
  eir::ukernel::gavgpool<Scalar>(rows, channels, input, input_stride, divisor, output, params);
}
