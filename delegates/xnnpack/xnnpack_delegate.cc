#include "delegates/xnnpack/xnnpack_delegate.h"

#include <xnnpack.h>
#include <pthreadpool.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <unordered_map>

#include "delegates/xnnpack/xnnpack_activation.h"
#include "delegates/xnnpack/xnnpack_fused_elementwise.h"
#include "runtime/graph/ops.h"

namespace eir {
namespace {

bool xnnpack_ready() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = xnn_initialize(nullptr) == xnn_status_success; });
  return ok;
}

const Tensor& tensor_at(const std::vector<Tensor>& tensors, int index) { return tensors[static_cast<size_t>(index)]; }

bool is_f32(const std::vector<Tensor>& tensors, int index) {
  return index >= 0 && tensor_at(tensors, index).dtype == DType::kF32;
}

bool is_const(const std::vector<Tensor>& tensors, int index) {
  return index >= 0 && tensor_at(tensors, index).kind == TensorKind::kConstant && tensor_at(tensors, index).data;
}

bool all_f32(const Node& node, const std::vector<Tensor>& tensors) {
  for (int t : node.inputs)
    if (t >= 0 && !is_f32(tensors, t)) return false;
  for (int t : node.outputs)
    if (!is_f32(tensors, t)) return false;
  return true;
}

bool node_supported(const Node& node, const std::vector<Tensor>& t) {
  if (!all_f32(node, t) || node.outputs.size() != 1) return false;
  auto in = [&](size_t i) { return i < node.inputs.size() ? node.inputs[i] : -1; };
  float lo, hi;
  switch (static_cast<BuiltinOp>(node.op)) {
    case BuiltinOp::kConv2D: {
      const auto* p = node.params_as<ConvParams>();
      return p && xnnpack_activation_bounds(p->activation, &lo, &hi) && is_const(t, in(1)) && is_const(t, in(2)) &&
             tensor_at(t, in(0)).rank() == 4 && tensor_at(t, in(1)).rank() == 4 &&
             tensor_at(t, in(0)).dim(3) == tensor_at(t, in(1)).dim(3);
    }
    case BuiltinOp::kDepthwiseConv2D: {
      const auto* p = node.params_as<ConvParams>();
      return p && xnnpack_activation_bounds(p->activation, &lo, &hi) && is_const(t, in(1)) &&
             (in(2) < 0 || is_const(t, in(2))) && tensor_at(t, in(0)).rank() == 4 && tensor_at(t, in(1)).rank() == 4;
    }
    case BuiltinOp::kFullyConnected: {
      const auto* p = node.params_as<FullyConnectedParams>();
      return p && xnnpack_activation_bounds(p->activation, &lo, &hi) && is_const(t, in(1)) && (in(2) < 0 || is_const(t, in(2))) &&
             tensor_at(t, in(1)).rank() == 2 && !p->keep_num_dims && tensor_at(t, node.outputs[0]).rank() == 2;
    }
    case BuiltinOp::kAdd:
    case BuiltinOp::kSub:
    case BuiltinOp::kMul: {
      const auto* p = node.params_as<ActivationParams>();
      return node.inputs.size() == 2 && (!p || xnnpack_activation_bounds(p->activation, &lo, &hi)) &&
             tensor_at(t, in(0)).rank() <= 4 && tensor_at(t, in(1)).rank() <= 4;
    }
    case BuiltinOp::kMaxPool2D:
    case BuiltinOp::kAveragePool2D: {
      const auto* p = node.params_as<PoolParams>();
      return p && xnnpack_activation_bounds(p->activation, &lo, &hi) && tensor_at(t, in(0)).rank() == 4;
    }
    case BuiltinOp::kRelu:
    case BuiltinOp::kRelu6:
    case BuiltinOp::kReluN1To1:
    case BuiltinOp::kLogistic:
    case BuiltinOp::kHardSwish:
      return true;
    case BuiltinOp::kLeakyRelu: return node.params_as<LeakyReluParams>() != nullptr;
    case BuiltinOp::kPrelu:
      // XNNPACK's PReLU takes a per-channel slope vector over the last dim.
      return is_const(t, in(1)) && tensor_at(t, in(0)).rank() == 4 &&
             tensor_at(t, in(1)).num_elements() == tensor_at(t, in(0)).dim(3);
    case BuiltinOp::kSoftmax: {
      const auto* p = node.params_as<SoftmaxParams>();
      return p && p->beta == 1.0f;
    }
    case BuiltinOp::kReshape:
    case BuiltinOp::kSqueeze:
      return tensor_at(t, node.outputs[0]).rank() <= 6;
    case BuiltinOp::kResizeBilinear: {
      const auto* p = node.params_as<ResizeParams>();
      return p && !p->align_corners && tensor_at(t, in(0)).rank() == 4;
    }
    case BuiltinOp::kMean: {
      // Global average pooling over H and W with keep_dims.
      const auto* p = node.params_as<ReducerParams>();
      if (!p || !p->keep_dims || !is_const(t, in(1)) || tensor_at(t, in(0)).rank() != 4) return false;
      const Tensor& axes = tensor_at(t, in(1));
      if (axes.dtype != DType::kI32 || axes.num_elements() != 2) return false;
      const int32_t* a = axes.as<int32_t>();
      return (a[0] == 1 && a[1] == 2) || (a[0] == 2 && a[1] == 1);
    }
    case BuiltinOp::kFusedElementwise:
      return xnnpack_supports_fused_elementwise(node, t);
    default:
      return false;
  }
}

