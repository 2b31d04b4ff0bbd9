// The fuse_elementwise_chains pass on small hand-built graphs: which chains it fuses into one
// FUSED_ELEMENTWISE node (steps, operands, placement, origin, label) and which links it leaves
// alone (a second reader, a model output, a shape change, non-float32 tensors, PRELU's alpha, an
// operand that broadcasts along inner dims, two trailing-block sizes, an operand computed after
// the chain's start, an op outside the set), and
// end to end through Model/Session: the same outputs with and without the pass, on every ISA cap,
// after an input resize, and a clear refusal when a resize breaks the fused chain.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "delegates/api/delegate.h"
#include "eir/eir.hpp"
#include "runtime/executor/session_impl.h"
#include "runtime/graph/fused_elementwise.h"
#include "runtime/graph/ops.h"
#include "runtime/graph/passes/fuse_elementwise_chains.h"
#include "tests/unit/model_builder.h"

namespace eir {
namespace {

struct G {
  Graph g;
  int tensor(Shape shape, DType dtype = DType::kF32, TensorKind kind = TensorKind::kActivation) {
    Tensor t;
    t.name = "t" + std::to_string(g.tensors.size());
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.kind = kind;
    g.tensors.push_back(std::move(t));
    return static_cast<int>(g.tensors.size()) - 1;
  }
  int constant(Shape shape) { return tensor(std::move(shape), DType::kF32, TensorKind::kConstant); }
  // A node writing a new tensor of `out_shape` (dtype of its first input); returns the output.
  int node(BuiltinOp op, std::vector<int> inputs, Shape out_shape, Activation act = Activation::kNone) {
    const DType dtype = g.tensors[static_cast<size_t>(inputs[0])].dtype;
    const int out = tensor(std::move(out_shape), dtype);
    Node n;
    n.op = static_cast<int>(op);
    n.origin = static_cast<int>(g.nodes.size()) + 100;
    n.inputs = std::move(inputs);
    n.outputs = {out};
    if (op == BuiltinOp::kAdd || op == BuiltinOp::kSub || op == BuiltinOp::kMul) n.params = ActivationParams{act};
    g.nodes.push_back(std::move(n));
    return out;
  }
  const FusedElementwiseParams* fused(size_t i) const { return g.nodes[i].params_as<FusedElementwiseParams>(); }
};

const Shape kS{1, 8, 8, 16};

TEST_CASE("fuse_elementwise_chains: ADD -> PRELU becomes one node", "[passes][fuse_elementwise]") {
  G b;
  const int x = b.tensor(kS), r = b.tensor(kS), alpha = b.constant({1, 1, 16});
  b.g.inputs = {x, r};
  const int t = b.node(BuiltinOp::kAdd, {x, r}, kS, Activation::kRelu6);
  const int y = b.node(BuiltinOp::kPrelu, {t, alpha}, kS);
  b.g.outputs = {y};
  REQUIRE(fuse_elementwise_chains(b.g) == 1);
  REQUIRE(b.g.nodes.size() == 1);
  const Node& f = b.g.nodes[0];
  CHECK(is_op(f.op, BuiltinOp::kFusedElementwise));
  CHECK(f.inputs == std::vector<int>{x, r, alpha});
  CHECK(f.outputs == std::vector<int>{y});
  CHECK(f.origin == 100);
  CHECK(validate_fused_elementwise(f).ok());
  const auto& steps = b.fused(0)->steps;
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].op == static_cast<int>(BuiltinOp::kAdd));
  CHECK(steps[0].operand == 1);
  CHECK(steps[0].activation == Activation::kRelu6);
  CHECK(steps[0].origin == 100);
  CHECK(steps[1].op == static_cast<int>(BuiltinOp::kPrelu));
  CHECK(steps[1].operand == 2);
  CHECK(steps[1].origin == 101);
  CHECK(node_op_label(f) == "FUSED_ELEMENTWISE[ADD+RELU6,PRELU] v1");
  CHECK(node_label(f, 0) == "node 100 (FUSED_ELEMENTWISE[ADD+RELU6,PRELU] v1)");
}

