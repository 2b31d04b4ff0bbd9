// FUSED_ELEMENTWISE float32: the reference kernel against the chain's ops run one by one with the
// one-op reference kernels (equal bit for bit: they share the element functions), the fast driver
// of every config against the same chain run with that config's one-op fast drivers (equal bit for
// bit: same microkernel arithmetic) and against the reference (within float rounding of the
// sigmoid / hard-swish approximations), on random chains with full, scalar and per-channel
// operands, operands on either side, constant or not, 1 and 2 threads, in place; plus what the
// kernels refuse.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/configs/f32_misc_config.h"
#include "kernels/fast/f32_misc_kernels.h"
#include "kernels/reference/reference_kernels.h"
#include "runtime/executor/thread_pool.h"
#include "runtime/graph/fused_elementwise.h"
#include "tests/ops/op_tester.h"

namespace eir::testing {
namespace {

enum class Layout { kFull, kScalar, kChannel, kMiddle };  // kMiddle: [1,H,1,1]-like, reference only

struct StepSpec {
  BuiltinOp op;
  Layout layout = Layout::kFull;
  bool operand_first = false;
  Activation act = Activation::kNone;
  bool constant = false;
};

struct Chain {
  Shape shape;
  std::vector<StepSpec> steps;
  std::vector<float> x;
  std::vector<Shape> operand_shapes;            // per step
  std::vector<std::vector<float>> operands;     // per step (empty for unary)
};

bool binary(BuiltinOp op) { return fused_step_arity(static_cast<int>(op)) == StepArity::kBinary; }

Shape operand_shape(const Shape& s, Layout layout) {
  switch (layout) {
    case Layout::kFull: return s;
    case Layout::kScalar: return {1};
    case Layout::kChannel: return {1, 1, s.back()};
    case Layout::kMiddle: {
      Shape m(s.size(), 1);
      m[1] = s[1];
      return m;
    }
  }
  return s;
}

std::vector<float> random_values(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

Chain make_chain(std::mt19937& rng, const Shape& shape, std::vector<StepSpec> steps) {
  Chain c;
  c.shape = shape;
  c.steps = std::move(steps);
  c.x = random_values(rng, static_cast<size_t>(shape_num_elements(shape)), -6.0f, 6.0f);
  for (const StepSpec& s : c.steps) {
    c.operand_shapes.push_back(binary(s.op) ? operand_shape(shape, s.layout) : Shape{});
    const size_t count = static_cast<size_t>(shape_num_elements(c.operand_shapes.back()));
    c.operands.push_back(binary(s.op) ? random_values(rng, count, -2.0f, 2.0f) : std::vector<float>{});
  }
  return c;
}

// A random chain of `len` steps; fast_layouts: only operands the fast driver streams.
Chain random_chain(std::mt19937& rng, const Shape& shape, size_t len, bool fast_layouts) {
  const BuiltinOp ops[] = {BuiltinOp::kAdd,  BuiltinOp::kSub,      BuiltinOp::kMul,      BuiltinOp::kPrelu,
                           BuiltinOp::kRelu, BuiltinOp::kRelu6,    BuiltinOp::kReluN1To1, BuiltinOp::kLogistic,
                           BuiltinOp::kHardSwish};
  const Activation acts[] = {Activation::kNone, Activation::kRelu, Activation::kRelu6, Activation::kReluN1To1};
  std::vector<StepSpec> steps;
  for (size_t k = 0; k < len; ++k) {
    StepSpec s;
    s.op = ops[rng() % 9];
    s.layout = static_cast<Layout>(rng() % (fast_layouts ? 3 : 4));
    s.operand_first = s.op != BuiltinOp::kPrelu && binary(s.op) && rng() % 2 == 0;
    s.act = fused_step_has_activation(static_cast<int>(s.op)) ? acts[rng() % 4] : Activation::kNone;
    s.constant = rng() % 2 == 0;
    steps.push_back(s);
  }
  return make_chain(rng, shape, std::move(steps));
}

// The fused node of the chain.
OpTester fused_tester(const Chain& c) {
  OpTester t(BuiltinOp::kFusedElementwise);
  t.add_input(DType::kF32, c.shape, c.x);
  FusedElementwiseParams p;
  for (size_t k = 0; k < c.steps.size(); ++k) {
    const StepSpec& s = c.steps[k];
    ElementwiseStep e;
    e.op = static_cast<int>(s.op);
    e.activation = s.act;
    e.origin = static_cast<int>(k);
    if (binary(s.op)) {
      if (s.constant) {
        t.add_constant(DType::kF32, c.operand_shapes[k], c.operands[k]);
      } else {
        t.add_input(DType::kF32, c.operand_shapes[k], c.operands[k]);
      }
      e.operand = static_cast<int>(t.node().inputs.size()) - 1;
      e.operand_first = s.operand_first;
    }
    p.steps.push_back(e);
  }
  t.add_output(DType::kF32);
  t.node().params = p;
  return t;
}

const KernelRegistry& reference_registry() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    register_reference_kernels(r);
    return r;
  }();
  return registry;
}

Kernel fast_one_op_kernel(BuiltinOp op, const F32MiscConfig& c) {
  switch (op) {
    case BuiltinOp::kAdd: return fast::add_f32_kernel(c);
    case BuiltinOp::kSub: return fast::sub_f32_kernel(c);
    case BuiltinOp::kMul: return fast::mul_f32_kernel(c);
    case BuiltinOp::kPrelu: return fast::prelu_f32_kernel(c);
    case BuiltinOp::kRelu: return fast::relu_f32_kernel(c);
    case BuiltinOp::kRelu6: return fast::relu6_f32_kernel(c);
    case BuiltinOp::kReluN1To1: return fast::relu_n1_to_1_f32_kernel(c);
    case BuiltinOp::kLogistic: return fast::logistic_f32_kernel(c);
    default: return fast::hard_swish_f32_kernel(c);
  }
}

// The chain run as one-op nodes: with the reference kernels (config null) or one config's fast
// drivers.
std::vector<float> one_by_one(const Chain& c, const F32MiscConfig* config) {
  std::vector<float> value = c.x;
  for (size_t k = 0; k < c.steps.size(); ++k) {
    const StepSpec& s = c.steps[k];
    OpTester t(s.op);
    if (binary(s.op) && s.operand_first) t.add_input(DType::kF32, c.operand_shapes[k], c.operands[k]);
    t.add_input(DType::kF32, c.shape, value);
    if (binary(s.op) && !s.operand_first) t.add_input(DType::kF32, c.operand_shapes[k], c.operands[k]);
    const int out = t.add_output(DType::kF32);
    if (fused_step_has_activation(static_cast<int>(s.op))) t.node().params = ActivationParams{s.act};
    Status st;
    if (config == nullptr) {
      const Kernel* k = reference_registry().find(t.node(), t.tensors(), nullptr);
      REQUIRE(k != nullptr);
      st = t.run(*k);
    } else {
      const Kernel k = fast_one_op_kernel(s.op, *config);
      REQUIRE(k.supports(t.node(), t.tensors()));
      st = t.run(k);
    }
    INFO(st.to_string());
    REQUIRE(st.ok());
    REQUIRE(t.shape(out) == c.shape);
    value = t.output_values<float>(out);
  }
  return value;
}

const Kernel& reference_fused_kernel() {
  static const Kernel* k = [] {
    OpTester t(BuiltinOp::kFusedElementwise);
    t.add_input(DType::kF32, {1}, std::vector<float>{0});
    t.add_output(DType::kF32);
    t.node().params = FusedElementwiseParams{{ElementwiseStep{static_cast<int>(BuiltinOp::kRelu)}}};
    const Kernel* found = reference_registry().find(t.node(), t.tensors(), nullptr);
    REQUIRE(found != nullptr);
    return found;
  }();
  return *k;
}

bool same(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void require_equal(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i << " got " << got[i] << " want " << want[i]);
    REQUIRE(same(got[i], want[i]));
  }
}

