// Tests for runtime/model/tflite_options.cc: TFLite builtin/custom options -> eir op params.
// Each case builds a one-operator FlatBuffer with the generated Create* helpers, verifies it like
// the importer would, and checks the parsed params or the refusal.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "flatbuffers/flexbuffers.h"
#include "runtime/graph/dtype.h"
#include "runtime/model/tflite_options.h"
#include "schema/tflite_generated.h"

namespace eir {
namespace {

using tflite::BuiltinOperator;
using tflite::BuiltinOptions;
using MakeOptions = std::function<flatbuffers::Offset<void>(flatbuffers::FlatBufferBuilder&)>;

int code(BuiltinOperator op) { return static_cast<int>(op); }

// A verified FlatBuffer holding one Operator with the given options.
class OpBuffer {
 public:
  OpBuffer(BuiltinOptions type, const MakeOptions& make, const std::vector<uint8_t>* custom = nullptr) {
    flatbuffers::Offset<void> options = make ? make(fbb_) : 0;
    flatbuffers::Offset<flatbuffers::Vector<uint8_t>> custom_bytes = 0;
    if (custom != nullptr) custom_bytes = fbb_.CreateVector(*custom);
    auto inputs = fbb_.CreateVector(std::vector<int32_t>{0});
    auto outputs = fbb_.CreateVector(std::vector<int32_t>{1});
    fbb_.Finish(tflite::CreateOperator(fbb_, 0, inputs, outputs, type, options, custom_bytes));
    flatbuffers::Verifier verifier(fbb_.GetBufferPointer(), fbb_.GetSize());
    verified_ = verifier.VerifyBuffer<tflite::Operator>(nullptr);
  }
  static OpBuffer none() { return OpBuffer(BuiltinOptions::NONE, nullptr); }
  static OpBuffer custom(const std::vector<uint8_t>& bytes) { return OpBuffer(BuiltinOptions::NONE, nullptr, &bytes); }

  bool verified() const { return verified_; }
  const tflite::Operator* op() const { return flatbuffers::GetRoot<tflite::Operator>(fbb_.GetBufferPointer()); }

  Status parse(BuiltinOperator builtin, Node* node) const {
    REQUIRE(verified_);
    return parse_operator_options(op(), code(builtin), "", node);
  }
  Status parse_custom(const std::string& name, Node* node) const {
    REQUIRE(verified_);
    return parse_operator_options(op(), code(BuiltinOperator::CUSTOM), name, node);
  }