class XnnpackPartition : public DelegatePartition {
 public:
  ~XnnpackPartition() override {
    if (runtime_) xnn_delete_runtime(runtime_);
    if (subgraph_) xnn_delete_subgraph(subgraph_);
  }

  Status build(const Graph& graph, const std::vector<Tensor>& tensors, const PartitionSpec& spec, pthreadpool_t pool);
  Status prepare(std::vector<Tensor>& tensors) override {
    std::vector<xnn_external_value> values;
    for (size_t i = 0; i < external_tensors_.size(); ++i)
      values.push_back(xnn_external_value{static_cast<uint32_t>(i), tensors[static_cast<size_t>(external_tensors_[i])].data});
    if (xnn_setup_runtime(runtime_, values.size(), values.data()) != xnn_status_success)
      return internal_error("xnn_setup_runtime failed");
    return Status::Ok();
  }
  Status run(std::vector<Tensor>&) override {
    if (xnn_invoke_runtime(runtime_) != xnn_status_success) return internal_error("xnn_invoke_runtime failed");
    return Status::Ok();
  }

 private:
  Result<uint32_t> value_id(const std::vector<Tensor>& tensors, int t);
  Status define_node(const Node& node, const std::vector<Tensor>& tensors, int node_index);

  xnn_subgraph_t subgraph_ = nullptr;
  xnn_runtime_t runtime_ = nullptr;
  std::vector<int> external_tensors_;            // external value id -> tensor index
  std::unordered_map<int, uint32_t> value_ids_;  // tensor index -> value id
  std::vector<std::vector<float>> owned_;        // e.g. a zero bias XNNPACK requires
};

Result<uint32_t> XnnpackPartition::value_id(const std::vector<Tensor>& tensors, int t) {
  auto it = value_ids_.find(t);
  if (it != value_ids_.end()) return it->second;
  const Tensor& tensor = tensors[static_cast<size_t>(t)];
  std::vector<size_t> dims(tensor.shape.begin(), tensor.shape.end());
  uint32_t id = XNN_INVALID_VALUE_ID;
  const void* data = tensor.kind == TensorKind::kConstant ? tensor.data : nullptr;
  if (xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), data, XNN_INVALID_VALUE_ID, 0,
                              &id) != xnn_status_success)
    return internal_error("xnn_define_tensor_value failed for ", tensor_label(tensor, t));
  value_ids_[t] = id;
  return id;
}

