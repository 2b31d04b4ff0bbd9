#include "runtime/graph/passes/fuse_activations.h"

#include "runtime/graph/ops.h"
#include "runtime/graph/passes/graph_uses.h"

namespace eir {
namespace {

// The producer's activation option, or null if it has none to set.
Activation* fusable_activation(Node& node) {
  if (auto* p = std::get_if<ConvParams>(&node.params)) return &p->activation;
  if (auto* p = std::get_if<PoolParams>(&node.params)) return &p->activation;
  if (auto* p = std::get_if<FullyConnectedParams>(&node.params)) return &p->activation;
  if (auto* p = std::get_if<ConcatParams>(&node.params)) return &p->activation;
  if (auto* p = std::get_if<ActivationParams>(&node.params)) {
    if (is_op(node.op, BuiltinOp::kAdd) || is_op(node.op, BuiltinOp::kSub) || is_op(node.op, BuiltinOp::kMul))
      return &p->activation;
  }
  return nullptr;
}

bool standalone_activation(const Node& node, Activation* act) {
  if (is_op(node.op, BuiltinOp::kRelu)) *act = Activation::kRelu;
  else if (is_op(node.op, BuiltinOp::kRelu6)) *act = Activation::kRelu6;
  else if (is_op(node.op, BuiltinOp::kReluN1To1)) *act = Activation::kReluN1To1;
  else return false;
  return true;
}

}  // namespace

int fuse_activations(Graph& graph) {
  GraphUses uses = compute_graph_uses(graph);
  std::vector<uint8_t> removed(graph.nodes.size(), 0);
  int fused = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    Node& act_node = graph.nodes[i];
    Activation act;
    if (!standalone_activation(act_node, &act) || act_node.inputs.size() != 1 || act_node.outputs.size() != 1) continue;
    int mid = act_node.inputs[0];
    if (mid < 0) continue;
    const Tensor& mid_t = graph.tensors[static_cast<size_t>(mid)];
    const Tensor& out_t = graph.tensors[static_cast<size_t>(act_node.outputs[0])];
    if (mid_t.dtype != DType::kF32 || out_t.dtype != DType::kF32) continue;
    int p = uses.producer[static_cast<size_t>(mid)];
    // The intermediate must be private to the pair: one reader, not a model output.
    if (p < 0 || removed[static_cast<size_t>(p)] || uses.consumers[static_cast<size_t>(mid)].size() != 1 ||
        uses.is_model_output[static_cast<size_t>(mid)])
      continue;
    Node& producer = graph.nodes[static_cast<size_t>(p)];
    if (producer.outputs.size() != 1) continue;
    Activation* slot = fusable_activation(producer);
    if (slot == nullptr || *slot != Activation::kNone) continue;
    *slot = act;
    producer.outputs[0] = act_node.outputs[0];
    uses.producer[static_cast<size_t>(act_node.outputs[0])] = p;
    removed[i] = 1;
    ++fused;
  }
  erase_nodes(graph, removed);
  return fused;
}

}  // namespace eir
