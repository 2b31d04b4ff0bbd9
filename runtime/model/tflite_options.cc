// TFLite operator options -> eir op params (see tflite_options.h for the contract).
//
// Where a table may be absent, eir reproduces what TFLite's flatbuffer_conversions does: it
// value-initialises the C params struct (all zeros / false) and fills it only if the table is
// there. So "absent" below means zeros, which is not always the same as the schema's field
// defaults (those apply to a present table with a missing field, e.g. pot_scale_int16 = true).
#include "runtime/model/tflite_options.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "flatbuffers/flexbuffers.h"
#include "runtime/graph/dtype.h"
#include "runtime/graph/ops.h"
#include "runtime/model/tflite_common.h"
#include "schema/tflite_generated.h"

namespace eir {

namespace {

using tflite::BuiltinOperator;
using tflite::BuiltinOptions;

// Upper bound for strides, dilations, pooling windows and block sizes. TFLite has none, but no
// real model comes near it, and it keeps the kernels' int arithmetic on sizes (e.g.
// (filter - 1) * dilation + 1, in + stride - 1) far from overflow on hostile files.
constexpr int kMaxWindowParam = 1 << 16;

// TFLite's params structs hold at most 8 entries for RESHAPE's new_shape and SQUEEZE's dims and
// refuse longer vectors.
constexpr uint32_t kMaxOptionDims = 8;

std::string options_label(BuiltinOptions type) {
  int t = static_cast<int>(type);
  const char* name = builtin_options_type_name(t);
  if (std::strcmp(name, "UNKNOWN") == 0) return str_cat("unknown options type ", t);
  return name;
}

// Returns the op's options table if it is of type `expected`, nullptr if the op has none.
// A table of another type is an error (TFLite would silently use zeros; eir refuses, since such a
// file was not written by a correct converter). `required` ops must have the table.
template <class T>
Status get_options(const tflite::Operator* op, const char* op_name, BuiltinOptions expected, bool required,
                   const T** out) {
  *out = nullptr;
  const BuiltinOptions type = op->builtin_options_type();
  if (type != BuiltinOptions::NONE && type != expected)
    return invalid_model(op_name, " requires ", options_label(expected), ", got ", options_label(type));
  if (type == expected) *out = static_cast<const T*>(op->builtin_options());
  if (*out == nullptr && required) return invalid_model(op_name, " requires ", options_label(expected), ", got none");
  return Status::Ok();
}

Status convert_padding(tflite::Padding p, const char* op_name, Padding* out) {
  switch (p) {
    case tflite::Padding::SAME: *out = Padding::kSame; return Status::Ok();
    case tflite::Padding::VALID: *out = Padding::kValid; return Status::Ok();
  }
  return invalid_model(op_name, ": unknown padding ", static_cast<int>(p), " (expected SAME or VALID)");
}

Status convert_activation(tflite::ActivationFunctionType a, const char* op_name, Activation* out) {
  // eir::Activation mirrors the TFLite values one to one.
  const int v = static_cast<int>(a);
  if (v < 0 || v > static_cast<int>(Activation::kSignBit))
    return invalid_model(op_name, ": unknown fused activation ", v);
  *out = static_cast<Activation>(v);
  return Status::Ok();
}

Status check_window_param(int value, const char* op_name, const char* what) {
  if (value < 1 || value > kMaxWindowParam)
    return invalid_model(op_name, ": ", what, " must be in [1, ", kMaxWindowParam, "], got ", value);
  return Status::Ok();
}

Status check_finite(float value, const char* op_name, const char* what) {
  if (!std::isfinite(value)) return invalid_model(op_name, ": ", what, " must be finite, got ", value);
  return Status::Ok();
}

// quantized_bias_type (CONV_2D v8+, FULLY_CONNECTED v11+, TRANSPOSE_CONV v5+): FLOAT32 (the
// default) means unset; otherwise TFLite requires INT32 or INT64 and that the bias tensor has
// exactly that type, so kernels can rely on the bias dtype and eir need not store the field.
Status check_quantized_bias_type(tflite::TensorType t, const char* op_name) {
  if (t == tflite::TensorType::FLOAT32 || t == tflite::TensorType::INT32 || t == tflite::TensorType::INT64)
    return Status::Ok();
  return invalid_model(op_name, ": quantized_bias_type must be INT32 or INT64, got ", tflite_type_name(t));
}

// Index output type of ARG_MAX/ARG_MIN/SHAPE: TFLite accepts only INT32 and INT64.
Status index_output_type(tflite::TensorType t, const char* op_name, const char* what, int* out) {
  if (t != tflite::TensorType::INT32 && t != tflite::TensorType::INT64)
    return invalid_model(op_name, ": ", what, " must be INT32 or INT64, got ", tflite_type_name(t));
  *out = static_cast<int>(dtype_from_tflite(t));
  return Status::Ok();
}

Status copy_int_vector(const flatbuffers::Vector<int32_t>* v, const char* op_name, const char* what,
                       std::vector<int32_t>* out) {
  out->clear();
  if (v == nullptr) return Status::Ok();
  if (v->size() > kMaxOptionDims)
    return invalid_model(op_name, ": ", what, " has ", v->size(), " entries; at most ", kMaxOptionDims, " allowed");
  out->assign(v->begin(), v->end());
  return Status::Ok();
}

// The fields CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and the 2D pools share (same names in
// their options tables): padding, fused activation and strides, each checked.
template <class Options, class Params>
Status parse_window_options(const Options* o, const char* name, Params* p) {
  EIR_RETURN_IF_ERROR(convert_padding(o->padding(), name, &p->padding));
  EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p->activation));
  EIR_RETURN_IF_ERROR(check_window_param(p->stride_w = o->stride_w(), name, "stride_w"));
  return check_window_param(p->stride_h = o->stride_h(), name, "stride_h");
}

