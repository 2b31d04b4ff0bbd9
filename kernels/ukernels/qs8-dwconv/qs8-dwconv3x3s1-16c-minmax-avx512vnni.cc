#include "kernels/ukernels/qs8-dwconv/avx512vnni-3x3-impl.h"

extern "C" EIR_DECLARE_QS8_DWCONV3X3_UKERNEL(eir_qs8_dwconv3x3s1_minmax_ukernel_16c__avx512vnni) {
  eir::ukernel_qs8_dw3x3_avx512vnni::dispatch_s1(channels, output_width, input_width, pad_left, rows, weights,
                                                 output0, output1, params);
}