TEST_CASE("fuse_elementwise_chains: operands on either side, scalars and per-channel blocks",
          "[passes][fuse_elementwise]") {
  G b;
  const int x = b.tensor(kS), s = b.tensor({1, 1, 1, 16}), c = b.constant({}), r = b.tensor(kS);
  b.g.inputs = {x, s, r};
  const int t1 = b.node(BuiltinOp::kMul, {s, x}, kS);  // the squeeze-and-excite scale comes first
  const int t2 = b.node(BuiltinOp::kSub, {c, t1}, kS);  // scalar - value
  const int t3 = b.node(BuiltinOp::kAdd, {r, t2}, kS);
  const int y = b.node(BuiltinOp::kLogistic, {t3}, kS);
  b.g.outputs = {y};
  REQUIRE(fuse_elementwise_chains(b.g) == 3);
  REQUIRE(b.g.nodes.size() == 1);
  CHECK(b.g.nodes[0].inputs == std::vector<int>{x, s, c, r});
  const auto& steps = b.fused(0)->steps;
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].operand_first);
  CHECK(steps[1].operand_first);
  CHECK(steps[2].operand_first);
  CHECK(steps[3].operand == -1);
  CHECK(node_op_label(b.g.nodes[0]) == "FUSED_ELEMENTWISE[MUL,RSUB,ADD,LOGISTIC] v1");
}

TEST_CASE("fuse_elementwise_chains: the fused node runs where the chain starts", "[passes][fuse_elementwise]") {
  SECTION("a later step whose operand exists already") {
    // t = ADD(x, c); z = TANH(w) (not fusable, between the two); y = MUL(t, w).
    G b;
    const int x = b.tensor(kS), w = b.tensor(kS), c = b.constant({16});
    b.g.inputs = {x, w};
    const int t = b.node(BuiltinOp::kAdd, {x, c}, kS);
    const int z = b.node(BuiltinOp::kTanh, {w}, kS);
    const int y = b.node(BuiltinOp::kMul, {t, w}, kS);
    b.g.outputs = {y, z};
    REQUIRE(fuse_elementwise_chains(b.g) == 1);
    REQUIRE(b.g.nodes.size() == 2);
    CHECK(is_op(b.g.nodes[0].op, BuiltinOp::kFusedElementwise));
    CHECK(b.g.nodes[0].inputs == std::vector<int>{x, c, w});
    CHECK(b.g.nodes[0].outputs == std::vector<int>{y});
    CHECK(is_op(b.g.nodes[1].op, BuiltinOp::kTanh));
  }
  SECTION("a later step whose operand is computed after the chain's start ends the chain") {
    G b;
    const int x = b.tensor(kS), w = b.tensor(kS), c = b.constant({16});
    b.g.inputs = {x, w};
    const int t = b.node(BuiltinOp::kAdd, {x, c}, kS);
    const int u = b.node(BuiltinOp::kRelu, {t}, kS);
    const int z = b.node(BuiltinOp::kTanh, {w}, kS);
    b.g.outputs = {b.node(BuiltinOp::kMul, {u, z}, kS)};
    REQUIRE(fuse_elementwise_chains(b.g) == 1);  // [ADD, RELU]; the MUL stays
    REQUIRE(b.g.nodes.size() == 3);
    CHECK(is_op(b.g.nodes[0].op, BuiltinOp::kFusedElementwise));
    CHECK(b.fused(0)->steps.size() == 2);
    CHECK(is_op(b.g.nodes[1].op, BuiltinOp::kTanh));
    CHECK(is_op(b.g.nodes[2].op, BuiltinOp::kMul));
  }
}

TEST_CASE("fuse_elementwise_chains: long chains split at the step limit", "[passes][fuse_elementwise]") {
  G b;
  int v = b.tensor(kS);
  b.g.inputs = {v};
  for (int i = 0; i < 20; ++i) v = b.node(BuiltinOp::kRelu, {v}, kS);
  b.g.outputs = {v};
  REQUIRE(fuse_elementwise_chains(b.g) == 18);
  REQUIRE(b.g.nodes.size() == 2);
  CHECK(b.fused(0)->steps.size() == kMaxFusedElementwiseSteps);
  CHECK(b.fused(1)->steps.size() == 20 - kMaxFusedElementwiseSteps);
  CHECK(b.g.nodes[1].inputs[0] == b.g.nodes[0].outputs[0]);
}