 private:
  flatbuffers::FlatBufferBuilder fbb_;
  bool verified_ = false;
};

template <class F>
MakeOptions opts(F f) {
  return [f](flatbuffers::FlatBufferBuilder& fbb) { return f(fbb).Union(); };
}

void require_invalid(const Status& s, const std::string& fragment) {
  INFO(s.message());
  REQUIRE(s.code() == StatusCode::kInvalidModel);
  CHECK_THAT(s.message(), Catch::Contains(fragment));
}

MakeOptions conv_opts(tflite::Padding pad, int sw, int sh, tflite::ActivationFunctionType act, int dw, int dh) {
  return opts([=](flatbuffers::FlatBufferBuilder& fbb) {
    return tflite::CreateConv2DOptions(fbb, pad, sw, sh, act, dw, dh);
  });
}

// ---- FlexBuffers for TFLite_Detection_PostProcess ----

// A typical SSD options map. `extra` adds entries; keys listed in `replaced` are left out of the
// defaults so that `extra` can give them another value (a map must not repeat a key).
std::vector<uint8_t> detection_options(const std::function<void(flexbuffers::Builder&)>& extra = nullptr,
                                       const std::set<std::string>& replaced = {}, bool with_defaults = true) {
  flexbuffers::Builder fbb;
  fbb.Map([&]() {
    auto put_int = [&](const char* key, int v) {
      if (with_defaults && !replaced.count(key)) fbb.Int(key, v);
    };
    auto put_float = [&](const char* key, float v) {
      if (with_defaults && !replaced.count(key)) fbb.Float(key, v);
    };
    put_int("max_detections", 10);
    put_int("max_classes_per_detection", 1);
    put_float("nms_score_threshold", 1e-8f);
    put_float("nms_iou_threshold", 0.6f);
    put_int("num_classes", 90);
    put_float("y_scale", 10.0f);
    put_float("x_scale", 10.0f);
    put_float("h_scale", 5.0f);
    put_float("w_scale", 5.0f);
    if (extra) extra(fbb);
  });
  fbb.Finish();
  return fbb.GetBuffer();
}

// A FlexBuffer map assembled by hand (1-byte widths, small int values) whose key vector may
// claim fewer entries than the value vector holds, as a corrupt file could.
std::vector<uint8_t> hand_made_map(const std::vector<std::pair<std::string, int8_t>>& sorted_entries,
                                   size_t key_count) {
  std::vector<uint8_t> b;
  std::vector<size_t> key_at;
  for (const auto& e : sorted_entries) {
    key_at.push_back(b.size());
    b.insert(b.end(), e.first.begin(), e.first.end());
    b.push_back(0);
  }
  b.push_back(static_cast<uint8_t>(key_count));  // key vector length prefix
  const size_t keys = b.size();
  for (size_t i = 0; i < sorted_entries.size(); ++i) b.push_back(static_cast<uint8_t>(b.size() - key_at[i]));
  const size_t keys_field = b.size();
  b.push_back(static_cast<uint8_t>(keys_field - keys));  // offset back to the key vector
  b.push_back(1);                                        // key width
  b.push_back(static_cast<uint8_t>(sorted_entries.size()));  // value vector length
  const size_t values = b.size();
  for (const auto& e : sorted_entries) b.push_back(static_cast<uint8_t>(e.second));
  for (size_t i = 0; i < sorted_entries.size(); ++i) b.push_back(static_cast<uint8_t>(flexbuffers::FBT_INT << 2));
  const size_t root = b.size();
  b.push_back(static_cast<uint8_t>(root - values));
  b.push_back(static_cast<uint8_t>(flexbuffers::FBT_MAP << 2));
  b.push_back(1);  // root width
  return b;
}

}  // namespace

TEST_CASE("tflite options: CONV_2D", "[unit][tflite_options]") {
  using tflite::ActivationFunctionType;
  using tflite::Padding;
  Node node;
  OpBuffer ok(BuiltinOptions::Conv2DOptions, conv_opts(Padding::SAME, 2, 1, ActivationFunctionType::RELU6, 1, 3));
  REQUIRE(ok.parse(BuiltinOperator::CONV_2D, &node).ok());
  const ConvParams* p = node.params_as<ConvParams>();
  REQUIRE(p != nullptr);
  CHECK(p->padding == eir::Padding::kSame);
  CHECK(p->stride_w == 2);
  CHECK(p->stride_h == 1);
  CHECK(p->dilation_w == 1);
  CHECK(p->dilation_h == 3);
  CHECK(p->activation == Activation::kRelu6);

  SECTION("schema defaults apply to absent fields (dilation 1, VALID, no activation)") {
    OpBuffer b(BuiltinOptions::Conv2DOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 tflite::Conv2DOptionsBuilder ob(fbb);
                 ob.add_stride_w(1);
                 ob.add_stride_h(1);
                 ob.add_padding(Padding::VALID);
                 return ob.Finish();
               }));
    Node n;
    REQUIRE(b.parse(BuiltinOperator::CONV_2D, &n).ok());
    CHECK(n.params_as<ConvParams>()->dilation_w == 1);
    CHECK(n.params_as<ConvParams>()->dilation_h == 1);
    CHECK(n.params_as<ConvParams>()->padding == eir::Padding::kValid);
    CHECK(n.params_as<ConvParams>()->activation == Activation::kNone);
  }
  SECTION("missing options are refused") {
    Node n;
    require_invalid(OpBuffer::none().parse(BuiltinOperator::CONV_2D, &n), "CONV_2D requires Conv2DOptions, got none");
  }
  SECTION("wrong union type is refused") {
    OpBuffer b(BuiltinOptions::Pool2DOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreatePool2DOptions(fbb, Padding::SAME, 1, 1, 2, 2);
               }));
    Node n;
    require_invalid(b.parse(BuiltinOperator::CONV_2D, &n), "CONV_2D requires Conv2DOptions, got Pool2DOptions");
  }
  SECTION("zero and negative strides / dilations are refused") {
    Node n;
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions, conv_opts(Padding::SAME, 0, 1, ActivationFunctionType::NONE, 1, 1))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "stride_w");
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions, conv_opts(Padding::SAME, 1, -2, ActivationFunctionType::NONE, 1, 1))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "stride_h");
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions, conv_opts(Padding::SAME, 1, 1, ActivationFunctionType::NONE, 0, 1))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "dilation_w_factor");
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions,
                             conv_opts(Padding::SAME, 1, 1, ActivationFunctionType::NONE, 1, 1 << 20))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "dilation_h_factor");
  }
  SECTION("unknown enum values are refused") {
    Node n;
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions,
                             conv_opts(static_cast<Padding>(7), 1, 1, ActivationFunctionType::NONE, 1, 1))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "padding");
    require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions,
                             conv_opts(Padding::VALID, 1, 1, static_cast<ActivationFunctionType>(9), 1, 1))
                        .parse(BuiltinOperator::CONV_2D, &n),
                    "activation");
  }
  SECTION("quantized_bias_type must be unset, INT32 or INT64") {
    Node n;
    auto make = [](tflite::TensorType t) {
      return OpBuffer(BuiltinOptions::Conv2DOptions, opts([t](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreateConv2DOptions(fbb, Padding::SAME, 1, 1, ActivationFunctionType::NONE, 1, 1, t);
                      }));
    };
    CHECK(make(tflite::TensorType::INT64).parse(BuiltinOperator::CONV_2D, &n).ok());
    require_invalid(make(tflite::TensorType::INT8).parse(BuiltinOperator::CONV_2D, &n), "quantized_bias_type");
  }
}