// The dilation factors of CONV_2D and DEPTHWISE_CONV_2D.
template <class Options>
Status parse_dilation_options(const Options* o, const char* name, ConvParams* p) {
  EIR_RETURN_IF_ERROR(check_window_param(p->dilation_w = o->dilation_w_factor(), name, "dilation_w_factor"));
  return check_window_param(p->dilation_h = o->dilation_h_factor(), name, "dilation_h_factor");
}

// ---- builtin ops ----------------------------------------------------------------------------

Status parse_conv2d(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::Conv2DOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::Conv2DOptions, true, &o));
  ConvParams p;
  EIR_RETURN_IF_ERROR(parse_window_options(o, name, &p));
  EIR_RETURN_IF_ERROR(parse_dilation_options(o, name, &p));
  EIR_RETURN_IF_ERROR(check_quantized_bias_type(o->quantized_bias_type(), name));
  node->params = p;
  return Status::Ok();
}

Status parse_depthwise_conv2d(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::DepthwiseConv2DOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::DepthwiseConv2DOptions, true, &o));
  ConvParams p;
  EIR_RETURN_IF_ERROR(parse_window_options(o, name, &p));
  EIR_RETURN_IF_ERROR(parse_dilation_options(o, name, &p));
  // depth_multiplier is redundant with the filter shape; newer converters may write 0. The kernel
  // derives the real multiplier from the shapes and may cross-check a positive value.
  p.depth_multiplier = o->depth_multiplier();
  if (p.depth_multiplier < 0) return invalid_model(name, ": depth_multiplier must be >= 0, got ", p.depth_multiplier);
  node->params = p;
  return Status::Ok();
}

Status parse_transpose_conv(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::TransposeConvOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::TransposeConvOptions, true, &o));
  ConvParams p;
  EIR_RETURN_IF_ERROR(parse_window_options(o, name, &p));
  EIR_RETURN_IF_ERROR(check_quantized_bias_type(o->quantized_bias_type(), name));
  node->params = p;
  return Status::Ok();
}

Status parse_pool(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::Pool2DOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::Pool2DOptions, true, &o));
  PoolParams p;
  EIR_RETURN_IF_ERROR(parse_window_options(o, name, &p));
  EIR_RETURN_IF_ERROR(check_window_param(p.filter_w = o->filter_width(), name, "filter_width"));
  EIR_RETURN_IF_ERROR(check_window_param(p.filter_h = o->filter_height(), name, "filter_height"));
  node->params = p;
  return Status::Ok();
}

Status parse_fully_connected(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::FullyConnectedOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::FullyConnectedOptions, false, &o));
  FullyConnectedParams p;
  if (o != nullptr) {
    EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
    p.keep_num_dims = o->keep_num_dims();
    p.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
    switch (o->weights_format()) {
      case tflite::FullyConnectedOptionsWeightsFormat::DEFAULT: p.weights_format = 0; break;
      case tflite::FullyConnectedOptionsWeightsFormat::SHUFFLED4x16INT8:
        return unsupported(name, ": weights_format SHUFFLED4x16INT8 is not supported");
      default:
        return invalid_model(name, ": unknown weights_format ", static_cast<int>(o->weights_format()));
    }
    EIR_RETURN_IF_ERROR(check_quantized_bias_type(o->quantized_bias_type(), name));
  }
  node->params = p;
  return Status::Ok();
}

