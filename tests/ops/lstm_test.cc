// UNIDIRECTIONAL_SEQUENCE_LSTM reference kernels: float32 and the int8x8_16 integer scheme.
#include <catch2/catch.hpp>

#include <cmath>

#include "kernels/reference/quant_utils.h"
#include "kernels/reference/sequence_kernels.h"
#include "tests/ops/op_tester.h"

using namespace eir;
using eir::testing::OpTester;

namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

struct FloatLstmSpec {
  int n_batch = 1, max_time = 1, n_input = 1, n_cell = 1, n_output = 1;
  bool time_major = false, cifg = false, peephole = false, projection = false;
  float w_input = 1.0f;      // every input-to-gate weight
  float w_recurrent = 0.5f;  // every recurrent weight
  float w_peephole = 0.0f;
  float w_projection = 1.0f;
  float bias = 0.0f;
  float cell_clip = 0.0f, proj_clip = 0.0f;
};

// Builds a float LSTM node with constant weights (all entries of a kind share one value).
struct FloatLstm {
  OpTester t{BuiltinOp::kUnidirectionalSequenceLstm};
  int output = -1, output_state = -1, cell_state = -1;

  FloatLstm(const FloatLstmSpec& s, const std::vector<float>& input) {
    const Shape in_shape = s.time_major ? Shape{s.max_time, s.n_batch, s.n_input} : Shape{s.n_batch, s.max_time, s.n_input};
    t.add_input(DType::kF32, in_shape, input);
    auto filled = [](int n, float v) { return std::vector<float>(static_cast<size_t>(n), v); };
    for (int g = 0; g < 4; ++g) {
      if (g == 0 && s.cifg) t.add_absent_input();
      else t.add_constant(DType::kF32, {s.n_cell, s.n_input}, filled(s.n_cell * s.n_input, s.w_input));
    }
    for (int g = 0; g < 4; ++g) {
      if (g == 0 && s.cifg) t.add_absent_input();
      else t.add_constant(DType::kF32, {s.n_cell, s.n_output}, filled(s.n_cell * s.n_output, s.w_recurrent));
    }
    for (int g = 0; g < 3; ++g) {
      if (!s.peephole || (g == 0 && s.cifg)) t.add_absent_input();
      else t.add_constant(DType::kF32, {s.n_cell}, filled(s.n_cell, s.w_peephole));
    }
    for (int g = 0; g < 4; ++g) {
      if (g == 0 && s.cifg) t.add_absent_input();
      else t.add_constant(DType::kF32, {s.n_cell}, filled(s.n_cell, s.bias));
    }
    if (s.projection) {
      t.add_constant(DType::kF32, {s.n_output, s.n_cell}, filled(s.n_output * s.n_cell, s.w_projection));
    } else {
      t.add_absent_input();
    }
    t.add_absent_input();  // projection bias
    output_state = t.add_input(DType::kF32, {s.n_batch, s.n_output}, filled(s.n_batch * s.n_output, 0.0f));
    cell_state = t.add_input(DType::kF32, {s.n_batch, s.n_cell}, filled(s.n_batch * s.n_cell, 0.0f));
    t.tensor(output_state).kind = TensorKind::kVariable;
    t.tensor(cell_state).kind = TensorKind::kVariable;
    for (int i = 0; i < 4; ++i) t.add_absent_input();  // no layer norm
    output = t.add_output(DType::kF32);
    SequenceLstmParams p;
    p.activation = Activation::kTanh;
    p.time_major = s.time_major;
    p.cell_clip = s.cell_clip;
    p.proj_clip = s.proj_clip;
    t.node().params = p;
  }
  Status run() { return t.run(ref::lstm_f32_kernel()); }
  std::vector<float> out() const { return t.output_values<float>(output); }
  std::vector<float> h() const { return t.output_values<float>(output_state); }
  std::vector<float> c() const { return t.output_values<float>(cell_state); }
};

}  // namespace

TEST_CASE("LSTM float: one step with scalar weights, computed by hand", "[ops][lstm]") {
  FloatLstmSpec s;  // n_input = n_cell = n_output = 1, W_x = 1, W_h = 0.5, bias 0, h0 = c0 = 0
  FloatLstm m(s, {2.0f});
  REQUIRE(m.run().ok());
  CHECK(m.t.shape(m.output) == Shape{1, 1, 1});
  // i = f = o = sigmoid(2), g = tanh(2), c = i*g, h = o*tanh(c).
  const float gate = sigmoid(2.0f);
  const float c = gate * std::tanh(2.0f);
  const float h = gate * std::tanh(c);
  CHECK(m.c()[0] == Approx(c).epsilon(1e-6));
  CHECK(m.h()[0] == Approx(h).epsilon(1e-6));
  CHECK(m.out()[0] == Approx(h).epsilon(1e-6));
}