TEST_CASE("tflite options: DEPTHWISE_CONV_2D and TRANSPOSE_CONV", "[unit][tflite_options]") {
  using tflite::ActivationFunctionType;
  using tflite::Padding;
  auto dw = [](int multiplier) {
    return OpBuffer(BuiltinOptions::DepthwiseConv2DOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateDepthwiseConv2DOptions(fbb, Padding::VALID, 2, 2, multiplier,
                                                                  ActivationFunctionType::RELU, 2, 1);
                    }));
  };
  Node node;
  REQUIRE(dw(4).parse(BuiltinOperator::DEPTHWISE_CONV_2D, &node).ok());
  const ConvParams* p = node.params_as<ConvParams>();
  REQUIRE(p != nullptr);
  CHECK(p->depth_multiplier == 4);
  CHECK(p->dilation_w == 2);
  CHECK(p->dilation_h == 1);
  CHECK(p->activation == Activation::kRelu);
  CHECK(dw(0).parse(BuiltinOperator::DEPTHWISE_CONV_2D, &node).ok());  // redundant field; 0 tolerated
  require_invalid(dw(-1).parse(BuiltinOperator::DEPTHWISE_CONV_2D, &node), "depth_multiplier");
  // A Conv2DOptions table on a depthwise op is the wrong union member.
  require_invalid(OpBuffer(BuiltinOptions::Conv2DOptions, conv_opts(Padding::SAME, 1, 1, ActivationFunctionType::NONE, 1, 1))
                      .parse(BuiltinOperator::DEPTHWISE_CONV_2D, &node),
                  "DEPTHWISE_CONV_2D requires DepthwiseConv2DOptions, got Conv2DOptions");

  OpBuffer tc(BuiltinOptions::TransposeConvOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                return tflite::CreateTransposeConvOptions(fbb, Padding::SAME, 2, 3, ActivationFunctionType::RELU);
              }));
  Node t;
  REQUIRE(tc.parse(BuiltinOperator::TRANSPOSE_CONV, &t).ok());
  REQUIRE(t.params_as<ConvParams>() != nullptr);
  CHECK(t.params_as<ConvParams>()->stride_w == 2);
  CHECK(t.params_as<ConvParams>()->stride_h == 3);
  CHECK(t.params_as<ConvParams>()->activation == Activation::kRelu);
  require_invalid(OpBuffer::none().parse(BuiltinOperator::TRANSPOSE_CONV, &t), "TransposeConvOptions");
}

TEST_CASE("tflite options: pools", "[unit][tflite_options]") {
  using tflite::Padding;
  auto pool = [](int fw, int fh) {
    return OpBuffer(BuiltinOptions::Pool2DOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreatePool2DOptions(fbb, Padding::SAME, 2, 2, fw, fh,
                                                         tflite::ActivationFunctionType::RELU_N1_TO_1);
                    }));
  };
  for (BuiltinOperator op : {BuiltinOperator::AVERAGE_POOL_2D, BuiltinOperator::MAX_POOL_2D, BuiltinOperator::L2_POOL_2D}) {
    Node node;
    REQUIRE(pool(3, 5).parse(op, &node).ok());
    const PoolParams* p = node.params_as<PoolParams>();
    REQUIRE(p != nullptr);
    CHECK(p->filter_w == 3);
    CHECK(p->filter_h == 5);
    CHECK(p->stride_w == 2);
    CHECK(p->activation == Activation::kReluN1To1);
    require_invalid(pool(0, 2).parse(op, &node), "filter_width");
    require_invalid(pool(2, -1).parse(op, &node), "filter_height");
    require_invalid(OpBuffer::none().parse(op, &node), "requires Pool2DOptions");
  }
}

TEST_CASE("tflite options: elementwise binary ops", "[unit][tflite_options]") {
  SECTION("ADD with options: activation and pot_scale_int16 (schema default true)") {
    OpBuffer b(BuiltinOptions::AddOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateAddOptions(fbb, tflite::ActivationFunctionType::RELU);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::ADD, &node).ok());
    REQUIRE(node.params_as<ActivationParams>() != nullptr);
    CHECK(node.params_as<ActivationParams>()->activation == Activation::kRelu);
    CHECK(node.params_as<ActivationParams>()->pot_scale_int16);
  }
  SECTION("SUB with pot_scale_int16 = false") {
    OpBuffer b(BuiltinOptions::SubOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateSubOptions(fbb, tflite::ActivationFunctionType::NONE, false);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::SUB, &node).ok());
    CHECK_FALSE(node.params_as<ActivationParams>()->pot_scale_int16);
  }
  SECTION("missing options: TFLite's zeroed params (no activation, pot_scale_int16 false)") {
    for (BuiltinOperator op : {BuiltinOperator::ADD, BuiltinOperator::SUB}) {
      Node node;
      REQUIRE(OpBuffer::none().parse(op, &node).ok());
      REQUIRE(node.params_as<ActivationParams>() != nullptr);
      CHECK(node.params_as<ActivationParams>()->activation == Activation::kNone);
      CHECK_FALSE(node.params_as<ActivationParams>()->pot_scale_int16);
    }
    for (BuiltinOperator op : {BuiltinOperator::MUL, BuiltinOperator::DIV}) {
      Node node;
      REQUIRE(OpBuffer::none().parse(op, &node).ok());
      REQUIRE(node.params_as<ActivationParams>() != nullptr);
      CHECK(node.params_as<ActivationParams>()->activation == Activation::kNone);
    }
  }
  SECTION("MUL: activation; MulOptions on ADD is refused") {
    OpBuffer b(BuiltinOptions::MulOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateMulOptions(fbb, tflite::ActivationFunctionType::TANH);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::MUL, &node).ok());
    CHECK(node.params_as<ActivationParams>()->activation == Activation::kTanh);
    require_invalid(b.parse(BuiltinOperator::ADD, &node), "ADD requires AddOptions, got MulOptions");
  }
}

