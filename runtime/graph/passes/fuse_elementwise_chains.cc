#include "runtime/graph/passes/fuse_elementwise_chains.h"

#include <vector>

#include "runtime/graph/fused_elementwise.h"
#include "runtime/graph/ops.h"
#include "runtime/graph/passes/graph_uses.h"

namespace eir {
namespace {

const Tensor& tensor_of(const Graph& g, int t) { return g.tensors[static_cast<size_t>(t)]; }

// A float32 elementwise node a chain may hold, with all its inputs present.
bool fusable_node(const Graph& g, const Node& node) {
  const StepArity arity = fused_step_arity(node.op);
  if (arity == StepArity::kNone || node.outputs.size() != 1 || !node.intermediates.empty() ||
      !node.expected_input_shape.empty())
    return false;
  if (node.inputs.size() != (arity == StepArity::kUnary ? 1u : 2u)) return false;
  // ADD/SUB/MUL carry ActivationParams (or none); anything else would be an importer surprise.
  if (fused_step_has_activation(node.op) && !node.params_as<ActivationParams>() &&
      !std::holds_alternative<std::monostate>(node.params))
    return false;
  for (const std::vector<int>* list : {&node.inputs, &node.outputs})
    for (int t : *list)
      if (t < 0 || tensor_of(g, t).dtype != DType::kF32) return false;
  return tensor_of(g, node.outputs[0]).num_elements() > 0;
}

Activation activation_of(const Node& node) {
  const auto* p = node.params_as<ActivationParams>();
  return p != nullptr && fused_step_has_activation(node.op) ? p->activation : Activation::kNone;
}

// The chain being built: its steps, operand tensors and the trailing-block period.
struct Chain {
  std::vector<int> nodes;
  std::vector<ElementwiseStep> steps;
  std::vector<int> operands;  // tensor per binary step's operand slot (slot = index + 1)
  Shape shape;                // the running value's shape
  int64_t period = 0;         // element count of the trailing-block operands (0 = none yet)

  // Adds `node` as a step whose running value is its input `value_pos`; false (and nothing
  // changed) if its operand does not line up or is produced after the chain's first node.
  bool add_step(const Graph& g, const GraphUses& uses, int node_index, const Node& node, int value_pos) {
    ElementwiseStep step;
    step.op = node.op;
    step.activation = activation_of(node);
    step.origin = node.origin;
    if (fused_step_arity(node.op) == StepArity::kBinary) {
      if (is_op(node.op, BuiltinOp::kPrelu) && value_pos != 0) return false;
      const int operand = node.inputs[static_cast<size_t>(1 - value_pos)];
      // The fused node runs where the chain starts, so every operand must exist by then.
      if (!nodes.empty() && uses.producer[static_cast<size_t>(operand)] > nodes.front()) return false;
      const Shape& operand_shape = tensor_of(g, operand).shape;
      const OperandLayout layout = fused_operand_layout(shape, operand_shape);
      if (layout == OperandLayout::kOther) return false;
      const int64_t count = shape_num_elements(operand_shape);
      if (layout == OperandLayout::kPeriodic && count > 1) {
        if (period != 0 && period != count) return false;
        period = count;
      }
      operands.push_back(operand);
      step.operand = static_cast<int>(operands.size());
      step.operand_first = value_pos == 1;
    }
    nodes.push_back(node_index);
    steps.push_back(step);
    return true;
  }
};

// Where a chain starting at `node` takes its running value: the input with the output's shape
// (input 0 preferred), or -1.
int head_value_input(const Graph& g, const Node& node) {
  const Shape& out = tensor_of(g, node.outputs[0]).shape;
  for (size_t i = 0; i < node.inputs.size(); ++i)
    if (tensor_of(g, node.inputs[i]).shape == out) return static_cast<int>(i);
  return -1;
}

}  // namespace

int fuse_elementwise_chains(Graph& graph) {
  const GraphUses uses = compute_graph_uses(graph);
  std::vector<uint8_t> taken(graph.nodes.size(), 0);    // part of a chain already
  std::vector<uint8_t> removed(graph.nodes.size(), 0);
  int fused = 0;
  for (size_t head = 0; head < graph.nodes.size(); ++head) {
    const Node& first = graph.nodes[head];
    if (taken[head] || !fusable_node(graph, first)) continue;
    const int value_pos = head_value_input(graph, first);
    if (value_pos < 0) continue;
    Chain chain;
    chain.shape = tensor_of(graph, first.outputs[0]).shape;
    if (!chain.add_step(graph, uses, static_cast<int>(head), first, value_pos)) continue;
    while (chain.steps.size() < kMaxFusedElementwiseSteps) {
      const int mid = graph.nodes[static_cast<size_t>(chain.nodes.back())].outputs[0];
      const auto& readers = uses.consumers[static_cast<size_t>(mid)];
      if (readers.size() != 1 || uses.is_model_output[static_cast<size_t>(mid)] ||
          tensor_of(graph, mid).kind != TensorKind::kActivation)
        break;
      const size_t next = static_cast<size_t>(readers[0]);
      const Node& node = graph.nodes[next];
      // consumers lists a node once per input slot, so one entry means one read.
      if (taken[next] || !fusable_node(graph, node) || tensor_of(graph, node.outputs[0]).shape != chain.shape) break;
      const int pos = node.inputs[0] == mid ? 0 : 1;
      if (!chain.add_step(graph, uses, static_cast<int>(next), node, pos)) break;
    }
    if (chain.nodes.size() < 2) continue;

    Node f;
    f.op = static_cast<int>(BuiltinOp::kFusedElementwise);
    f.version = 1;
    f.origin = first.origin;
    f.inputs.push_back(first.inputs[static_cast<size_t>(value_pos)]);
    f.inputs.insert(f.inputs.end(), chain.operands.begin(), chain.operands.end());
    f.outputs = graph.nodes[static_cast<size_t>(chain.nodes.back())].outputs;
    f.params = FusedElementwiseParams{chain.steps};
    for (int n : chain.nodes) {
      taken[static_cast<size_t>(n)] = 1;
      removed[static_cast<size_t>(n)] = 1;
    }
    // The first node's slot: its inputs and every operand exist there (add_step checked), and
    // the chain's output is read only after the last node's slot.
    removed[head] = 0;
    graph.nodes[head] = std::move(f);
    fused += static_cast<int>(chain.nodes.size()) - 1;
  }
  erase_nodes(graph, removed);
  return fused;
}

}  // namespace eir