Status XnnpackPartition::define_node(const Node& node, const std::vector<Tensor>& t, int node_index) {
  auto id = [&](size_t i) -> Result<uint32_t> { return value_id(t, node.inputs[i]); };
  EIR_ASSIGN_OR_RETURN(uint32_t x, id(0));
  EIR_ASSIGN_OR_RETURN(uint32_t y, value_id(t, node.outputs[0]));
  float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
  xnn_status st = xnn_status_unsupported_parameter;
  const Tensor& in = t[static_cast<size_t>(node.inputs[0])];
  switch (static_cast<BuiltinOp>(node.op)) {
    case BuiltinOp::kConv2D: {
      const auto& p = *node.params_as<ConvParams>();
      xnnpack_activation_bounds(p.activation, &lo, &hi);
      const Tensor& w = t[static_cast<size_t>(node.inputs[1])];
      EIR_ASSIGN_OR_RETURN(uint32_t wid, id(1));
      EIR_ASSIGN_OR_RETURN(uint32_t bid, id(2));
      st = xnn_define_convolution_2d(subgraph_, 0, 0, 0, 0, w.dim(1), w.dim(2), p.stride_h, p.stride_w, p.dilation_h,
                                     p.dilation_w, 1, in.dim(3), w.dim(0), lo, hi, x, wid, bid, y,
                                     p.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0);
      break;
    }
    case BuiltinOp::kDepthwiseConv2D: {
      const auto& p = *node.params_as<ConvParams>();
      xnnpack_activation_bounds(p.activation, &lo, &hi);
      const Tensor& w = t[static_cast<size_t>(node.inputs[1])];
      EIR_ASSIGN_OR_RETURN(uint32_t wid, id(1));
      uint32_t bid = XNN_INVALID_VALUE_ID;
      if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
        EIR_ASSIGN_OR_RETURN(bid, id(2));
      }
      uint32_t multiplier = static_cast<uint32_t>(w.dim(3) / std::max(1, in.dim(3)));
      st = xnn_define_depthwise_convolution_2d(subgraph_, 0, 0, 0, 0, w.dim(1), w.dim(2), p.stride_h, p.stride_w,
                                               p.dilation_h, p.dilation_w, multiplier, in.dim(3), lo, hi, x, wid, bid,
                                               y, p.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0);
      break;
    }
    case BuiltinOp::kFullyConnected: {
      xnnpack_activation_bounds(node.params_as<FullyConnectedParams>()->activation, &lo, &hi);
      EIR_ASSIGN_OR_RETURN(uint32_t wid, id(1));
      uint32_t bid = XNN_INVALID_VALUE_ID;
      if (node.inputs.size() > 2 && node.inputs[2] >= 0) {
        EIR_ASSIGN_OR_RETURN(bid, id(2));
      }
      st = xnn_define_fully_connected(subgraph_, lo, hi, x, wid, bid, y, XNN_FLAG_TENSORFLOW_RESHAPE_2D);
      break;
    }
    case BuiltinOp::kAdd:
    case BuiltinOp::kSub:
    case BuiltinOp::kMul: {
      if (const auto* p = node.params_as<ActivationParams>()) xnnpack_activation_bounds(p->activation, &lo, &hi);
      EIR_ASSIGN_OR_RETURN(uint32_t x2, id(1));
      if (is_op(node.op, BuiltinOp::kAdd)) st = xnn_define_add2(subgraph_, lo, hi, x, x2, y, 0);
      if (is_op(node.op, BuiltinOp::kSub)) st = xnn_define_subtract(subgraph_, lo, hi, x, x2, y, 0);
      if (is_op(node.op, BuiltinOp::kMul)) st = xnn_define_multiply2(subgraph_, lo, hi, x, x2, y, 0);
      break;
    }
    case BuiltinOp::kMaxPool2D:
    case BuiltinOp::kAveragePool2D: {
      const auto& p = *node.params_as<PoolParams>();
      xnnpack_activation_bounds(p.activation, &lo, &hi);
      uint32_t flags = p.padding == Padding::kSame ? XNN_FLAG_TENSORFLOW_SAME_PADDING : 0;
      if (is_op(node.op, BuiltinOp::kMaxPool2D))
        st = xnn_define_max_pooling_2d(subgraph_, 0, 0, 0, 0, p.filter_h, p.filter_w, p.stride_h, p.stride_w, 1, 1, lo,
                                       hi, x, y, flags);
      else
        st = xnn_define_average_pooling_2d(subgraph_, 0, 0, 0, 0, p.filter_h, p.filter_w, p.stride_h, p.stride_w, lo,
                                           hi, x, y, flags);
      break;
    }
    case BuiltinOp::kRelu: st = xnn_define_clamp(subgraph_, 0.0f, hi, x, y, 0); break;
    case BuiltinOp::kRelu6: st = xnn_define_clamp(subgraph_, 0.0f, 6.0f, x, y, 0); break;
    case BuiltinOp::kReluN1To1: st = xnn_define_clamp(subgraph_, -1.0f, 1.0f, x, y, 0); break;
    case BuiltinOp::kLogistic: st = xnn_define_sigmoid(subgraph_, x, y, 0); break;
    case BuiltinOp::kHardSwish: st = xnn_define_hardswish(subgraph_, x, y, 0); break;
    case BuiltinOp::kLeakyRelu:
      st = xnn_define_leaky_relu(subgraph_, node.params_as<LeakyReluParams>()->alpha, x, y, 0);
      break;
    case BuiltinOp::kPrelu: {
      // The slope is stored with broadcast shape ([1,1,C] etc.); XNNPACK wants it as [C].
      const Tensor& slope = t[static_cast<size_t>(node.inputs[1])];
      size_t c = static_cast<size_t>(slope.num_elements());
      uint32_t sid = XNN_INVALID_VALUE_ID;
      if (xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, 1, &c, slope.data, XNN_INVALID_VALUE_ID, 0, &sid) !=
          xnn_status_success)
        return internal_error("xnn_define_tensor_value failed for the PReLU slope");
      st = xnn_define_prelu(subgraph_, x, sid, y, 0);
      break;
    }
    case BuiltinOp::kSoftmax: st = xnn_define_softmax(subgraph_, x, y, 0); break;
    case BuiltinOp::kReshape:
    case BuiltinOp::kSqueeze: {
      const Tensor& out = t[static_cast<size_t>(node.outputs[0])];
      std::vector<size_t> shape(out.shape.begin(), out.shape.end());
      st = xnn_define_static_reshape(subgraph_, shape.size(), shape.data(), x, y, 0);
      break;
    }
    case BuiltinOp::kResizeBilinear: {
      const auto& p = *node.params_as<ResizeParams>();
      const Tensor& out = t[static_cast<size_t>(node.outputs[0])];
      // Without half-pixel centers TFLite uses the legacy (asymmetric) coordinate mapping.
      st = xnn_define_static_resize_bilinear_2d(subgraph_, out.dim(1), out.dim(2), x, y,
                                                p.half_pixel_centers ? 0 : XNN_FLAG_TENSORFLOW_LEGACY_MODE);
      break;
    }
    case BuiltinOp::kMean: st = xnn_define_global_average_pooling_2d(subgraph_, lo, hi, x, y, 0); break;
    case BuiltinOp::kFusedElementwise: {
      Status s = xnnpack_define_fused_elementwise(subgraph_, node, t, x, y,
                                                  [&](int tensor) { return value_id(t, tensor); });
      return s.ok() ? s : s.with_prefix(node_label(node, node_index));
    }
    default: break;
  }
  if (st != xnn_status_success)
    return unsupported(node_label(node, node_index), ": XNNPACK refused the node (status ", static_cast<int>(st), ")");
  return Status::Ok();
}