TEST_CASE("tflite options: FULLY_CONNECTED", "[unit][tflite_options]") {
  auto fc = [](tflite::FullyConnectedOptionsWeightsFormat format) {
    return OpBuffer(BuiltinOptions::FullyConnectedOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateFullyConnectedOptions(fbb, tflite::ActivationFunctionType::RELU, format, true,
                                                                 true);
                    }));
  };
  Node node;
  REQUIRE(fc(tflite::FullyConnectedOptionsWeightsFormat::DEFAULT).parse(BuiltinOperator::FULLY_CONNECTED, &node).ok());
  const FullyConnectedParams* p = node.params_as<FullyConnectedParams>();
  REQUIRE(p != nullptr);
  CHECK(p->activation == Activation::kRelu);
  CHECK(p->keep_num_dims);
  CHECK(p->asymmetric_quantize_inputs);
  CHECK(p->weights_format == 0);

  Status shuffled =
      fc(tflite::FullyConnectedOptionsWeightsFormat::SHUFFLED4x16INT8).parse(BuiltinOperator::FULLY_CONNECTED, &node);
  CHECK(shuffled.code() == StatusCode::kUnsupported);
  require_invalid(fc(static_cast<tflite::FullyConnectedOptionsWeightsFormat>(5)).parse(BuiltinOperator::FULLY_CONNECTED, &node),
                  "weights_format");

  Node bare;
  REQUIRE(OpBuffer::none().parse(BuiltinOperator::FULLY_CONNECTED, &bare).ok());
  REQUIRE(bare.params_as<FullyConnectedParams>() != nullptr);
  CHECK_FALSE(bare.params_as<FullyConnectedParams>()->keep_num_dims);
}

TEST_CASE("tflite options: shape-manipulating ops", "[unit][tflite_options]") {
  SECTION("CONCATENATION") {
    OpBuffer b(BuiltinOptions::ConcatenationOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateConcatenationOptions(fbb, -1, tflite::ActivationFunctionType::RELU6);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::CONCATENATION, &node).ok());
    CHECK(node.params_as<ConcatParams>()->axis == -1);
    CHECK(node.params_as<ConcatParams>()->activation == Activation::kRelu6);
  }
  SECTION("RESHAPE: new_shape present, absent, too long") {
    auto reshape = [](std::vector<int32_t> shape) {
      return OpBuffer(BuiltinOptions::ReshapeOptions, opts([shape](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreateReshapeOptions(fbb, fbb.CreateVector(shape));
                      }));
    };
    Node node;
    REQUIRE(reshape({1, -1, 4}).parse(BuiltinOperator::RESHAPE, &node).ok());
    const ReshapeParams* p = node.params_as<ReshapeParams>();
    REQUIRE(p != nullptr);
    CHECK(p->has_new_shape);
    CHECK(p->new_shape == std::vector<int32_t>{1, -1, 4});

    Node empty_table;
    OpBuffer no_shape(BuiltinOptions::ReshapeOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreateReshapeOptions(fbb);
                      }));
    REQUIRE(no_shape.parse(BuiltinOperator::RESHAPE, &empty_table).ok());
    CHECK_FALSE(empty_table.params_as<ReshapeParams>()->has_new_shape);

    Node bare;
    REQUIRE(OpBuffer::none().parse(BuiltinOperator::RESHAPE, &bare).ok());
    CHECK_FALSE(bare.params_as<ReshapeParams>()->has_new_shape);

    require_invalid(reshape({1, 1, 1, 1, 1, 1, 1, 1, 1}).parse(BuiltinOperator::RESHAPE, &node), "new_shape");
  }
  SECTION("SQUEEZE") {
    OpBuffer b(BuiltinOptions::SqueezeOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateSqueezeOptions(fbb, fbb.CreateVector(std::vector<int32_t>{1, 2}));
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::SQUEEZE, &node).ok());
    CHECK(node.params_as<SqueezeParams>()->squeeze_dims == std::vector<int32_t>{1, 2});
    Node bare;
    REQUIRE(OpBuffer::none().parse(BuiltinOperator::SQUEEZE, &bare).ok());
    CHECK(bare.params_as<SqueezeParams>()->squeeze_dims.empty());
  }
  SECTION("STRIDED_SLICE masks") {
    OpBuffer b(BuiltinOptions::StridedSliceOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateStridedSliceOptions(fbb, 1, 2, 0, 0, 8, true);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::STRIDED_SLICE, &node).ok());
    const StridedSliceParams* p = node.params_as<StridedSliceParams>();
    CHECK(p->begin_mask == 1);
    CHECK(p->end_mask == 2);
    CHECK(p->shrink_axis_mask == 8);
    CHECK(p->offset);
  }
  SECTION("PACK / UNPACK / SPLIT need positive counts") {
    auto pack = [](int count, int axis) {
      return OpBuffer(BuiltinOptions::PackOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreatePackOptions(fbb, count, axis);
                      }));
    };
    Node node;
    REQUIRE(pack(3, -1).parse(BuiltinOperator::PACK, &node).ok());
    CHECK(node.params_as<PackParams>()->values_count == 3);
    CHECK(node.params_as<PackParams>()->axis == -1);
    require_invalid(pack(0, 0).parse(BuiltinOperator::PACK, &node), "values_count");
    require_invalid(OpBuffer::none().parse(BuiltinOperator::PACK, &node), "PACK requires PackOptions");

    OpBuffer unpack(BuiltinOptions::UnpackOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateUnpackOptions(fbb, 4, 1);
                    }));
    REQUIRE(unpack.parse(BuiltinOperator::UNPACK, &node).ok());
    CHECK(node.params_as<UnpackParams>()->num == 4);
    CHECK(node.params_as<UnpackParams>()->axis == 1);

    auto split = [](int n) {
      return OpBuffer(BuiltinOptions::SplitOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreateSplitOptions(fbb, n);
                      }));
    };
    REQUIRE(split(2).parse(BuiltinOperator::SPLIT, &node).ok());
    CHECK(node.params_as<SplitParams>()->num_splits == 2);
    require_invalid(split(0).parse(BuiltinOperator::SPLIT, &node), "num_splits");
  }
  SECTION("DEPTH_TO_SPACE / SPACE_TO_DEPTH block size") {
    auto d2s = [](int block) {
      return OpBuffer(BuiltinOptions::DepthToSpaceOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                        return tflite::CreateDepthToSpaceOptions(fbb, block);
                      }));
    };
    Node node;
    REQUIRE(d2s(2).parse(BuiltinOperator::DEPTH_TO_SPACE, &node).ok());
    CHECK(node.params_as<BlockParams>()->block_size == 2);
    require_invalid(d2s(0).parse(BuiltinOperator::DEPTH_TO_SPACE, &node), "block_size");
    // DepthToSpaceOptions on SPACE_TO_DEPTH is the wrong member.
    require_invalid(d2s(2).parse(BuiltinOperator::SPACE_TO_DEPTH, &node), "SpaceToDepthOptions, got DepthToSpaceOptions");
  }
  SECTION("GATHER") {
    OpBuffer b(BuiltinOptions::GatherOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                 return tflite::CreateGatherOptions(fbb, 1, 1);
               }));
    Node node;
    REQUIRE(b.parse(BuiltinOperator::GATHER, &node).ok());
    CHECK(node.params_as<GatherParams>()->axis == 1);
    CHECK(node.params_as<GatherParams>()->batch_dims == 1);
  }
}