// ADD, SUB, MUL, DIV: a fused activation (+ pot_scale_int16 for ADD/SUB).
template <class T>
Status parse_binary(const tflite::Operator* op, const char* name, BuiltinOptions expected, Node* node) {
  const T* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, expected, false, &o));
  ActivationParams p;
  if (o != nullptr) EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
  node->params = p;
  return Status::Ok();
}

template <class T>
Status parse_add_sub(const tflite::Operator* op, const char* name, BuiltinOptions expected, Node* node) {
  const T* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, expected, false, &o));
  ActivationParams p;
  if (o != nullptr) {
    EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
    p.pot_scale_int16 = o->pot_scale_int16();
  } else {
    // Without a table TFLite's zeroed params select the general-scale int16 path.
    p.pot_scale_int16 = false;
  }
  node->params = p;
  return Status::Ok();
}

Status parse_concatenation(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::ConcatenationOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::ConcatenationOptions, false, &o));
  ConcatParams p;
  if (o != nullptr) {
    p.axis = o->axis();  // range depends on the input rank: checked by the kernel
    EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
  }
  node->params = p;
  return Status::Ok();
}

Status parse_reshape(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::ReshapeOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::ReshapeOptions, false, &o));
  ReshapeParams p;
  if (o != nullptr && o->new_shape() != nullptr) {
    EIR_RETURN_IF_ERROR(copy_int_vector(o->new_shape(), name, "new_shape", &p.new_shape));
    p.has_new_shape = true;
  }
  node->params = p;
  return Status::Ok();
}

Status parse_softmax(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::SoftmaxOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::SoftmaxOptions, false, &o));
  SoftmaxParams p;
  // TFLite's zeroed params give beta = 0 (a uniform output) when the table is absent.
  p.beta = o != nullptr ? o->beta() : 0.0f;
  EIR_RETURN_IF_ERROR(check_finite(p.beta, name, "beta"));
  node->params = p;
  return Status::Ok();
}

Status parse_reducer(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::ReducerOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::ReducerOptions, false, &o));
  ReducerParams p;
  if (o != nullptr) p.keep_dims = o->keep_dims();
  node->params = p;
  return Status::Ok();
}

Status parse_strided_slice(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::StridedSliceOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::StridedSliceOptions, false, &o));
  StridedSliceParams p;
  if (o != nullptr) {
    // Bit masks over the (at most 8) slice dims; the kernel checks them against the rank.
    p.begin_mask = o->begin_mask();
    p.end_mask = o->end_mask();
    p.ellipsis_mask = o->ellipsis_mask();
    p.new_axis_mask = o->new_axis_mask();
    p.shrink_axis_mask = o->shrink_axis_mask();
    p.offset = o->offset();
  }
  node->params = p;
  return Status::Ok();
}

template <class T>
Status parse_resize(const tflite::Operator* op, const char* name, BuiltinOptions expected, bool bilinear,
                    Node* node) {
  const T* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, expected, false, &o));
  ResizeParams p;
  if (o != nullptr) {
    p.align_corners = o->align_corners();
    p.half_pixel_centers = o->half_pixel_centers();
  }
  // TFLite's bilinear kernel refuses the combination; its nearest-neighbour kernel accepts it.
  if (bilinear && p.align_corners && p.half_pixel_centers)
    return invalid_model(name, ": align_corners and half_pixel_centers cannot both be true");
  node->params = p;
  return Status::Ok();
}

template <class T>
Status parse_block(const tflite::Operator* op, const char* name, BuiltinOptions expected, Node* node) {
  const T* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, expected, true, &o));
  BlockParams p;
  EIR_RETURN_IF_ERROR(check_window_param(p.block_size = o->block_size(), name, "block_size"));
  node->params = p;
  return Status::Ok();
}

Status parse_pack(const tflite::Operator* op, const char* name, Node* node) {
  // Zero defaults would mean "pack 0 values", which TFLite's kernel refuses: require the table.
  const tflite::PackOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::PackOptions, true, &o));
  PackParams p;
  p.values_count = o->values_count();
  p.axis = o->axis();  // range depends on the rank: checked by the kernel
  if (p.values_count < 1) return invalid_model(name, ": values_count must be >= 1, got ", p.values_count);
  node->params = p;
  return Status::Ok();
}