TEST_CASE("fuse_elementwise_chains leaves links it cannot fuse", "[passes][fuse_elementwise]") {
  SECTION("the intermediate has a second reader") {
    G b;
    const int x = b.tensor(kS), r = b.tensor(kS);
    b.g.inputs = {x, r};
    const int t = b.node(BuiltinOp::kAdd, {x, r}, kS);
    const int y = b.node(BuiltinOp::kRelu, {t}, kS);
    const int z = b.node(BuiltinOp::kTanh, {t}, kS);
    b.g.outputs = {y, z};
    CHECK(fuse_elementwise_chains(b.g) == 0);
    CHECK(b.g.nodes.size() == 3);
  }
  SECTION("the next node reads the intermediate twice") {
    G b;
    const int x = b.tensor(kS), r = b.tensor(kS);
    b.g.inputs = {x, r};
    const int t = b.node(BuiltinOp::kAdd, {x, r}, kS);
    b.g.outputs = {b.node(BuiltinOp::kMul, {t, t}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("the intermediate is a model output") {
    G b;
    const int x = b.tensor(kS);
    b.g.inputs = {x};
    const int t = b.node(BuiltinOp::kRelu6, {x}, kS);
    b.g.outputs = {t, b.node(BuiltinOp::kLogistic, {t}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("the value would change shape (the SE scale's LOGISTIC feeding a broadcast MUL)") {
    G b;
    const int s = b.tensor({1, 1, 1, 16}), x = b.tensor(kS);
    b.g.inputs = {s, x};
    const int g = b.node(BuiltinOp::kLogistic, {s}, {1, 1, 1, 16});
    b.g.outputs = {b.node(BuiltinOp::kMul, {x, g}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("not float32") {
    G b;
    const int x = b.tensor(kS, DType::kI32), r = b.tensor(kS, DType::kI32);
    b.g.inputs = {x, r};
    const int t = b.node(BuiltinOp::kAdd, {x, r}, kS);
    b.g.outputs = {b.node(BuiltinOp::kMul, {t, r}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("quantized int8 activations") {
    G b;
    const int x = b.tensor(kS, DType::kI8);
    b.g.inputs = {x};
    const int t = b.node(BuiltinOp::kLogistic, {x}, kS);
    b.g.outputs = {b.node(BuiltinOp::kHardSwish, {t}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("the value is PRELU's alpha") {
    G b;
    const int x = b.tensor(kS), r = b.tensor(kS);
    b.g.inputs = {x, r};
    const int t = b.node(BuiltinOp::kRelu, {x}, kS);
    b.g.outputs = {b.node(BuiltinOp::kPrelu, {r, t}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("an operand broadcast along an inner dim") {
    G b;
    const int x = b.tensor(kS), m = b.constant({1, 8, 1, 1});
    b.g.inputs = {x};
    const int t = b.node(BuiltinOp::kRelu, {x}, kS);
    b.g.outputs = {b.node(BuiltinOp::kMul, {t, m}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
  SECTION("two trailing-block sizes stop the chain at the second") {
    G b;
    const int x = b.tensor(kS), c = b.constant({16}), d = b.constant({8, 16});
    b.g.inputs = {x};
    const int t1 = b.node(BuiltinOp::kAdd, {x, c}, kS);
    const int t2 = b.node(BuiltinOp::kRelu, {t1}, kS);
    const int t3 = b.node(BuiltinOp::kMul, {t2, d}, kS);
    b.g.outputs = {b.node(BuiltinOp::kRelu6, {t3}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 2);  // [ADD, RELU] and [MUL, RELU6]
    REQUIRE(b.g.nodes.size() == 2);
    CHECK(b.fused(0)->steps.size() == 2);
    CHECK(b.fused(1)->steps.size() == 2);
  }
  SECTION("an op outside the set") {
    G b;
    const int x = b.tensor(kS);
    b.g.inputs = {x};
    const int t = b.node(BuiltinOp::kTanh, {x}, kS);
    b.g.outputs = {b.node(BuiltinOp::kExp, {t}, kS)};
    CHECK(fuse_elementwise_chains(b.g) == 0);
  }
}

TEST_CASE("validate_fused_elementwise names the bad step", "[passes][fuse_elementwise]") {
  Node n;
  n.op = static_cast<int>(BuiltinOp::kFusedElementwise);
  n.inputs = {0, 1};
  n.outputs = {2};
  ElementwiseStep add{static_cast<int>(BuiltinOp::kAdd), 1};
  add.origin = 7;
  n.params = FusedElementwiseParams{{add}};
  CHECK(validate_fused_elementwise(n).ok());
  auto message = [&](ElementwiseStep s) {
    n.params = FusedElementwiseParams{{add, s}};
    return validate_fused_elementwise(n).to_string();
  };
  ElementwiseStep relu{static_cast<int>(BuiltinOp::kRelu)};
  n.params = FusedElementwiseParams{{add, relu}};
  CHECK(validate_fused_elementwise(n).ok());
  ElementwiseStep s = relu;
  s.operand = 1;
  CHECK(message(s).find("step 1 (RELU): a unary step has operand 1") != std::string::npos);
  s = add;
  s.operand = 2;
  CHECK(message(s).find("step 1 (ADD, from node 7): operand 2 is not one of inputs 1..1") != std::string::npos);
  s = ElementwiseStep{static_cast<int>(BuiltinOp::kPrelu), 1, true};
  CHECK(message(s).find("the operand cannot come first") != std::string::npos);
  s = relu;
  s.activation = Activation::kRelu;
  CHECK(message(s).find("op has no fused activation") != std::string::npos);
  n.params = FusedElementwiseParams{std::vector<ElementwiseStep>(kMaxFusedElementwiseSteps + 1, relu)};
  CHECK(validate_fused_elementwise(n).to_string().find("17 steps") != std::string::npos);
  n.params = FusedElementwiseParams{};
  CHECK(validate_fused_elementwise(n).to_string().find("0 steps") != std::string::npos);
}

// ---- end to end ----

// y = PRELU(MUL(ADD(x, r), s), alpha) with x, r inputs [1,H,W,C]; s [C] and alpha [1,1,C]
// constants. Tensors: x 0, r 1, s 2, alpha 3, t1 4, t2 5, y 6.
test::ModelSpec chain3_model(int h, int w, int c) {
  using test::TensorSpec;
  test::ModelSpec m;
  m.opcodes = {{static_cast<int32_t>(BuiltinOp::kAdd)}, {static_cast<int32_t>(BuiltinOp::kMul)},
               {static_cast<int32_t>(BuiltinOp::kPrelu)}};
  std::vector<float> s(static_cast<size_t>(c)), alpha(static_cast<size_t>(c));
  for (int i = 0; i < c; ++i) {
    s[static_cast<size_t>(i)] = 0.5f + 0.1f * static_cast<float>(i);
    alpha[static_cast<size_t>(i)] = 0.05f * static_cast<float>(i + 1);
  }
  const uint32_t sb = m.add_buffer(test::f32_bytes(s)), ab = m.add_buffer(test::f32_bytes(alpha));
  const std::vector<int32_t> shape{1, h, w, c};
  m.add_tensor(TensorSpec{shape, false, tflite::TensorType::FLOAT32, 0, "x"});
  m.add_tensor(TensorSpec{shape, false, tflite::TensorType::FLOAT32, 0, "r"});
  m.add_tensor(TensorSpec{{c}, false, tflite::TensorType::FLOAT32, sb, "s"});
  m.add_tensor(TensorSpec{{1, 1, c}, false, tflite::TensorType::FLOAT32, ab, "alpha"});
  m.add_tensor(TensorSpec{shape, false, tflite::TensorType::FLOAT32, 0, "t1"});
  m.add_tensor(TensorSpec{shape, false, tflite::TensorType::FLOAT32, 0, "t2"});
  m.add_tensor(TensorSpec{shape, false, tflite::TensorType::FLOAT32, 0, "y"});
  m.inputs = {0, 1};
  m.outputs = {6};
  test::OpSpec add{0, {0, 1}, {4}};
  add.options.type = tflite::BuiltinOptions::AddOptions;
  add.options.activation = 1;  // RELU
  test::OpSpec mul{1, {4, 2}, {5}};
  mul.options.type = tflite::BuiltinOptions::MulOptions;
  test::OpSpec prelu{2, {5, 3}, {6}};
  m.ops = {add, mul, prelu};
  return m;
}

std::vector<float> run_model(const Model& model, const std::vector<int32_t>& shape, const std::vector<float>& x,
                             const std::vector<float>& r, const SessionOptions& options = {}) {
  auto session = Session::create(model, options);
  REQUIRE(session.ok());
  Session& s = **session;
  if (s.input(0).shape != shape) {
    REQUIRE(s.resize_input(0, shape).ok());
    REQUIRE(s.resize_input(1, shape).ok());
    REQUIRE(s.prepare().ok());
  }
  std::memcpy(s.input(0).data, x.data(), x.size() * sizeof(float));
  std::memcpy(s.input(1).data, r.data(), r.size() * sizeof(float));
  const Status st = s.run();
  INFO(st.to_string());
  REQUIRE(st.ok());
  const TensorView out = s.output(0);
  return std::vector<float>(out.data_as<float>(), out.data_as<float>() + out.bytes / sizeof(float));
}

std::vector<float> ramp(size_t n, float scale, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(static_cast<int>(i % 23) - 11) + offset;
  return v;
}

TEST_CASE("a fused chain computes what its nodes compute, on every ISA cap and after a resize",
          "[passes][fuse_elementwise][api]") {
  const std::vector<uint8_t> bytes = chain3_model(5, 6, 12).build();
  for (const char* isa : {"reference", "scalar", "avx2", "avx512", "native"}) {
    INFO(isa);
    LoadOptions fused_options, plain_options;
    fused_options.isa = plain_options.isa = isa;
    plain_options.optimize = false;
    auto fused = Model::load_buffer(bytes.data(), bytes.size(), fused_options);
    auto plain = Model::load_buffer(bytes.data(), bytes.size(), plain_options);
    REQUIRE(fused.ok());
    REQUIRE(plain.ok());
    CHECK(fused->num_nodes() == 1);
    CHECK(plain->num_nodes() == 3);
    for (const std::vector<int32_t>& shape : {std::vector<int32_t>{1, 5, 6, 12}, std::vector<int32_t>{1, 9, 2, 12}}) {
      const size_t n = static_cast<size_t>(shape[1] * shape[2] * shape[3]);
      const std::vector<float> x = ramp(n, 0.37f, -0.2f), r = ramp(n, -0.21f, 0.1f);
      CHECK(run_model(*fused, shape, x, r) == run_model(*plain, shape, x, r));
    }
  }
}

TEST_CASE("a resize that breaks a fused chain is refused with a clear message", "[passes][fuse_elementwise][api]") {
  const std::vector<uint8_t> bytes = chain3_model(4, 4, 8).build();
  auto model = Model::load_buffer(bytes.data(), bytes.size());
  REQUIRE(model.ok());
  auto session = Session::create(*model);
  REQUIRE(session.ok());
  // x [1,1,4,8] against r [1,4,4,8]: the unfused ADD would broadcast x, the fused chain cannot.
  REQUIRE((*session)->resize_input(0, {1, 1, 4, 8}).ok());
  const Status s = (*session)->prepare();
  INFO(s.to_string());
  REQUIRE_FALSE(s.ok());
  CHECK(s.to_string().find("FUSED_ELEMENTWISE[ADD+RELU,MUL,PRELU]") != std::string::npos);
  CHECK(s.to_string().find("LoadOptions::optimize = false") != std::string::npos);
}

TEST_CASE("the XNNPACK delegate runs a fused chain as its steps", "[passes][fuse_elementwise][xnnpack]") {
  const std::vector<std::string> delegates = available_delegates();
  if (std::find(delegates.begin(), delegates.end(), "xnnpack") == delegates.end()) {
    WARN("built without the XNNPACK delegate");
    return;
  }
  const std::vector<uint8_t> bytes = chain3_model(6, 5, 16).build();
  auto model = Model::load_buffer(bytes.data(), bytes.size());
  REQUIRE(model.ok());
  REQUIRE(model->num_nodes() == 1);
  SessionOptions with_xnnpack;
  with_xnnpack.delegates = {"xnnpack"};
  auto session = Session::create(*model, with_xnnpack);
  REQUIRE(session.ok());
  CHECK((*session)->impl().delegated_nodes() == 1);
  LoadOptions plain_options;
  plain_options.optimize = false;
  auto plain = Model::load_buffer(bytes.data(), bytes.size(), plain_options);
  REQUIRE(plain.ok());
  const std::vector<int32_t> shape{1, 6, 5, 16};
  const std::vector<float> x = ramp(480, 0.37f, -0.2f), r = ramp(480, -0.21f, 0.1f);
  // ADD, MUL and PRELU are single roundings in both: the same values.
  CHECK(run_model(*model, shape, x, r, with_xnnpack) == run_model(*plain, shape, x, r));
}

}  // namespace
}  // namespace eir