TEST_CASE("tflite options: softmax, reducers, resize, leaky relu", "[unit][tflite_options]") {
  auto softmax = [](float beta) {
    return OpBuffer(BuiltinOptions::SoftmaxOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateSoftmaxOptions(fbb, beta);
                    }));
  };
  Node node;
  REQUIRE(softmax(0.5f).parse(BuiltinOperator::SOFTMAX, &node).ok());
  CHECK(node.params_as<SoftmaxParams>()->beta == 0.5f);
  require_invalid(softmax(std::numeric_limits<float>::quiet_NaN()).parse(BuiltinOperator::SOFTMAX, &node), "beta");
  require_invalid(softmax(std::numeric_limits<float>::infinity()).parse(BuiltinOperator::SOFTMAX, &node), "beta");
  REQUIRE(OpBuffer::none().parse(BuiltinOperator::SOFTMAX, &node).ok());
  CHECK(node.params_as<SoftmaxParams>()->beta == 0.0f);  // TFLite's zeroed params

  OpBuffer keep(BuiltinOptions::ReducerOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                  return tflite::CreateReducerOptions(fbb, true);
                }));
  for (BuiltinOperator op : {BuiltinOperator::MEAN, BuiltinOperator::SUM, BuiltinOperator::REDUCE_MAX,
                             BuiltinOperator::REDUCE_MIN, BuiltinOperator::REDUCE_PROD}) {
    Node n;
    REQUIRE(keep.parse(op, &n).ok());
    CHECK(n.params_as<ReducerParams>()->keep_dims);
  }

  auto bilinear = [](bool align, bool half) {
    return OpBuffer(BuiltinOptions::ResizeBilinearOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateResizeBilinearOptions(fbb, align, half);
                    }));
  };
  REQUIRE(bilinear(false, true).parse(BuiltinOperator::RESIZE_BILINEAR, &node).ok());
  CHECK(node.params_as<ResizeParams>()->half_pixel_centers);
  CHECK_FALSE(node.params_as<ResizeParams>()->align_corners);
  require_invalid(bilinear(true, true).parse(BuiltinOperator::RESIZE_BILINEAR, &node), "align_corners");
  OpBuffer nearest(BuiltinOptions::ResizeNearestNeighborOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                     return tflite::CreateResizeNearestNeighborOptions(fbb, true, true);
                   }));
  CHECK(nearest.parse(BuiltinOperator::RESIZE_NEAREST_NEIGHBOR, &node).ok());  // TFLite accepts both here

  OpBuffer leaky(BuiltinOptions::LeakyReluOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                   return tflite::CreateLeakyReluOptions(fbb, 0.1f);
                 }));
  REQUIRE(leaky.parse(BuiltinOperator::LEAKY_RELU, &node).ok());
  CHECK(node.params_as<LeakyReluParams>()->alpha == 0.1f);
  REQUIRE(OpBuffer::none().parse(BuiltinOperator::LEAKY_RELU, &node).ok());
  CHECK(node.params_as<LeakyReluParams>()->alpha == 0.0f);
}