std::string describe(const Chain& c) {
  std::string s = shape_to_string(c.shape) + ":";
  for (size_t k = 0; k < c.steps.size(); ++k) {
    const StepSpec& st = c.steps[k];
    s += std::string(" ") + builtin_op_name(static_cast<int>(st.op));
    if (binary(st.op))
      s += "(" + shape_to_string(c.operand_shapes[k]) + (st.operand_first ? ",first" : "") +
           (st.constant ? ",const" : "") + ")";
    if (st.act != Activation::kNone) s += "+act" + std::to_string(static_cast<int>(st.act));
  }
  return s;
}

const Shape kShapes[] = {{1, 5, 7, 13}, {1, 16, 16, 24}, {1, 9, 9, 256}, {2, 3, 4, 3000}, {1, 1, 1, 5}, {1, 40, 40, 8}};

TEST_CASE("reference FUSED_ELEMENTWISE equals its ops run one by one", "[ops][fused_elementwise]") {
  std::mt19937 rng(41);
  for (const Shape& shape : kShapes) {
    for (int trial = 0; trial < 12; ++trial) {
      const Chain c = random_chain(rng, shape, 1 + rng() % 6, /*fast_layouts=*/false);
      INFO(describe(c));
      const std::vector<float> want = one_by_one(c, nullptr);
      for (int threads : {1, 2}) {
        OpTester t = fused_tester(c);
        REQUIRE(t.run(reference_fused_kernel(), threads).ok());
        require_equal(t.output_values<float>(t.node().outputs[0]), want);
      }
    }
  }
}