Status XnnpackPartition::build(const Graph& graph, const std::vector<Tensor>& tensors, const PartitionSpec& spec,
                               pthreadpool_t pool) {
  external_tensors_ = spec.inputs;
  external_tensors_.insert(external_tensors_.end(), spec.outputs.begin(), spec.outputs.end());
  if (xnn_create_subgraph(static_cast<uint32_t>(external_tensors_.size()), 0, &subgraph_) != xnn_status_success)
    return internal_error("xnn_create_subgraph failed");
  for (size_t i = 0; i < external_tensors_.size(); ++i) {
    int t = external_tensors_[i];
    const Tensor& tensor = tensors[static_cast<size_t>(t)];
    std::vector<size_t> dims(tensor.shape.begin(), tensor.shape.end());
    uint32_t flags = i < spec.inputs.size() ? XNN_VALUE_FLAG_EXTERNAL_INPUT : XNN_VALUE_FLAG_EXTERNAL_OUTPUT;
    uint32_t id = 0;
    if (xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, dims.size(), dims.data(), nullptr,
                                static_cast<uint32_t>(i), flags, &id) != xnn_status_success)
      return internal_error("xnn_define_tensor_value failed for boundary ", tensor_label(tensor, t));
    value_ids_[t] = id;
  }
  for (int n : spec.nodes) EIR_RETURN_IF_ERROR(define_node(graph.nodes[static_cast<size_t>(n)], tensors, n));
  if (xnn_create_runtime_v2(subgraph_, pool, 0, &runtime_) != xnn_status_success) {
    runtime_ = nullptr;  // XNNPACK may leave it uninitialized on failure
    return unsupported("xnn_create_runtime_v2 failed");
  }
  return Status::Ok();
}

class XnnpackDelegate : public Delegate {
 public:
  ~XnnpackDelegate() override {
    if (pool_) pthreadpool_destroy(pool_);
  }
  const char* name() const override { return "xnnpack"; }
  bool supports(const Graph& graph, const std::vector<Tensor>& tensors, int node_index) const override {
    return xnnpack_ready() && node_supported(graph.nodes[static_cast<size_t>(node_index)], tensors);
  }
  Result<std::unique_ptr<DelegatePartition>> compile(const Graph& graph, const std::vector<Tensor>& tensors,
                                                     const PartitionSpec& spec, int num_threads) override {
    if (!xnnpack_ready()) return unsupported("XNNPACK failed to initialize on this CPU");
    if (pool_ == nullptr && num_threads > 1) pool_ = pthreadpool_create(static_cast<size_t>(num_threads));
    auto partition = std::make_unique<XnnpackPartition>();
    EIR_RETURN_IF_ERROR(partition->build(graph, tensors, spec, pool_));
    return std::unique_ptr<DelegatePartition>(std::move(partition));
  }

 private:
  pthreadpool_t pool_ = nullptr;
};

}  // namespace

std::unique_ptr<Delegate> make_xnnpack_delegate() { return std::make_unique<XnnpackDelegate>(); }

}  // namespace eir
