#include "runtime/executor/evaluate_node.h"

#include "runtime/executor/thread_pool.h"

namespace eir {

bool node_inputs_constant(const Node& node, const std::vector<Tensor>& tensors, bool shape_only_ok) {
  if (shape_only_ok && node.op == static_cast<int>(BuiltinOp::kShape)) return true;
  bool any = false;
  for (int t : node.inputs) {
    if (t < 0) continue;
    if (tensors[static_cast<size_t>(t)].kind != TensorKind::kConstant) return false;
    if (tensors[static_cast<size_t>(t)].data == nullptr) return false;
    any = true;
  }
  for (int t : node.outputs)
    if (tensors[static_cast<size_t>(t)].kind == TensorKind::kVariable) return false;
  return any;
}

Status evaluate_node_now(const Node& node, int node_index, const Kernel& kernel, std::vector<Tensor>& tensors,
                         MemoryBudget* budget) {
  std::unique_ptr<KernelState> state;
  std::shared_ptr<const PackedWeights> packed;
  if (kernel.pack != nullptr) {
    auto p = kernel.pack(node, tensors);
    if (!p.ok()) return p.status().with_prefix(node_label(node, node_index));
    packed = std::move(p).value();
  }
  KernelContext ctx(node, node_index, tensors);
  ctx.bind(KernelPhase::kPrepare, &state, nullptr, nullptr);
  ctx.set_packed(packed.get());
  Status s = kernel.prepare(ctx);
  if (!s.ok()) return s.with_prefix(node_label(node, node_index));
  for (int t : node.outputs) {
    Tensor& out = tensors[static_cast<size_t>(t)];
    if (budget != nullptr)
      EIR_RETURN_IF_ERROR(budget->take(out.bytes(), str_cat(node_label(node, node_index), ": folded ", tensor_label(out, t))));
    out.owned = std::make_shared<OwnedBuffer>(out.bytes());
    out.data = out.owned->data();
  }
  OwnedBuffer scratch(ctx.scratch_bytes());
  ThreadPool pool(1);
  ctx.bind(KernelPhase::kRun, &state, scratch.data(), &pool);
  s = kernel.run(ctx);
  if (!s.ok()) return s.with_prefix(node_label(node, node_index));
  for (int t : node.outputs) tensors[static_cast<size_t>(t)].kind = TensorKind::kConstant;
  return Status::Ok();
}

}  // namespace eir