TEST_CASE("LSTM float: states carry over time steps and across runs", "[ops][lstm]") {
  FloatLstmSpec s;
  s.max_time = 2;
  FloatLstm m(s, {1.0f, -1.0f});
  REQUIRE(m.run().ok());
  // Step 1: x = 1, h = c = 0.
  float i = sigmoid(1.0f), g = std::tanh(1.0f);
  float c = i * g;
  float h = i * std::tanh(c);
  const float h1 = h;
  // Step 2: x = -1, pre-activation = -1 + 0.5 h.
  const float pre = -1.0f + 0.5f * h;
  i = sigmoid(pre);
  g = std::tanh(pre);
  c = i * c + i * g;
  h = i * std::tanh(c);
  const std::vector<float> out = m.out();
  CHECK(out[0] == Approx(h1).epsilon(1e-6));
  CHECK(out[1] == Approx(h).epsilon(1e-6));
  CHECK(m.c()[0] == Approx(c).epsilon(1e-6));

  // A second run starts from the stored state (variable tensors are not reset).
  const float h_before = m.h()[0], c_before = m.c()[0];
  REQUIRE(m.run().ok());
  const float pre2 = 1.0f + 0.5f * h_before;
  const float c2 = sigmoid(pre2) * c_before + sigmoid(pre2) * std::tanh(pre2);
  CHECK(m.out()[0] == Approx(sigmoid(pre2) * std::tanh(c2)).epsilon(1e-6));
}

TEST_CASE("LSTM float: CIFG uses 1 - f as input gate; peephole; cell clip", "[ops][lstm]") {
  FloatLstmSpec s;
  s.cifg = true;
  s.peephole = true;
  s.w_peephole = 2.0f;
  s.cell_clip = 0.3f;
  s.max_time = 2;
  FloatLstm m(s, {-3.0f, 3.0f});
  REQUIRE(m.run().ok());
  // Step 1 (c0 = h0 = 0): f = sigmoid(-3), g = tanh(-3); c = clip((1 - f) g) binds at -0.3.
  float f = sigmoid(-3.0f);
  const float unclipped = (1.0f - f) * std::tanh(-3.0f);
  CHECK(unclipped < -0.3f);
  float c = -0.3f;
  float o = sigmoid(-3.0f + 2.0f * c);  // the output peephole sees the new cell state
  float h = o * std::tanh(c);
  CHECK(m.out()[0] == Approx(h).epsilon(1e-6));
  // Step 2: the forget peephole sees the old cell state.
  const float pre = 3.0f + 0.5f * h;
  f = sigmoid(pre + 2.0f * c);
  c = std::max(-0.3f, std::min(0.3f, f * c + (1.0f - f) * std::tanh(pre)));
  o = sigmoid(pre + 2.0f * c);
  CHECK(m.c()[0] == Approx(c).epsilon(1e-6));
  CHECK(m.out()[1] == Approx(o * std::tanh(c)).epsilon(1e-6));
}

TEST_CASE("LSTM float: projection with clip", "[ops][lstm]") {
  FloatLstmSpec s;
  s.n_cell = 2;
  s.n_output = 1;
  s.projection = true;
  s.w_projection = 3.0f;
  s.proj_clip = 0.5f;
  FloatLstm m(s, {1.0f});
  REQUIRE(m.run().ok());
  const float gate = sigmoid(1.0f);
  const float hidden = gate * std::tanh(gate * std::tanh(1.0f));  // per cell
  CHECK(3.0f * 2 * hidden > 0.5f);
  CHECK(m.out()[0] == Approx(0.5f));
  CHECK(m.t.shape(m.output) == Shape{1, 1, 1});
}