TEST_CASE("fast FUSED_ELEMENTWISE equals the one-op fast drivers and stays close to the reference",
          "[ops][fused_elementwise][fast]") {
  std::mt19937 rng(43);
  for (const F32MiscConfig* config : f32_misc_configs_available(detected_cpu_features())) {
    const Kernel fast = fast::fused_elementwise_f32_kernel(*config);
    for (const Shape& shape : kShapes) {
      for (int trial = 0; trial < 8; ++trial) {
        const Chain c = random_chain(rng, shape, 1 + rng() % 6, /*fast_layouts=*/true);
        INFO(config->isa << " " << describe(c));
        const std::vector<float> want = one_by_one(c, config);
        OpTester ref = fused_tester(c);
        REQUIRE(ref.run(reference_fused_kernel()).ok());
        const std::vector<float> ref_out = ref.output_values<float>(ref.node().outputs[0]);
        for (int threads : {1, 2}) {
          OpTester t = fused_tester(c);
          REQUIRE(fast.supports(t.node(), t.tensors()));
          const Status st = t.run(fast, threads);
          INFO(st.to_string());
          REQUIRE(st.ok());
          const std::vector<float> got = t.output_values<float>(t.node().outputs[0]);
          require_equal(got, want);
          // Against the reference: the vector sigmoid is within a few ulps of std::exp's, and
          // hard swish multiplies by 1/6 where the reference divides by 6.
          for (size_t i = 0; i < got.size(); ++i) {
            INFO("element " << i << " fast " << got[i] << " reference " << ref_out[i]);
            REQUIRE(std::fabs(got[i] - ref_out[i]) <= 1e-5f * std::max(1.0f, std::fabs(ref_out[i])));
          }
        }
      }
    }
  }
}

// prepare + run with the output sharing input `alias`'s memory (the planner's in-place rule).
std::vector<float> run_in_place(OpTester& t, const Kernel& k, int alias, int threads) {
  std::unique_ptr<KernelState> state;
  KernelContext ctx(t.node(), 0, t.tensors());
  ctx.bind(KernelPhase::kPrepare, &state, nullptr, nullptr);
  const Status prepared = k.prepare(ctx);
  INFO(prepared.to_string());
  REQUIRE(prepared.ok());
  Tensor& in = t.tensor(t.node().inputs[static_cast<size_t>(alias)]);
  Tensor& out = t.tensor(t.node().outputs[0]);
  REQUIRE(in.shape == out.shape);
  out.data = in.data;
  std::vector<uint8_t> scratch(ctx.scratch_bytes() + 64);
  ThreadPool pool(threads);
  ctx.bind(KernelPhase::kRun, &state, scratch.data(), &pool);
  REQUIRE(k.run(ctx).ok());
  return t.output_values<float>(t.node().outputs[0]);
}

TEST_CASE("FUSED_ELEMENTWISE may write over input 0 or a same-shaped operand", "[ops][fused_elementwise][fast]") {
  std::mt19937 rng(47);
  const Shape shape{1, 12, 12, 40};
  std::vector<Kernel> kernels = {reference_fused_kernel()};
  for (const F32MiscConfig* config : f32_misc_configs_available(detected_cpu_features()))
    kernels.push_back(fast::fused_elementwise_f32_kernel(*config));
  // MUL by a per-channel scale, ADD a full residual (operand first), PRELU, SIGMOID.
  const Chain c = make_chain(rng, shape,
                             {{BuiltinOp::kMul, Layout::kChannel, false, Activation::kNone, true},
                              {BuiltinOp::kAdd, Layout::kFull, true, Activation::kNone, false},
                              {BuiltinOp::kPrelu, Layout::kChannel, false, Activation::kNone, true},
                              {BuiltinOp::kLogistic}});
  for (const Kernel& k : kernels) {
    INFO(k.name);
    OpTester plain = fused_tester(c);
    REQUIRE(plain.run(k).ok());
    const std::vector<float> want = plain.output_values<float>(plain.node().outputs[0]);
    for (int alias : {0, 2}) {  // input 0, the full residual
      for (int threads : {1, 2}) {
        OpTester t = fused_tester(c);
        require_equal(run_in_place(t, k, alias, threads), want);
      }
    }
  }
}