TEST_CASE("tflite options: type-valued options", "[unit][tflite_options]") {
  auto argmax = [](tflite::TensorType t) {
    return OpBuffer(BuiltinOptions::ArgMaxOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateArgMaxOptions(fbb, t);
                    }));
  };
  Node node;
  REQUIRE(argmax(tflite::TensorType::INT64).parse(BuiltinOperator::ARG_MAX, &node).ok());
  CHECK(node.params_as<ArgMinMaxParams>()->output_type == static_cast<int>(DType::kI64));
  require_invalid(argmax(tflite::TensorType::FLOAT32).parse(BuiltinOperator::ARG_MAX, &node), "output_type");
  require_invalid(OpBuffer::none().parse(BuiltinOperator::ARG_MAX, &node), "ARG_MAX requires ArgMaxOptions");
  require_invalid(argmax(tflite::TensorType::INT32).parse(BuiltinOperator::ARG_MIN, &node),
                  "ARG_MIN requires ArgMinOptions, got ArgMaxOptions");

  OpBuffer shape(BuiltinOptions::ShapeOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                   return tflite::CreateShapeOptions(fbb, tflite::TensorType::INT32);
                 }));
  REQUIRE(shape.parse(BuiltinOperator::SHAPE, &node).ok());
  CHECK(node.params_as<ShapeParams>()->out_type == static_cast<int>(DType::kI32));

  OpBuffer cast(BuiltinOptions::CastOptions, opts([](flatbuffers::FlatBufferBuilder& fbb) {
                  return tflite::CreateCastOptions(fbb, tflite::TensorType::UINT8, tflite::TensorType::FLOAT32);
                }));
  REQUIRE(cast.parse(BuiltinOperator::CAST, &node).ok());
  CHECK(node.params_as<CastParams>()->in_type == static_cast<int>(DType::kU8));
  CHECK(node.params_as<CastParams>()->out_type == static_cast<int>(DType::kF32));
  REQUIRE(OpBuffer::none().parse(BuiltinOperator::CAST, &node).ok());
  CHECK(node.params_as<CastParams>()->in_type == 0);
}

TEST_CASE("tflite options: recurrent ops", "[unit][tflite_options]") {
  auto lstm = [](float cell_clip) {
    return OpBuffer(BuiltinOptions::UnidirectionalSequenceLSTMOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateUnidirectionalSequenceLSTMOptions(
                          fbb, tflite::ActivationFunctionType::TANH, cell_clip, 0.0f, true);
                    }));
  };
  Node node;
  REQUIRE(lstm(10.0f).parse(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, &node).ok());
  const SequenceLstmParams* p = node.params_as<SequenceLstmParams>();
  REQUIRE(p != nullptr);
  CHECK(p->activation == Activation::kTanh);
  CHECK(p->cell_clip == 10.0f);
  CHECK(p->time_major);
  require_invalid(lstm(std::numeric_limits<float>::infinity()).parse(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, &node),
                  "cell_clip");
  require_invalid(lstm(-1.0f).parse(BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM, &node), "cell_clip");

  auto svdf = [](int rank) {
    return OpBuffer(BuiltinOptions::SVDFOptions, opts([=](flatbuffers::FlatBufferBuilder& fbb) {
                      return tflite::CreateSVDFOptions(fbb, rank, tflite::ActivationFunctionType::RELU);
                    }));
  };
  REQUIRE(svdf(2).parse(BuiltinOperator::SVDF, &node).ok());
  CHECK(node.params_as<SvdfParams>()->rank == 2);
  CHECK(node.params_as<SvdfParams>()->activation == Activation::kRelu);
  require_invalid(svdf(0).parse(BuiltinOperator::SVDF, &node), "rank");
  require_invalid(OpBuffer::none().parse(BuiltinOperator::SVDF, &node), "SVDF requires SVDFOptions");
}

TEST_CASE("tflite options: ops without params and unknown union types", "[unit][tflite_options]") {
  Node node;
  node.params = SoftmaxParams{};  // overwritten: parsing starts from monostate
  REQUIRE(OpBuffer::none().parse(BuiltinOperator::RELU, &node).ok());
  CHECK(std::holds_alternative<std::monostate>(node.params));

  // A union type code beyond the schema (the verifier lets it through) is refused by ops that
  // have options, with the number in the message.
  OpBuffer future(static_cast<BuiltinOptions>(200), opts([](flatbuffers::FlatBufferBuilder& fbb) {
                    return tflite::CreateSoftmaxOptions(fbb, 1.0f);
                  }));
  REQUIRE(future.verified());
  require_invalid(future.parse(BuiltinOperator::SOFTMAX, &node), "unknown options type 200");

  CHECK(std::string(builtin_options_type_name(0)) == "NONE");
  CHECK(std::string(builtin_options_type_name(1)) == "Conv2DOptions");
  CHECK(std::string(builtin_options_type_name(static_cast<int>(BuiltinOptions::RightShiftOptions))) ==
        "RightShiftOptions");
  CHECK(std::string(builtin_options_type_name(250)) == "UNKNOWN");
  CHECK(std::string(builtin_options_type_name(-1)) == "UNKNOWN");
}