TEST_CASE("LSTM float: time-major and batch-major layouts agree", "[ops][lstm]") {
  const int B = 2, T = 3;
  std::vector<float> bm(B * T * 2), tm(B * T * 2);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < 2; ++i) {
        const float v = 0.3f * static_cast<float>(b + 1) - 0.2f * static_cast<float>(t) + 0.1f * static_cast<float>(i);
        bm[static_cast<size_t>((b * T + t) * 2 + i)] = v;
        tm[static_cast<size_t>((t * B + b) * 2 + i)] = v;
      }
  FloatLstmSpec s;
  s.n_batch = B;
  s.max_time = T;
  s.n_input = 2;
  s.n_cell = s.n_output = 3;
  FloatLstm batch_major(s, bm);
  s.time_major = true;
  FloatLstm time_major(s, tm);
  REQUIRE(batch_major.run().ok());
  REQUIRE(time_major.run().ok());
  CHECK(batch_major.t.shape(batch_major.output) == Shape{B, T, 3});
  CHECK(time_major.t.shape(time_major.output) == Shape{T, B, 3});
  const auto a = batch_major.out(), b = time_major.out();
  for (int bb = 0; bb < B; ++bb)
    for (int t = 0; t < T; ++t)
      for (int k = 0; k < 3; ++k)
        CHECK(a[static_cast<size_t>((bb * T + t) * 3 + k)] == Approx(b[static_cast<size_t>((t * B + bb) * 3 + k)]));
  // Different batch rows must not share state.
  CHECK(a[0] != Approx(a[static_cast<size_t>(T * 3)]));
}

TEST_CASE("LSTM float: layer normalization of the gates", "[ops][lstm]") {
  FloatLstmSpec s;
  s.n_cell = s.n_output = 2;
  s.w_recurrent = 0.0f;
  FloatLstm m(s, {0.5f});
  // Input weights [[1], [3]] for every gate: pre-activations [x, 3x] normalize to [-1, 1].
  for (int g = 0; g < 4; ++g) m.t.tensor(m.t.node().inputs[static_cast<size_t>(1 + g)]).as<float>()[1] = 3.0f;
  // Coefficients [1, 2] and biases [0.25, 0.25] (added after normalization, not before).
  for (int g = 0; g < 4; ++g) m.t.tensor(m.t.node().inputs[static_cast<size_t>(12 + g)]).as<float>()[0] = 0.25f;
  for (int g = 0; g < 4; ++g) m.t.tensor(m.t.node().inputs[static_cast<size_t>(12 + g)]).as<float>()[1] = 0.25f;
  for (int k = 20; k < 24; ++k) {
    const int idx = m.t.add_constant(DType::kF32, {2}, std::vector<float>{1.0f, 2.0f});
    m.t.node().inputs.pop_back();
    m.t.node().inputs[static_cast<size_t>(k)] = idx;
  }
  REQUIRE(m.run().ok());
  const float pre[2] = {-1.0f * 1.0f + 0.25f, 1.0f * 2.0f + 0.25f};
  for (int k = 0; k < 2; ++k) {
    const float gate = sigmoid(pre[k]);
    const float c = gate * std::tanh(pre[k]);
    CHECK(m.c()[static_cast<size_t>(k)] == Approx(c).epsilon(1e-5));
    CHECK(m.out()[static_cast<size_t>(k)] == Approx(gate * std::tanh(c)).epsilon(1e-5));
  }
}

TEST_CASE("LSTM float: malformed nodes are refused", "[ops][lstm]") {
  SECTION("wrong input count") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.node().inputs.resize(19);
    CHECK(!m.run().ok());
  }
  SECTION("weights with the wrong shape") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.tensor(m.t.node().inputs[3]).shape = {2, 1};
    const Status st = m.run();
    REQUIRE(!st.ok());
    CHECK(st.message().find("input 3") != std::string::npos);
  }
  SECTION("state that is not a variable tensor") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.tensor(m.cell_state).kind = TensorKind::kActivation;
    CHECK(!m.run().ok());
  }
  SECTION("state with the wrong size") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.tensor(m.output_state).shape = {1, 2};
    CHECK(!m.run().ok());
  }
  SECTION("hybrid weights") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.tensor(m.t.node().inputs[4]).dtype = DType::kI8;
    const Status st = m.run();
    CHECK(st.code() == StatusCode::kUnsupported);
  }
  SECTION("input-gate bias present with CIFG") {
    FloatLstmSpec s;
    s.cifg = true;
    FloatLstm m(s, {1.0f});
    m.t.node().inputs[12] = m.t.node().inputs[13];
    CHECK(!m.run().ok());
  }
  SECTION("rank-2 input") {
    FloatLstm m(FloatLstmSpec{}, {1.0f});
    m.t.tensor(0).shape = {1, 1};
    CHECK(!m.run().ok());
  }
}

// ------------------------------------------------------------------ integer (8x8_16)