Status parse_unpack(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::UnpackOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::UnpackOptions, true, &o));
  UnpackParams p;
  p.num = o->num();
  p.axis = o->axis();
  if (p.num < 1) return invalid_model(name, ": num must be >= 1, got ", p.num);
  node->params = p;
  return Status::Ok();
}

Status parse_gather(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::GatherOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::GatherOptions, false, &o));
  GatherParams p;
  if (o != nullptr) {
    p.axis = o->axis();  // may be negative; normalised against the rank by the kernel
    p.batch_dims = o->batch_dims();
  }
  node->params = p;
  return Status::Ok();
}

Status parse_squeeze(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::SqueezeOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::SqueezeOptions, false, &o));
  SqueezeParams p;
  if (o != nullptr) EIR_RETURN_IF_ERROR(copy_int_vector(o->squeeze_dims(), name, "squeeze_dims", &p.squeeze_dims));
  node->params = p;
  return Status::Ok();
}

Status parse_leaky_relu(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::LeakyReluOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::LeakyReluOptions, false, &o));
  LeakyReluParams p;
  // TensorFlow's default alpha is 0.2, but TFLite's zeroed params give 0 without a table.
  p.alpha = o != nullptr ? o->alpha() : 0.0f;
  EIR_RETURN_IF_ERROR(check_finite(p.alpha, name, "alpha"));
  node->params = p;
  return Status::Ok();
}

template <class T>
Status parse_arg_min_max(const tflite::Operator* op, const char* name, BuiltinOptions expected, Node* node) {
  // Without a table TFLite's output_type is "no type" and its kernel fails: require it.
  const T* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, expected, true, &o));
  ArgMinMaxParams p;
  EIR_RETURN_IF_ERROR(index_output_type(o->output_type(), name, "output_type", &p.output_type));
  node->params = p;
  return Status::Ok();
}

Status parse_cast(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::CastOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::CastOptions, false, &o));
  CastParams p;  // informative only: TFLite's CAST works from the tensor types
  if (o != nullptr) {
    p.in_type = static_cast<int>(dtype_from_tflite(o->in_data_type()));
    p.out_type = static_cast<int>(dtype_from_tflite(o->out_data_type()));
  }
  node->params = p;
  return Status::Ok();
}

Status parse_split(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::SplitOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::SplitOptions, true, &o));
  SplitParams p;
  p.num_splits = o->num_splits();
  if (p.num_splits < 1) return invalid_model(name, ": num_splits must be >= 1, got ", p.num_splits);
  node->params = p;
  return Status::Ok();
}

Status parse_shape(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::ShapeOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::ShapeOptions, true, &o));
  ShapeParams p;
  EIR_RETURN_IF_ERROR(index_output_type(o->out_type(), name, "out_type", &p.out_type));
  node->params = p;
  return Status::Ok();
}

Status parse_sequence_lstm(const tflite::Operator* op, const char* name, Node* node) {
  const tflite::UnidirectionalSequenceLSTMOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::UnidirectionalSequenceLSTMOptions, false, &o));
  SequenceLstmParams p;
  if (o != nullptr) {
    EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
    p.cell_clip = o->cell_clip();
    p.proj_clip = o->proj_clip();
    p.time_major = o->time_major();
    p.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
    p.diagonal_recurrent_tensors = o->diagonal_recurrent_tensors();
  } else {
    p.activation = Activation::kNone;  // TFLite's zeroed params
  }
  // Clips are later divided by tensor scales and converted to integers in the quantized kernel:
  // only finite, non-negative values (0 = no clipping) are meaningful.
  EIR_RETURN_IF_ERROR(check_finite(p.cell_clip, name, "cell_clip"));
  EIR_RETURN_IF_ERROR(check_finite(p.proj_clip, name, "proj_clip"));
  if (p.cell_clip < 0.0f) return invalid_model(name, ": cell_clip must be >= 0, got ", p.cell_clip);
  if (p.proj_clip < 0.0f) return invalid_model(name, ": proj_clip must be >= 0, got ", p.proj_clip);
  node->params = p;
  return Status::Ok();
}