TEST_CASE("tflite options: Convolution2DTransposeBias raw struct", "[unit][tflite_options]") {
  auto raw = [](std::vector<int32_t> fields) {
    std::vector<uint8_t> bytes(fields.size() * 4);
    std::memcpy(bytes.data(), fields.data(), bytes.size());
    return bytes;
  };
  Node node;
  REQUIRE(OpBuffer::custom(raw({1, 2, 3})).parse_custom("Convolution2DTransposeBias", &node).ok());
  const ConvParams* p = node.params_as<ConvParams>();
  REQUIRE(p != nullptr);
  CHECK(p->padding == Padding::kSame);
  CHECK(p->stride_w == 2);
  CHECK(p->stride_h == 3);
  CHECK(node.custom_options.size() == 12);

  Node valid;
  REQUIRE(OpBuffer::custom(raw({2, 1, 1, 0})).parse_custom("Convolution2DTransposeBias", &valid).ok());  // longer: ok
  CHECK(valid.params_as<ConvParams>()->padding == Padding::kValid);

  require_invalid(OpBuffer::custom(raw({1, 2})).parse_custom("Convolution2DTransposeBias", &node), "12 bytes");
  require_invalid(OpBuffer::none().parse_custom("Convolution2DTransposeBias", &node), "12 bytes");
  require_invalid(OpBuffer::custom(raw({0, 2, 2})).parse_custom("Convolution2DTransposeBias", &node), "padding");
  require_invalid(OpBuffer::custom(raw({1, 0, 2})).parse_custom("Convolution2DTransposeBias", &node), "stride_width");
  require_invalid(OpBuffer::custom(raw({1, 2, -5})).parse_custom("Convolution2DTransposeBias", &node), "stride_height");
}