namespace {

QuantParams q(float scale, int32_t zp = 0) { return QuantParams{{scale}, {zp}, 0}; }

// n_input = n_cell = n_output = 1, no CIFG / peephole / projection / layer norm. Weight and
// input scales are 2^-6 so that input * weight maps to the Q3.12 gate domain with multiplier 1.
struct IntLstm {
  OpTester t{BuiltinOp::kUnidirectionalSequenceLstm};
  int output = -1, output_state = -1, cell_state = -1;

  IntLstm(int8_t x, int8_t w_input, int8_t w_recurrent, int32_t bias, float hidden_scale, int32_t hidden_zp) {
    const float s = 1.0f / 64;
    t.add_input(DType::kI8, {1, 1, 1}, std::vector<int8_t>{x}, q(s));
    for (int g = 0; g < 4; ++g) t.add_constant(DType::kI8, {1, 1}, std::vector<int8_t>{w_input}, q(s));
    for (int g = 0; g < 4; ++g) t.add_constant(DType::kI8, {1, 1}, std::vector<int8_t>{w_recurrent}, q(s));
    for (int g = 0; g < 3; ++g) t.add_absent_input();
    for (int g = 0; g < 4; ++g) t.add_constant(DType::kI32, {1}, std::vector<int32_t>{bias}, q(s * s));
    t.add_absent_input();
    t.add_absent_input();
    output_state = t.add_input(DType::kI8, {1, 1}, std::vector<int8_t>{static_cast<int8_t>(hidden_zp)}, q(s, 0));
    cell_state = t.add_input(DType::kI16, {1, 1}, std::vector<int16_t>{0}, q(1.0f / 2048));  // Q4.11
    t.tensor(output_state).kind = TensorKind::kVariable;
    t.tensor(cell_state).kind = TensorKind::kVariable;
    for (int i = 0; i < 4; ++i) t.add_absent_input();
    output = t.add_output(DType::kI8, q(hidden_scale, hidden_zp));
    // Intermediates: 4 gate scales (unused without layer norm) and the hidden state's scale.
    for (int k = 0; k < 5; ++k) {
      Tensor inter;
      inter.dtype = k == 4 ? DType::kI8 : DType::kF32;
      if (k == 4) inter.quant = q(hidden_scale, hidden_zp);
      t.tensors().push_back(inter);
      t.node().intermediates.push_back(static_cast<int>(t.tensors().size()) - 1);
    }
    SequenceLstmParams p;
    p.activation = Activation::kTanh;
    t.node().params = p;
  }
  Status run() { return t.run(ref::lstm_int8x8_16_kernel()); }
};

}  // namespace

TEST_CASE("LSTM int8x8_16: one step matches the fixed-point formulas", "[ops][lstm][quantized]") {
  // x * w = 32 * 64 = 2048 -> 0.5 in Q3.12 (multiplier exactly 1); bias 2048 more -> 1.0.
  const float hidden_scale = 1.0f / 128;
  IntLstm m(/*x=*/32, /*w_input=*/64, /*w_recurrent=*/0, /*bias=*/2048, hidden_scale, /*hidden_zp=*/0);
  REQUIRE(m.run().ok());
  using ref::FixedPoint;
  const int16_t pre = 4096;  // 1.0 in Q3.12
  const int16_t sig = ref::fixed_logistic(FixedPoint<int16_t, 3>::from_raw(pre)).raw;
  const int16_t tnh = ref::fixed_tanh(FixedPoint<int16_t, 3>::from_raw(pre)).raw;
  CHECK(std::abs(sig / 32768.0 - 1.0 / (1.0 + std::exp(-1.0))) < 1e-3);
  // c = (f*c0 >> 15) + round(i*g / 2^(30-11)) with c0 = 0.
  const int16_t c = static_cast<int16_t>(ref::rounding_divide_by_pot(static_cast<int32_t>(sig) * tnh, 19));
  CHECK(m.t.output_values<int16_t>(m.cell_state)[0] == c);
  // h = o * tanh(c) (Q0.15 x Q0.15 = 2^-30) requantized to the hidden scale 2^-7.
  const int16_t tc = ref::fixed_tanh(FixedPoint<int16_t, 4>::from_raw(c)).raw;
  const int32_t h = ref::multiply_by_quantized_multiplier(static_cast<int32_t>(sig) * tc,
                                                          ref::quantize_multiplier(std::pow(2.0, -30) * 128));
  CHECK(m.t.output_values<int8_t>(m.output)[0] == h);
  CHECK(m.t.output_values<int8_t>(m.output_state)[0] == h);
  // And approximately the float LSTM: h = sigmoid(1) * tanh(sigmoid(1) * tanh(1)).
  const double hf = sigmoid(1.0f) * std::tanh(sigmoid(1.0f) * std::tanh(1.0f));
  CHECK(std::abs(h / 128.0 - hf) <= 1.5 / 128);
}

