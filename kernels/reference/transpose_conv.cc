// Transposed convolution, float32, in two flavours sharing one core:
//  - TRANSPOSE_CONV: inputs (output_shape int32[4] constant, weights OHWI, input NHWC, optional
//    bias [O]); fused clamp activation. Padding as TFLite: the padding of the *forward* conv that
//    maps the output size back to the input size (TFLite also requires that this forward conv
//    reproduces the input's H and W).
//  - MediaPipe's custom Convolution2DTransposeBias: inputs (input, weights OHWI, bias [O]);
//    output H = stride*(H_in-1) + KH - pad_total with pad_total = 0 for VALID and
//    max(0, KH - (H_in-1) % stride - 1) for SAME; leading pad = pad_total/2; no activation.
// Each input pixel (iy, ix) scatters into output rows iy*stride - pad + ky; the core evaluates the
// same sums in gather form: output (oy, ox) takes the taps with oy + pad - ky = iy*stride.

#include <limits>
#include <utility>

#include "kernels/reference/float_spatial.h"
#include "kernels/reference/spatial_util.h"
#include "runtime/executor/thread_pool.h"

namespace eir::ref {
namespace {

struct TransposeState : KernelState {
  int input = 0, weights = 0, bias = -1;  // input positions; bias -1 when absent
  int pad_h = 0, pad_w = 0;
  float act_lo = 0.0f, act_hi = 0.0f;
};

// Checks shared by both flavours: float dtypes, ranks, weights' input channels, bias length.
Status check_tensors(const KernelContext& ctx, const TransposeState& s) {
  EIR_RETURN_IF_ERROR(ctx.expect_num_outputs(1));
  EIR_RETURN_IF_ERROR(ctx.expect_input_dtype(s.input, DType::kF32));
  EIR_RETURN_IF_ERROR(expect_float_weights(ctx, s.weights));
  EIR_RETURN_IF_ERROR(expect_output_dtype(ctx, 0, DType::kF32));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(s.input, 4));
  EIR_RETURN_IF_ERROR(ctx.expect_input_rank(s.weights, 4));
  EIR_RETURN_IF_ERROR(expect_positive_dims(ctx, s.input, 1, 3));
  EIR_RETURN_IF_ERROR(expect_positive_dims(ctx, s.weights, 0, 3));
  const Tensor& in = ctx.input(s.input);
  const Tensor& w = ctx.input(s.weights);
  if (w.dim(3) != in.dim(3))
    return invalid_model(ctx.describe_input(s.weights), " must have ", in.dim(3), " input channels (last dim)");
  if (s.bias >= 0) {
    EIR_RETURN_IF_ERROR(expect_float_weights(ctx, s.bias));
    const Tensor& bias = ctx.input(s.bias);
    if (bias.rank() != 1 || bias.dim(0) != w.dim(0))
      return invalid_model(ctx.describe_input(s.bias), " must have shape [", w.dim(0), "]");
  }
  return Status::Ok();
}

Status transpose_conv_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(3, 4));
  auto state = std::make_unique<TransposeState>();
  state->weights = 1;
  state->input = 2;
  state->bias = ctx.has_input(3) ? 3 : -1;
  EIR_RETURN_IF_ERROR(check_tensors(ctx, *state));
  const Tensor& in = ctx.input(2);
  const Tensor& w = ctx.input(1);

  std::vector<int64_t> out_dims;
  EIR_RETURN_IF_ERROR(read_constant_ints(ctx, 0, /*allow_int64=*/false, &out_dims));
  if (ctx.input(0).rank() != 1 || out_dims.size() != 4)
    return invalid_model(ctx.describe_input(0), " must be a 1-D tensor of 4 values");
  if (out_dims[0] != in.dim(0) || out_dims[3] != w.dim(0) || out_dims[1] <= 0 || out_dims[2] <= 0)
    return invalid_model(ctx.describe_input(0), ": output shape [", out_dims[0], ",", out_dims[1], ",", out_dims[2],
                         ",", out_dims[3], "] must be [", in.dim(0), ",>0,>0,", w.dim(0), "]");
  const Shape out_shape = {in.dim(0), static_cast<int32_t>(out_dims[1]), static_cast<int32_t>(out_dims[2]), w.dim(0)};
  // The forward conv over the output must give back the input size; its padding is ours.
  WindowDim fh, fw;
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, out_shape[1], w.dim(1), p->stride_h, 1, "height", &fh));
  EIR_RETURN_IF_ERROR(compute_window_dim(p->padding, out_shape[2], w.dim(2), p->stride_w, 1, "width", &fw));
  if (fh.out != in.dim(1) || fw.out != in.dim(2))
    return invalid_model("output size ", out_shape[1], "x", out_shape[2], " maps back to ", fh.out, "x", fw.out,
                         " under the forward conv, but the input is ", in.dim(1), "x", in.dim(2));
  // compute_window_dim derived the pad from (in=output size, out=input size), as TFLite does.
  state->pad_h = fh.pad;
  state->pad_w = fw.pad;
  EIR_RETURN_IF_ERROR(fused_activation_clamp(p->activation, &state->act_lo, &state->act_hi));
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, out_shape));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