TEST_CASE("tflite options: TFLite_Detection_PostProcess FlexBuffer", "[unit][tflite_options]") {
  const char* kName = "TFLite_Detection_PostProcess";
  SECTION("typical SSD options; absent keys get TFLite's defaults") {
    Node node;
    REQUIRE(OpBuffer::custom(detection_options()).parse_custom(kName, &node).ok());
    const DetectionPostProcessParams* p = node.params_as<DetectionPostProcessParams>();
    REQUIRE(p != nullptr);
    CHECK(p->max_detections == 10);
    CHECK(p->max_classes_per_detection == 1);
    CHECK(p->detections_per_class == 100);  // absent -> 100
    CHECK_FALSE(p->use_regular_nms);        // absent -> false
    CHECK(p->nms_score_threshold == 1e-8f);
    CHECK(p->nms_iou_threshold == 0.6f);
    CHECK(p->num_classes == 90);
    CHECK(p->y_scale == 10.0f);
    CHECK(p->h_scale == 5.0f);
    CHECK(p->w_scale == 5.0f);
    CHECK_FALSE(node.custom_options.empty());
  }
  SECTION("explicit values of other encodings (bool, uint, double, wide int)") {
    auto bytes = detection_options([](flexbuffers::Builder& fbb) {
      fbb.Bool("use_regular_nms", true);
      fbb.UInt("detections_per_class", 7);
    });
    Node node;
    REQUIRE(OpBuffer::custom(bytes).parse_custom(kName, &node).ok());
    CHECK(node.params_as<DetectionPostProcessParams>()->use_regular_nms);
    CHECK(node.params_as<DetectionPostProcessParams>()->detections_per_class == 7);

    flexbuffers::Builder fbb;
    fbb.Map([&]() {
      fbb.Int("max_detections", int64_t{100});
      fbb.Double("nms_iou_threshold", 0.5);
      fbb.Int("num_classes", 3);
      fbb.Double("y_scale", 1.0);
      fbb.Double("x_scale", 2.0);
      fbb.Float("h_scale", 3.0f);
      fbb.Int("w_scale", 4);  // an int where a float is expected converts
      fbb.Double("max_classes_per_detection", 2.9);  // a float where an int is expected truncates
    });
    fbb.Finish();
    Node wide;
    REQUIRE(OpBuffer::custom(fbb.GetBuffer()).parse_custom(kName, &wide).ok());
    const DetectionPostProcessParams* p = wide.params_as<DetectionPostProcessParams>();
    CHECK(p->max_detections == 100);
    CHECK(p->nms_iou_threshold == 0.5f);
    CHECK(p->x_scale == 2.0f);
    CHECK(p->w_scale == 4.0f);
    CHECK(p->max_classes_per_detection == 2);
  }
  SECTION("out-of-range and non-numeric values are refused") {
    Node node;
    require_invalid(OpBuffer::custom(detection_options([](flexbuffers::Builder& fbb) {
                      fbb.Int("max_detections", int64_t{1} << 40);
                    }, {"max_detections"})).parse_custom(kName, &node),
                    "max_detections");
    require_invalid(OpBuffer::custom(detection_options([](flexbuffers::Builder& fbb) {
                      fbb.String("num_classes", "90");
                    }, {"num_classes"})).parse_custom(kName, &node),
                    "must be a number");
    require_invalid(OpBuffer::custom(detection_options([](flexbuffers::Builder& fbb) {
                      fbb.Double("y_scale", 1e300);
                    }, {"y_scale"})).parse_custom(kName, &node),
                    "y_scale");
    require_invalid(OpBuffer::custom(detection_options([](flexbuffers::Builder& fbb) {
                      fbb.Float("nms_iou_threshold", std::numeric_limits<float>::quiet_NaN());
                    }, {"nms_iou_threshold"})).parse_custom(kName, &node),
                    "nms_iou_threshold");
  }
  SECTION("semantic checks") {
    Node node;
    // Every key absent: TFLite's zero defaults leave no classes, no IoU threshold, zero scales.
    require_invalid(OpBuffer::custom(detection_options(nullptr, {}, false)).parse_custom(kName, &node), "num_classes");
    auto with = [&](const char* key, float value) {
      return OpBuffer::custom(detection_options([=](flexbuffers::Builder& fbb) { fbb.Float(key, value); }, {key}));
    };
    require_invalid(with("nms_iou_threshold", 0.0f).parse_custom(kName, &node), "nms_iou_threshold");
    require_invalid(with("nms_iou_threshold", 1.5f).parse_custom(kName, &node), "nms_iou_threshold");
    require_invalid(with("x_scale", 0.0f).parse_custom(kName, &node), "x_scale");
    require_invalid(with("max_detections", -1.0f).parse_custom(kName, &node), "max_detections");
    require_invalid(OpBuffer::custom(detection_options([](flexbuffers::Builder& fbb) {
                      fbb.Int("max_detections", 1 << 20);
                      fbb.Int("max_classes_per_detection", 1 << 20);
                    }, {"max_detections", "max_classes_per_detection"})).parse_custom(kName, &node),
                    "overflows");
  }
  SECTION("key and value vectors of different lengths") {
    // Sorted keys; the last entry is an unused extra so that dropping it from the key vector
    // leaves every option present.
    const std::vector<std::pair<std::string, int8_t>> entries = {
        {"h_scale", 1},     {"max_classes_per_detection", 1}, {"max_detections", 5}, {"nms_iou_threshold", 1},
        {"num_classes", 3}, {"w_scale", 1},                   {"x_scale", 1},        {"y_scale", 2},
        {"zz_unused", 0}};
    for (size_t key_count : {entries.size(), entries.size() - 1}) {
      INFO("key_count " << key_count);
      const std::vector<uint8_t> bytes = hand_made_map(entries, key_count);
      REQUIRE(flexbuffers::VerifyBuffer(bytes.data(), bytes.size()));
      // Each value's type byte sits after all 9 values, whatever the key vector claims.
      Node node;
      Status s = OpBuffer::custom(bytes).parse_custom(kName, &node);
      INFO(s.message());
      REQUIRE(s.ok());
      const DetectionPostProcessParams* p = node.params_as<DetectionPostProcessParams>();
      CHECK(p->max_detections == 5);
      CHECK(p->num_classes == 3);
      CHECK(p->h_scale == 1.0f);
      CHECK(p->y_scale == 2.0f);
    }
    // Fewer keys hide the entries past them: without "y_scale" its value is absent (0): refused.
    const std::vector<uint8_t> short_keys = hand_made_map(entries, entries.size() - 2);
    REQUIRE(flexbuffers::VerifyBuffer(short_keys.data(), short_keys.size()));
    Node node;
    require_invalid(OpBuffer::custom(short_keys).parse_custom(kName, &node), "y_scale must be > 0");
  }
  SECTION("malformed bytes are refused, never read out of bounds") {
    Node node;
    require_invalid(OpBuffer::none().parse_custom(kName, &node), "FlexBuffer");
    require_invalid(OpBuffer::custom({1, 2}).parse_custom(kName, &node), "FlexBuffer");
    require_invalid(OpBuffer::custom({0xff, 0xff, 0xff, 0x24, 0x01}).parse_custom(kName, &node), "FlexBuffer");

    // A valid FlexBuffer whose root is not a map.
    flexbuffers::Builder scalar;
    scalar.Int(5);
    scalar.Finish();
    require_invalid(OpBuffer::custom(scalar.GetBuffer()).parse_custom(kName, &node), "map");

    // Truncations and single-byte corruptions of a valid buffer: each is either refused or still
    // parses to validated params (run under ASan/UBSan to catch stray reads).
    const std::vector<uint8_t> good = detection_options();
    for (size_t len = 0; len < good.size(); ++len) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len));
      Node n;
      Status s = OpBuffer::custom(cut).parse_custom(kName, &n);
      CHECK((s.ok() || s.code() == StatusCode::kInvalidModel));
    }
    std::mt19937 rng(1234);
    int refused = 0;
    for (size_t pos = 0; pos < good.size(); ++pos) {
      for (int trial = 0; trial < 8; ++trial) {
        std::vector<uint8_t> bad = good;
        bad[pos] = static_cast<uint8_t>(rng());
        Node n;
        Status s = OpBuffer::custom(bad).parse_custom(kName, &n);
        CHECK((s.ok() || s.code() == StatusCode::kInvalidModel));
        if (!s.ok()) ++refused;
      }
    }
    CHECK(refused > 0);
    for (int trial = 0; trial < 500; ++trial) {
      std::vector<uint8_t> junk(3 + rng() % 64);
      for (uint8_t& b : junk) b = static_cast<uint8_t>(rng());
      Node n;
      Status s = OpBuffer::custom(junk).parse_custom(kName, &n);
      CHECK((s.ok() || s.code() == StatusCode::kInvalidModel));
    }
  }
}

TEST_CASE("tflite options: custom options are copied for any custom op", "[unit][tflite_options]") {
  Node node;
  REQUIRE(OpBuffer::custom({9, 8, 7}).parse_custom("SomeVendorOp", &node).ok());
  CHECK(std::holds_alternative<std::monostate>(node.params));
  CHECK(node.custom_options == std::vector<uint8_t>{9, 8, 7});
}

}  // namespace eir