Status parse_svdf(const tflite::Operator* op, const char* name, Node* node) {
  // The kernel divides by rank: a missing table (rank 0) cannot work.
  const tflite::SVDFOptions* o;
  EIR_RETURN_IF_ERROR(get_options(op, name, BuiltinOptions::SVDFOptions, true, &o));
  SvdfParams p;
  p.rank = o->rank();
  if (p.rank < 1) return invalid_model(name, ": rank must be >= 1, got ", p.rank);
  EIR_RETURN_IF_ERROR(convert_activation(o->fused_activation_function(), name, &p.activation));
  p.asymmetric_quantize_inputs = o->asymmetric_quantize_inputs();
  node->params = p;
  return Status::Ok();
}

// ---- custom ops -----------------------------------------------------------------------------

// MediaPipe's Convolution2DTransposeBias stores a raw C struct TfLiteTransposeConvParams as its
// custom options: int32 padding (TfLitePadding: 0 unknown, 1 SAME, 2 VALID), int32 stride_width,
// int32 stride_height, little-endian. Newer TFLite headers append fields (activation, ...) that
// MediaPipe's kernel never reads, so longer blobs are accepted and the tail ignored.
Status parse_transpose_conv_bias(const std::vector<uint8_t>& bytes, const char* name, Node* node) {
  constexpr size_t kStructBytes = 3 * sizeof(int32_t);
  if (bytes.size() < kStructBytes)
    return invalid_model(name, ": custom options must hold ", kStructBytes,
                         " bytes (padding, stride_width, stride_height), got ", bytes.size());
  int32_t fields[3];
  std::memcpy(fields, bytes.data(), kStructBytes);
  ConvParams p;
  switch (fields[0]) {
    case 1: p.padding = Padding::kSame; break;
    case 2: p.padding = Padding::kValid; break;
    default: return invalid_model(name, ": padding must be 1 (SAME) or 2 (VALID), got ", fields[0]);
  }
  EIR_RETURN_IF_ERROR(check_window_param(p.stride_w = fields[1], name, "stride_width"));
  EIR_RETURN_IF_ERROR(check_window_param(p.stride_h = fields[2], name, "stride_height"));
  node->params = p;
  return Status::Ok();
}

// Reads scalar entries of a FlexBuffer map. The bytes must have passed flexbuffers::VerifyBuffer,
// which checks every offset, width and type byte this reader follows. eir reads the values
// itself rather than through flexbuffers::Reference::AsInt64() & co: those also convert strings
// and so need flatbuffers' compiled library (ClassicLocale), while eir uses the headers only.
// Only numbers and bools are accepted; TFLite would also parse numeric strings, but no converter
// writes them.
class FlexMap {
 public:
  // False if the root of `bytes` is not a map.
  bool open(const std::vector<uint8_t>& bytes) {
    const uint8_t* end = bytes.data() + bytes.size();
    const uint8_t root_width = end[-1];
    const uint8_t root_packed = end[-2];
    if ((root_packed >> 2) != flexbuffers::FBT_MAP) return false;
    const uint8_t* root = end - 2 - root_width;
    values_ = root - read_uint(root, root_width);
    width_ = static_cast<uint8_t>(1u << (root_packed & 3));
    value_count_ = read_uint(values_ - width_, width_);
    const uint8_t* keys_field = values_ - 3 * width_;
    keys_ = keys_field - read_uint(keys_field, width_);
    key_width_ = static_cast<uint8_t>(read_uint(values_ - 2 * width_, width_));
    // The verifier checks the key and value vectors separately (their lengths may differ in a
    // corrupt file); look only at entries both have.
    count_ = std::min<uint64_t>(value_count_, read_uint(keys_ - key_width_, key_width_));
    return true;
  }

  // The entry named `key`: its type, the address of its scalar and the scalar's width.
  // false if absent.
  bool find(const char* key, flexbuffers::Type* type, const uint8_t** data, uint8_t* width) const {
    for (uint64_t i = 0; i < count_; ++i) {
      const uint8_t* key_slot = keys_ + i * key_width_;
      const char* name = reinterpret_cast<const char*>(key_slot - read_uint(key_slot, key_width_));
      if (std::strcmp(name, key) != 0) continue;
      const uint8_t packed = values_[value_count_ * width_ + i];  // type bytes follow all values
      const uint8_t* slot = values_ + i * width_;
      *type = static_cast<flexbuffers::Type>(packed >> 2);
      if (*type == flexbuffers::FBT_INDIRECT_INT || *type == flexbuffers::FBT_INDIRECT_UINT ||
          *type == flexbuffers::FBT_INDIRECT_FLOAT) {
        *data = slot - read_uint(slot, width_);
        *width = static_cast<uint8_t>(1u << (packed & 3));
      } else {
        *data = slot;  // inline scalars use the width of the vector that holds them
        *width = width_;
      }
      return true;
    }
    return false;
  }

