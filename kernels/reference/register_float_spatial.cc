#include "kernels/reference/float_spatial.h"
#include "kernels/reference/reference_kernels.h"

namespace eir {

namespace {
// L2_POOL_2D is not named in BuiltinOp; its TFLite code is 12.
constexpr BuiltinOp kL2Pool2D = static_cast<BuiltinOp>(12);
}  // namespace

// Max versions are TFLite's current ones: the kernels themselves check the dtypes and options
// that later versions added (quantized and hybrid variants are refused in prepare).
void register_float_spatial_kernels(KernelRegistry& registry) {
  using namespace ref;
  const DType kF32 = DType::kF32;
  registry.add(BuiltinOp::kConv2D, kF32, 8, conv2d_f32_kernel());
  registry.add(BuiltinOp::kDepthwiseConv2D, kF32, 7, depthwise_conv2d_f32_kernel());
  registry.add(BuiltinOp::kFullyConnected, kF32, 14, fully_connected_f32_kernel());
  // TRANSPOSE_CONV's first input is its int32 output_shape, so that is its registry key for
  // every data type; the kernel's `supports` claims only float32 data inputs.
  registry.add(BuiltinOp::kTransposeConv, DType::kI32, 5, transpose_conv_f32_kernel());
  registry.add_custom("Convolution2DTransposeBias", kF32, 1, transpose_conv_bias_f32_kernel());
  registry.add(BuiltinOp::kAveragePool2D, kF32, 3, average_pool2d_f32_kernel());
  registry.add(BuiltinOp::kMaxPool2D, kF32, 3, max_pool2d_f32_kernel());
  registry.add(kL2Pool2D, kF32, 1, l2_pool2d_f32_kernel());
  registry.add(BuiltinOp::kResizeBilinear, kF32, 4, resize_bilinear_f32_kernel());
  registry.add(BuiltinOp::kMean, kF32, 3, mean_kernel());
  registry.add(BuiltinOp::kMean, DType::kI32, 3, mean_kernel());
  registry.add(BuiltinOp::kMean, DType::kI64, 3, mean_kernel());

  // Data movement: the same byte-copying kernel for every element type.
  for (DType t : {kF32, DType::kI32, DType::kI64, DType::kI8, DType::kU8, DType::kI16, DType::kBool}) {
    registry.add(BuiltinOp::kPad, t, 6, pad_kernel());
    registry.add(BuiltinOp::kPadV2, t, 6, pad_kernel());
  }
  for (DType t : {kF32, DType::kI32, DType::kI64, DType::kI8, DType::kU8, DType::kI16}) {
    registry.add(BuiltinOp::kResizeNearestNeighbor, t, 4, resize_nearest_neighbor_kernel());
    registry.add(BuiltinOp::kDepthToSpace, t, 2, depth_to_space_kernel());
    registry.add(BuiltinOp::kSpaceToDepth, t, 2, space_to_depth_kernel());
    registry.add(BuiltinOp::kSpaceToBatchNd, t, 4, space_to_batch_nd_kernel());
    registry.add(BuiltinOp::kBatchToSpaceNd, t, 4, batch_to_space_nd_kernel());
  }
}

}  // namespace eir