// MediaPipe's output size and total padding along one dim (see the file comment).
Status mediapipe_dim(Padding padding, int in, int filter, int stride, const char* dim, int* out, int* pad) {
  if (stride <= 0) return invalid_model(dim, " stride must be > 0, got ", stride);
  int64_t total = 0;
  if (padding == Padding::kSame) total = std::max<int64_t>(0, int64_t{filter} - (in - 1) % stride - 1);
  const int64_t size = int64_t{stride} * (in - 1) + filter - total;
  if (size <= 0 || size > std::numeric_limits<int32_t>::max())
    return invalid_model(dim, ": output size ", size, " is out of range");
  *out = static_cast<int>(size);
  *pad = static_cast<int>(total / 2);
  return Status::Ok();
}

Status transpose_conv_bias_prepare(KernelContext& ctx) {
  const ConvParams* p = nullptr;
  EIR_RETURN_IF_ERROR(get_params(ctx, &p));
  EIR_RETURN_IF_ERROR(ctx.expect_num_inputs(3, 3));
  auto state = std::make_unique<TransposeState>();
  state->input = 0;
  state->weights = 1;
  state->bias = 2;
  EIR_RETURN_IF_ERROR(check_tensors(ctx, *state));
  const Tensor& in = ctx.input(0);
  const Tensor& w = ctx.input(1);
  int out_h = 0, out_w = 0;
  EIR_RETURN_IF_ERROR(mediapipe_dim(p->padding, in.dim(1), w.dim(1), p->stride_h, "height", &out_h, &state->pad_h));
  EIR_RETURN_IF_ERROR(mediapipe_dim(p->padding, in.dim(2), w.dim(2), p->stride_w, "width", &out_w, &state->pad_w));
  // MediaPipe's kernel applies no activation, whatever the options say.
  activation_range_f32(Activation::kNone, &state->act_lo, &state->act_hi);
  EIR_RETURN_IF_ERROR(ctx.set_output_shape(0, {in.dim(0), out_h, out_w, w.dim(0)}));
  ctx.set_state(std::move(state));
  return Status::Ok();
}

Status transpose_run(KernelContext& ctx) {
  const TransposeState& s = *ctx.state<TransposeState>();
  const ConvParams& p = *ctx.node().params_as<ConvParams>();
  const Tensor& in = ctx.input(s.input);
  const Tensor& w = ctx.input(s.weights);
  const Tensor& out = ctx.output(0);
  const float* x = in.as<float>();
  const float* wt = w.as<float>();
  const float* bias = s.bias >= 0 ? ctx.input(s.bias).as<float>() : nullptr;
  float* y = out.as<float>();
  const int64_t in_h = in.dim(1), in_w = in.dim(2), in_ch = in.dim(3);
  const int64_t k_h = w.dim(1), k_w = w.dim(2), out_ch = w.dim(0);
  const int64_t out_h = out.dim(1), out_w = out.dim(2);
  const int64_t sh = p.stride_h, sw = p.stride_w;

  auto rows = [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      const int64_t b = static_cast<int64_t>(row) / out_h, oy = static_cast<int64_t>(row) % out_h;
      for (int64_t ox = 0; ox < out_w; ++ox) {
        float* o = y + ((b * out_h + oy) * out_w + ox) * out_ch;
        for (int64_t oc = 0; oc < out_ch; ++oc) {
          float acc = 0.0f;
          for (int64_t ky = 0; ky < k_h; ++ky) {
            const int64_t ty = oy + s.pad_h - ky;  // = iy * stride for a contributing input row
            if (ty < 0 || ty % sh != 0 || ty / sh >= in_h) continue;
            for (int64_t kx = 0; kx < k_w; ++kx) {
              const int64_t tx = ox + s.pad_w - kx;
              if (tx < 0 || tx % sw != 0 || tx / sw >= in_w) continue;
              const float* xi = x + ((b * in_h + ty / sh) * in_w + tx / sw) * in_ch;
              const float* wi = wt + ((oc * k_h + ky) * k_w + kx) * in_ch;
              for (int64_t ic = 0; ic < in_ch; ++ic) acc += xi[ic] * wi[ic];
            }
          }
          if (bias) acc += bias[oc];
          o[oc] = clamp_to(acc, s.act_lo, s.act_hi);
        }
      }
    }
  };
  ctx.thread_pool()->parallel_for(static_cast<size_t>(in.dim(0) * out_h), 1, std::move(rows));
  return Status::Ok();
}

// TRANSPOSE_CONV is keyed by its first input, the int32 output_shape, for every data type:
// claim only the nodes whose data input (2) is float32.
bool transpose_conv_supports(const Node& node, const std::vector<Tensor>& tensors) {
  if (node.inputs.size() < 3) return true;  // malformed: let prepare report it
  const int t = node.inputs[2];
  return t < 0 || static_cast<size_t>(t) >= tensors.size() || tensors[static_cast<size_t>(t)].dtype == DType::kF32;
}

}  // namespace

Kernel transpose_conv_f32_kernel() {
  Kernel k{"reference/transpose_conv_f32", transpose_conv_prepare, transpose_run};
  k.supports = transpose_conv_supports;
  return k;
}
Kernel transpose_conv_bias_f32_kernel() {
  return Kernel{"reference/convolution2d_transpose_bias_f32", transpose_conv_bias_prepare, transpose_run};
}

}  // namespace eir::ref