  // Little-endian reads of 1/2/4/8-byte fields (widths were checked by the verifier).
  static uint64_t read_uint(const uint8_t* p, uint8_t width) {
    uint64_t v = 0;
    for (int b = width - 1; b >= 0; --b) v = (v << 8) | p[b];
    return v;
  }
  static int64_t read_int(const uint8_t* p, uint8_t width) {
    const uint64_t u = read_uint(p, width);
    if (width == 8) return static_cast<int64_t>(u);
    const uint64_t sign = uint64_t{1} << (8 * width - 1);
    return static_cast<int64_t>(u ^ sign) - static_cast<int64_t>(sign);  // sign-extend
  }

 private:
  const uint8_t* values_ = nullptr;
  const uint8_t* keys_ = nullptr;
  uint64_t value_count_ = 0;  // length of the value vector
  uint64_t count_ = 0;        // entries with both a key and a value
  uint8_t width_ = 1;
  uint8_t key_width_ = 1;
};

class FlexOptions {
 public:
  FlexOptions(const FlexMap& map, const char* op_name) : map_(map), op_name_(op_name) {}

  Status get_int(const char* key, int default_value, int* out) const {
    double v;
    bool present;
    EIR_RETURN_IF_ERROR(get_number(key, &v, &present));
    if (!present) {
      *out = default_value;
      return Status::Ok();
    }
    // TFLite's AsInt32 truncates floats toward zero; do the same for representable values.
    if (v <= -2147483649.0 || v >= 2147483648.0) return out_of_range(key);
    *out = static_cast<int>(v);
    return Status::Ok();
  }

  Status get_bool(const char* key, bool default_value, bool* out) const {
    double v;
    bool present;
    EIR_RETURN_IF_ERROR(get_number(key, &v, &present));
    *out = present ? v != 0.0 : default_value;
    return Status::Ok();
  }

  Status get_float(const char* key, float default_value, float* out) const {
    double v;
    bool present;
    EIR_RETURN_IF_ERROR(get_number(key, &v, &present));
    if (!present) {
      *out = default_value;
      return Status::Ok();
    }
    if (std::fabs(v) > std::numeric_limits<float>::max()) return out_of_range(key);
    *out = static_cast<float>(v);
    return Status::Ok();
  }

 private:
  // Any numeric or bool entry as a finite double (exact for every int32). A null entry counts
  // as absent, as in TFLite.
  Status get_number(const char* key, double* out, bool* present) const {
    flexbuffers::Type type;
    const uint8_t* data;
    uint8_t width;
    *present = map_.find(key, &type, &data, &width) && type != flexbuffers::FBT_NULL;
    if (!*present) return Status::Ok();
    switch (type) {
      case flexbuffers::FBT_INT:
      case flexbuffers::FBT_INDIRECT_INT: *out = static_cast<double>(FlexMap::read_int(data, width)); break;
      case flexbuffers::FBT_UINT:
      case flexbuffers::FBT_INDIRECT_UINT:
      case flexbuffers::FBT_BOOL: *out = static_cast<double>(FlexMap::read_uint(data, width)); break;
      case flexbuffers::FBT_FLOAT:
      case flexbuffers::FBT_INDIRECT_FLOAT:
        if (width == 4) {
          uint32_t bits = static_cast<uint32_t>(FlexMap::read_uint(data, 4));
          float f;
          std::memcpy(&f, &bits, sizeof(f));
          *out = f;
        } else if (width == 8) {
          uint64_t bits = FlexMap::read_uint(data, 8);
          std::memcpy(out, &bits, sizeof(*out));
        } else {
          return invalid_model(op_name_, ": option '", key, "' has an invalid float width ", int{width});
        }
        break;
      default: return invalid_model(op_name_, ": option '", key, "' must be a number");
    }
    if (!std::isfinite(*out)) return invalid_model(op_name_, ": option '", key, "' must be finite");
    return Status::Ok();
  }

  Status out_of_range(const char* key) const {
    return invalid_model(op_name_, ": option '", key, "' is out of range");
  }

  const FlexMap& map_;
  const char* op_name_;
};

