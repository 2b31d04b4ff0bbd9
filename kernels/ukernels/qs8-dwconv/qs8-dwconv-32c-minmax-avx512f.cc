#include "kernels/ukernels/qs8-dwconv/avx512-pairs-impl.h"

extern "C" EIR_DECLARE_QS8_DWCONV_UKERNEL(eir_qs8_dwconv_minmax_ukernel_32c__avx512f) {
  eir::ukernel_qs8_dwconv_avx512::dispatch_pairs<false>(channels, output_width, ks, input, input_stride, weights,
                                                       output, params);
}
