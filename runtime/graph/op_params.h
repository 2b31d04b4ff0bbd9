// Per-operator parameters, parsed once from the model's builtin/custom options by the importer
// (runtime/model/tflite_options.cc) and validated there. Kernels read them through
// Node::params_as<T>(); graph passes may rewrite them (e.g. fusing an activation).
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

namespace eir {

enum class Padding : uint8_t { kSame, kValid };

// Fused activation, applied to a kernel's output. Values mirror TFLite's ActivationFunctionType.
enum class Activation : uint8_t { kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5 };

struct ConvParams {  // CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, Convolution2DTransposeBias
  Padding padding = Padding::kValid;
  int stride_w = 1, stride_h = 1;
  int dilation_w = 1, dilation_h = 1;
  int depth_multiplier = 1;  // DEPTHWISE_CONV_2D only
  Activation activation = Activation::kNone;
};

struct PoolParams {  // AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D
  Padding padding = Padding::kValid;
  int stride_w = 1, stride_h = 1;
  int filter_w = 1, filter_h = 1;
  Activation activation = Activation::kNone;
};

struct FullyConnectedParams {
  Activation activation = Activation::kNone;
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
  int weights_format = 0;  // 0 = DEFAULT; shuffled formats are refused at load
};

// ADD, SUB, MUL, DIV and other ops whose only option is a fused activation.
struct ActivationParams {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;  // ADD/SUB int16: TFLite's power-of-two-scale path flag
};

struct ConcatParams {
  int axis = 0;
  Activation activation = Activation::kNone;
};

struct ReshapeParams {
  std::vector<int32_t> new_shape;  // may be empty: then the shape input is used
  bool has_new_shape = false;
};

struct SoftmaxParams { float beta = 1.0f; };

struct ReducerParams { bool keep_dims = false; };  // MEAN, SUM, REDUCE_MAX, ...

struct StridedSliceParams {
  int begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};

struct ResizeParams {  // RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR
  bool align_corners = false;
  bool half_pixel_centers = false;
};

struct BlockParams { int block_size = 1; };  // DEPTH_TO_SPACE, SPACE_TO_DEPTH

struct PackParams { int values_count = 0; int axis = 0; };    // PACK
struct UnpackParams { int num = 0; int axis = 0; };           // UNPACK
struct GatherParams { int axis = 0; int batch_dims = 0; };
struct SqueezeParams { std::vector<int32_t> squeeze_dims; };
struct LeakyReluParams { float alpha = 0.2f; };
struct ArgMinMaxParams { int output_type = 0; };  // DType as int (eir::DType)
struct CastParams { int in_type = 0; int out_type = 0; };     // eir::DType as int, 0 if absent
struct SplitParams { int num_splits = 0; };
struct ShapeParams { int out_type = 0; };                     // eir::DType as int

struct SequenceLstmParams {  // UNIDIRECTIONAL_SEQUENCE_LSTM
  Activation activation = Activation::kTanh;
  float cell_clip = 0.0f;
  float proj_clip = 0.0f;
  bool time_major = false;
  bool asymmetric_quantize_inputs = false;
  bool diagonal_recurrent_tensors = false;
};

struct SvdfParams {
  int rank = 0;
  Activation activation = Activation::kNone;
  bool asymmetric_quantize_inputs = false;
};

// Convolution2DTransposeBias (MediaPipe): options stored as raw TfLiteTransposeConvParams bytes.
// Parsed into ConvParams.

// TFLite_Detection_PostProcess (custom, FlexBuffer options).
struct DetectionPostProcessParams {
  int max_detections = 0;
  int max_classes_per_detection = 1;
  int detections_per_class = 100;
  bool use_regular_nms = false;
  float nms_score_threshold = 0.0f;
  float nms_iou_threshold = 0.0f;
  int num_classes = 0;
  float y_scale = 0.0f, x_scale = 0.0f, h_scale = 0.0f, w_scale = 0.0f;
};

// FUSED_ELEMENTWISE (eir-internal, made by runtime/graph/passes/fuse_elementwise_chains.h): a
// chain of float32 elementwise ops evaluated element by element. The running value starts as
// input 0 of the fused node; each step replaces it by op(value) or op(value, operand).
struct ElementwiseStep {
  int op = 0;        // BuiltinOp of the original node: ADD, SUB, MUL, PRELU (binary), RELU, RELU6,
                     // RELU_N1_TO_1, LOGISTIC, HARD_SWISH (unary)
  int operand = -1;  // binary steps: the other operand's position in the fused node's inputs
  bool operand_first = false;  // binary steps: the operand is the left side (SUB: operand - value)
  Activation activation = Activation::kNone;  // ADD/SUB/MUL: the original node's fused activation
  int origin = -1;   // the original node's operator index in the model file (for messages)
};
struct FusedElementwiseParams {
  std::vector<ElementwiseStep> steps;
};

using OpParams = std::variant<std::monostate, ConvParams, PoolParams, FullyConnectedParams,
                              ActivationParams, ConcatParams, ReshapeParams, SoftmaxParams,
                              ReducerParams, StridedSliceParams, ResizeParams, BlockParams,
                              PackParams, UnpackParams, GatherParams, SqueezeParams,
                              LeakyReluParams, ArgMinMaxParams, CastParams, SplitParams,
                              ShapeParams, SequenceLstmParams, SvdfParams,
                              DetectionPostProcessParams, FusedElementwiseParams>;

}  // namespace eir