// TFLite_Detection_PostProcess (SSD box decoding + NMS): FlexBuffer map of options. Absent keys
// take the values TFLite's kernel Init gives them (0 / false, except detections_per_class = 100).
Status parse_detection_postprocess(const std::vector<uint8_t>& bytes, const char* name, Node* node) {
  // The FlexBuffers verifier needs at least the 3-byte trailer and asserts on sizes >= 2 GiB.
  if (bytes.size() < 3 || bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return invalid_model(name, ": custom options must be a FlexBuffer map, got ", bytes.size(), " bytes");
  // Verify before any access: FlexMap follows the offsets it reads without further checks.
  if (!flexbuffers::VerifyBuffer(bytes.data(), bytes.size()))
    return invalid_model(name, ": custom options are not a valid FlexBuffer");
  FlexMap map;
  if (!map.open(bytes)) return invalid_model(name, ": custom options must be a FlexBuffer map");
  FlexOptions opts(map, name);

  DetectionPostProcessParams p;
  EIR_RETURN_IF_ERROR(opts.get_int("max_detections", 0, &p.max_detections));
  EIR_RETURN_IF_ERROR(opts.get_int("max_classes_per_detection", 0, &p.max_classes_per_detection));
  EIR_RETURN_IF_ERROR(opts.get_int("detections_per_class", 100, &p.detections_per_class));
  EIR_RETURN_IF_ERROR(opts.get_bool("use_regular_nms", false, &p.use_regular_nms));
  EIR_RETURN_IF_ERROR(opts.get_float("nms_score_threshold", 0.0f, &p.nms_score_threshold));
  EIR_RETURN_IF_ERROR(opts.get_float("nms_iou_threshold", 0.0f, &p.nms_iou_threshold));
  EIR_RETURN_IF_ERROR(opts.get_int("num_classes", 0, &p.num_classes));
  EIR_RETURN_IF_ERROR(opts.get_float("y_scale", 0.0f, &p.y_scale));
  EIR_RETURN_IF_ERROR(opts.get_float("x_scale", 0.0f, &p.x_scale));
  EIR_RETURN_IF_ERROR(opts.get_float("h_scale", 0.0f, &p.h_scale));
  EIR_RETURN_IF_ERROR(opts.get_float("w_scale", 0.0f, &p.w_scale));

  if (p.max_detections < 0) return invalid_model(name, ": max_detections must be >= 0, got ", p.max_detections);
  if (p.max_classes_per_detection < 0)
    return invalid_model(name, ": max_classes_per_detection must be >= 0, got ", p.max_classes_per_detection);
  // The outputs hold max_detections * max_classes_per_detection boxes.
  if (static_cast<int64_t>(p.max_detections) * p.max_classes_per_detection > std::numeric_limits<int32_t>::max())
    return invalid_model(name, ": max_detections * max_classes_per_detection overflows (", p.max_detections, " * ",
                         p.max_classes_per_detection, ")");
  if (p.detections_per_class < 0)
    return invalid_model(name, ": detections_per_class must be >= 0, got ", p.detections_per_class);
  if (p.num_classes < 1) return invalid_model(name, ": num_classes must be >= 1, got ", p.num_classes);
  // TFLite refuses these at Eval; eir refuses them at load.
  if (!(p.nms_iou_threshold > 0.0f && p.nms_iou_threshold <= 1.0f))
    return invalid_model(name, ": nms_iou_threshold must be in (0, 1], got ", p.nms_iou_threshold);
  // Box decoding divides by the scales.
  const float scales[4] = {p.y_scale, p.x_scale, p.h_scale, p.w_scale};
  const char* scale_names[4] = {"y_scale", "x_scale", "h_scale", "w_scale"};
  for (int i = 0; i < 4; ++i)
    if (!(scales[i] > 0.0f)) return invalid_model(name, ": ", scale_names[i], " must be > 0, got ", scales[i]);
  node->params = p;
  return Status::Ok();
}

Status parse_custom(const tflite::Operator* op, const std::string& custom_name, Node* node) {
  const char* name = custom_name.c_str();
  const bool known = custom_name == "Convolution2DTransposeBias" || custom_name == "TFLite_Detection_PostProcess";
  // Models over 2 GB keep custom options after the FlatBuffer; the importer must have copied them.
  if (known && node->custom_options.empty() && op->large_custom_options_offset() > 1 &&
      op->large_custom_options_size() > 0)
    return unsupported(name, ": custom options stored outside the FlatBuffer were not loaded");
  if (custom_name == "Convolution2DTransposeBias") return parse_transpose_conv_bias(node->custom_options, name, node);
  if (custom_name == "TFLite_Detection_PostProcess") return parse_detection_postprocess(node->custom_options, name, node);
  return Status::Ok();  // unknown custom ops: the kernel registry decides whether they exist
}

}  // namespace