TEST_CASE("LSTM int8x8_16: saturated gates, hidden zero point and recurrence", "[ops][lstm][quantized]") {
  // A large bias saturates every gate: i = f = o ~ 1, g ~ 1, so c grows by ~1 per step.
  IntLstm m(/*x=*/0, /*w_input=*/0, /*w_recurrent=*/10, /*bias=*/32767, 1.0f / 128, /*hidden_zp=*/-3);
  REQUIRE(m.run().ok());
  const int16_t c1 = m.t.output_values<int16_t>(m.cell_state)[0];
  CHECK(std::abs(c1 - 2048) <= 2);  // ~1.0 in Q4.11
  const int8_t h1 = m.t.output_values<int8_t>(m.output)[0];
  CHECK(std::abs((h1 + 3) / 128.0 - std::tanh(1.0)) < 0.02);
  REQUIRE(m.run().ok());
  const int16_t c2 = m.t.output_values<int16_t>(m.cell_state)[0];
  CHECK(std::abs(c2 - 4096) <= 4);  // f*c + i*g ~ 2.0
  const int8_t h2 = m.t.output_values<int8_t>(m.output)[0];
  CHECK(std::abs((h2 + 3) / 128.0 - std::tanh(2.0)) < 0.02);
}

TEST_CASE("LSTM int8x8_16: layer norm path adds the bias after normalization", "[ops][lstm][quantized]") {
  // One cell: the variance is 0, so the normalized value is 0 whatever the input, and the gate is
  // bias / 1024 rescaled by the coefficients' scale. With coefficient scale 2^-12 (multiplier
  // 1/2 at shift -11, then +12) a bias of 4096 * 1024 gives 4096 = 1.0 in Q3.12: the same gates
  // as the plain test above.
  const float hidden_scale = 1.0f / 128;
  IntLstm m(/*x=*/-77, /*w_input=*/64, /*w_recurrent=*/5, /*bias=*/4096 * 1024, hidden_scale, 0);
  for (int k = 20; k < 24; ++k) {
    const int idx = m.t.add_constant(DType::kI16, {1}, std::vector<int16_t>{1234}, q(1.0f / 4096));
    m.t.node().inputs.pop_back();
    m.t.node().inputs[static_cast<size_t>(k)] = idx;
  }
  for (int k = 0; k < 4; ++k) m.t.tensor(m.t.node().intermediates[static_cast<size_t>(k)]).quant = q(1.0f / 4096);
  REQUIRE(m.run().ok());
  IntLstm plain(/*x=*/32, /*w_input=*/64, /*w_recurrent=*/0, /*bias=*/2048, hidden_scale, 0);
  REQUIRE(plain.run().ok());
  CHECK(m.t.output_values<int16_t>(m.cell_state) == plain.t.output_values<int16_t>(plain.cell_state));
  CHECK(m.t.output_values<int8_t>(m.output) == plain.t.output_values<int8_t>(plain.output));
}

TEST_CASE("LSTM int8x8_16: malformed nodes are refused", "[ops][lstm][quantized]") {
  SECTION("missing intermediates") {
    IntLstm m(1, 1, 1, 0, 1.0f / 128, 0);
    m.t.node().intermediates.pop_back();
    CHECK(!m.run().ok());
  }
  SECTION("cell state scale not a power of two") {
    IntLstm m(1, 1, 1, 0, 1.0f / 128, 0);
    m.t.tensor(m.cell_state).quant = q(0.0003f);
    CHECK(!m.run().ok());
  }
  SECTION("cell state scale outside the supported range") {
    IntLstm m(1, 1, 1, 0, 1.0f / 128, 0);
    m.t.tensor(m.cell_state).quant = q(1.0f / 256);
    CHECK(m.run().code() == StatusCode::kUnsupported);
  }
  SECTION("weights without quantization") {
    IntLstm m(1, 1, 1, 0, 1.0f / 128, 0);
    m.t.tensor(m.t.node().inputs[6]).quant = QuantParams{};
    CHECK(!m.run().ok());
  }
  SECTION("int16 cell state declared as int8") {
    IntLstm m(1, 1, 1, 0, 1.0f / 128, 0);
    m.t.tensor(m.cell_state).dtype = DType::kI8;
    CHECK(!m.run().ok());
  }
}
