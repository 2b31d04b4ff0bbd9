#include "runtime/graph/passes/fold_pad_into_conv.h"

#include <algorithm>

#include "runtime/graph/ops.h"
#include "runtime/graph/passes/graph_uses.h"

namespace eir {
namespace {

// Reads PAD's constant [4,2] paddings (int32 or int64); false if absent or not constant.
bool read_paddings(const Tensor& t, int64_t pads[4][2]) {
  if (t.kind != TensorKind::kConstant || t.data == nullptr || t.shape != Shape{4, 2}) return false;
  for (int i = 0; i < 8; ++i) {
    int64_t v = t.dtype == DType::kI32 ? t.as<int32_t>()[i] : t.dtype == DType::kI64 ? t.as<int64_t>()[i] : -1;
    if (v < 0) return false;
    pads[i / 2][i % 2] = v;
  }
  return true;
}

// SAME padding's leading and trailing amounts along one dim (TFLite puts the odd one at the end).
void same_padding(int in, int filter, int stride, int dilation, int64_t* lead, int64_t* trail) {
  int out = (in + stride - 1) / stride;
  int effective = (filter - 1) * dilation + 1;
  int total = std::max((out - 1) * stride + effective - in, 0);
  *lead = total / 2;
  *trail = total - total / 2;
}

}  // namespace

int fold_pad_into_conv(Graph& graph) {
  GraphUses uses = compute_graph_uses(graph);
  std::vector<uint8_t> removed(graph.nodes.size(), 0);
  int folded = 0;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& pad = graph.nodes[i];
    if (!is_op(pad.op, BuiltinOp::kPad) || pad.inputs.size() != 2 || pad.outputs.size() != 1) continue;
    int x = pad.inputs[0], padded = pad.outputs[0];
    if (x < 0 || pad.inputs[1] < 0) continue;
    int64_t pads[4][2];
    if (!read_paddings(graph.tensors[static_cast<size_t>(pad.inputs[1])], pads)) continue;
    const Tensor& xt = graph.tensors[static_cast<size_t>(x)];
    if (xt.rank() != 4 || pads[0][0] || pads[0][1] || pads[3][0] || pads[3][1]) continue;
    const auto& readers = uses.consumers[static_cast<size_t>(padded)];
    if (readers.size() != 1 || uses.is_model_output[static_cast<size_t>(padded)]) continue;
    Node& conv = graph.nodes[static_cast<size_t>(readers[0])];
    bool conv_like = is_op(conv.op, BuiltinOp::kConv2D) || is_op(conv.op, BuiltinOp::kDepthwiseConv2D);
    auto* p = std::get_if<ConvParams>(&conv.params);
    if (!conv_like || p == nullptr || p->padding != Padding::kValid || conv.inputs.size() < 2 ||
        conv.inputs[0] != padded || conv.inputs[1] < 0)
      continue;
    const Tensor& w = graph.tensors[static_cast<size_t>(conv.inputs[1])];
    if (w.rank() != 4) continue;
    int64_t top, bottom, left, right;
    same_padding(xt.dim(1), w.dim(1), p->stride_h, p->dilation_h, &top, &bottom);
    same_padding(xt.dim(2), w.dim(2), p->stride_w, p->dilation_w, &left, &right);
    if (pads[1][0] != top || pads[1][1] != bottom || pads[2][0] != left || pads[2][1] != right) continue;
    p->padding = Padding::kSame;
    conv.inputs[0] = x;
    conv.expected_input_shape = xt.shape;
    uses.consumers[static_cast<size_t>(x)].push_back(readers[0]);
    removed[i] = 1;
    ++folded;
  }
  erase_nodes(graph, removed);
  return folded;
}

}  // namespace eir