const char* builtin_options_type_name(int type) {
  if (type < static_cast<int>(BuiltinOptions::MIN) || type > static_cast<int>(BuiltinOptions::MAX)) return "UNKNOWN";
  const char* name = tflite::EnumNameBuiltinOptions(static_cast<BuiltinOptions>(type));
  return (name != nullptr && *name != '\0') ? name : "UNKNOWN";
}

Status parse_operator_options(const tflite::Operator* op, int builtin_code, const std::string& custom_name,
                              Node* node) {
  if (op == nullptr || node == nullptr) return internal_error("parse_operator_options: null argument");
  node->params = std::monostate{};
  if (const auto* bytes = op->custom_options()) node->custom_options.assign(bytes->begin(), bytes->end());

  const char* name = builtin_op_name(builtin_code);
  using Op = BuiltinOperator;
  using BO = BuiltinOptions;
  switch (static_cast<Op>(builtin_code)) {
    case Op::CUSTOM: return parse_custom(op, custom_name, node);
    case Op::CONV_2D: return parse_conv2d(op, name, node);
    case Op::DEPTHWISE_CONV_2D: return parse_depthwise_conv2d(op, name, node);
    case Op::TRANSPOSE_CONV: return parse_transpose_conv(op, name, node);
    case Op::AVERAGE_POOL_2D:
    case Op::MAX_POOL_2D:
    case Op::L2_POOL_2D: return parse_pool(op, name, node);
    case Op::FULLY_CONNECTED: return parse_fully_connected(op, name, node);
    case Op::ADD: return parse_add_sub<tflite::AddOptions>(op, name, BO::AddOptions, node);
    case Op::SUB: return parse_add_sub<tflite::SubOptions>(op, name, BO::SubOptions, node);
    case Op::MUL: return parse_binary<tflite::MulOptions>(op, name, BO::MulOptions, node);
    case Op::DIV: return parse_binary<tflite::DivOptions>(op, name, BO::DivOptions, node);
    case Op::CONCATENATION: return parse_concatenation(op, name, node);
    case Op::RESHAPE: return parse_reshape(op, name, node);
    case Op::SOFTMAX: return parse_softmax(op, name, node);
    case Op::MEAN:
    case Op::SUM:
    case Op::REDUCE_PROD:
    case Op::REDUCE_MAX:
    case Op::REDUCE_MIN:
    case Op::REDUCE_ANY:
    case Op::REDUCE_ALL: return parse_reducer(op, name, node);
    case Op::STRIDED_SLICE: return parse_strided_slice(op, name, node);
    case Op::RESIZE_BILINEAR:
      return parse_resize<tflite::ResizeBilinearOptions>(op, name, BO::ResizeBilinearOptions, true, node);
    case Op::RESIZE_NEAREST_NEIGHBOR:
      return parse_resize<tflite::ResizeNearestNeighborOptions>(op, name, BO::ResizeNearestNeighborOptions, false,
                                                                node);
    case Op::DEPTH_TO_SPACE: return parse_block<tflite::DepthToSpaceOptions>(op, name, BO::DepthToSpaceOptions, node);
    case Op::SPACE_TO_DEPTH: return parse_block<tflite::SpaceToDepthOptions>(op, name, BO::SpaceToDepthOptions, node);
    case Op::PACK: return parse_pack(op, name, node);
    case Op::UNPACK: return parse_unpack(op, name, node);
    case Op::GATHER: return parse_gather(op, name, node);
    case Op::SQUEEZE: return parse_squeeze(op, name, node);
    case Op::LEAKY_RELU: return parse_leaky_relu(op, name, node);
    case Op::ARG_MAX: return parse_arg_min_max<tflite::ArgMaxOptions>(op, name, BO::ArgMaxOptions, node);
    case Op::ARG_MIN: return parse_arg_min_max<tflite::ArgMinOptions>(op, name, BO::ArgMinOptions, node);
    case Op::CAST: return parse_cast(op, name, node);
    case Op::SPLIT: return parse_split(op, name, node);
    case Op::SHAPE: return parse_shape(op, name, node);
    case Op::UNIDIRECTIONAL_SEQUENCE_LSTM: return parse_sequence_lstm(op, name, node);
    case Op::SVDF: return parse_svdf(op, name, node);
    default: return Status::Ok();  // no options eir needs
  }
}

}  // namespace eir
