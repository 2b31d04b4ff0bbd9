#include "kernels/reference/misc_common.h"
#include "kernels/reference/reference_kernels.h"

namespace eir {

void register_float_misc_kernels(KernelRegistry& registry) {
  ref::register_elementwise_binary_kernels(registry);
  ref::register_elementwise_unary_kernels(registry);
  ref::register_activation_kernels(registry);
  ref::register_softmax_kernels(registry);
  ref::register_concatenation_kernels(registry);
  ref::register_reshape_kernels(registry);
  ref::register_slice_kernels(registry);
  ref::register_pack_unpack_kernels(registry);
  ref::register_gather_kernels(registry);
  ref::register_transpose_kernels(registry);
  ref::register_shape_kernels(registry);
  ref::register_cast_kernels(registry);
  ref::register_arg_minmax_kernels(registry);
  ref::register_dequantize_kernels(registry);
  ref::register_densify_kernels(registry);
  ref::register_fused_elementwise_kernels(registry);
}

}  // namespace eir