TEST_CASE("fast FUSED_ELEMENTWISE declines layouts it does not stream", "[ops][fused_elementwise][fast]") {
  const Kernel fast = fast::fused_elementwise_f32_kernel(f32_misc_config(detected_cpu_features()));
  std::mt19937 rng(3);
  const Shape shape{1, 6, 6, 16};
  auto supports = [&](std::vector<StepSpec> steps, Shape second_operand = {}) {
    Chain c = make_chain(rng, shape, std::move(steps));
    if (!second_operand.empty()) {
      c.operand_shapes[1] = second_operand;
      c.operands[1].assign(static_cast<size_t>(shape_num_elements(second_operand)), 0.5f);
    }
    OpTester t = fused_tester(c);
    return fast.supports(t.node(), t.tensors());
  };
  CHECK(supports({{BuiltinOp::kAdd, Layout::kFull}, {BuiltinOp::kPrelu, Layout::kChannel}}));
  CHECK(supports({{BuiltinOp::kAdd, Layout::kScalar}, {BuiltinOp::kMul, Layout::kChannel}}));
  CHECK_FALSE(supports({{BuiltinOp::kAdd, Layout::kMiddle}, {BuiltinOp::kRelu}}));
  // Two trailing blocks of different sizes: no common period.
  CHECK_FALSE(supports({{BuiltinOp::kAdd, Layout::kChannel}, {BuiltinOp::kMul, Layout::kChannel}}, {6, 16}));
  // The reference kernel runs them.
  Chain c = make_chain(rng, shape, {{BuiltinOp::kAdd, Layout::kMiddle}, {BuiltinOp::kRelu}});
  OpTester t = fused_tester(c);
  REQUIRE(t.run(reference_fused_kernel()).ok());
  require_equal(t.output_values<float>(t.node().outputs[0]), one_by_one(c, nullptr));
}

TEST_CASE("FUSED_ELEMENTWISE refuses bad programs and shapes that no longer fit the chain",
          "[ops][fused_elementwise]") {
  std::mt19937 rng(7);
  std::vector<Kernel> kernels = {reference_fused_kernel(),
                                 fast::fused_elementwise_f32_kernel(f32_misc_config(detected_cpu_features()))};
  const Chain c =
      make_chain(rng, {1, 4, 4, 8}, {{BuiltinOp::kAdd, Layout::kFull}, {BuiltinOp::kPrelu, Layout::kChannel}});
  for (const Kernel& k : kernels) {
    INFO(k.name);
    auto fails_with = [&](OpTester& t, const std::string& text) {
      const Status s = t.run(k);
      INFO(s.to_string());
      REQUIRE_FALSE(s.ok());
      CHECK(s.to_string().find(text) != std::string::npos);
    };
    {
      OpTester t = fused_tester(c);
      std::get<FusedElementwiseParams>(t.node().params).steps[1].operand = 7;
      fails_with(t, "step 1 (PRELU, from node 1): operand 7 is not one of inputs 1..2");
    }
    {
      OpTester t = fused_tester(c);
      std::get<FusedElementwiseParams>(t.node().params).steps[0].op = static_cast<int>(BuiltinOp::kTanh);
      fails_with(t, "cannot be part of a fused elementwise chain");
    }
    {
      OpTester t = fused_tester(c);
      t.node().params = ActivationParams{};
      fails_with(t, "without a program");
    }
    {
      // The residual now broadcasts the value from [1,1,4,8] to [1,4,4,8]: the chain no longer
      // keeps one shape.
      Chain grown = c;
      grown.shape = {1, 1, 4, 8};
      grown.x.resize(32);
      OpTester t = fused_tester(grown);
      fails_with(t, "optimize = false");
    }
  }
}

}  // namespace
}  // namespace eir::testing
