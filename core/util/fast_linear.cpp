#include "core/util/fast_linear.h"

#include "core/util/autocast.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#if CAN_WITH_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace can {

namespace {

std::atomic<bool>& enabled_flag() {
  static std::atomic<bool> flag{[] {
    const char* env = std::getenv("CAN_DISABLE_DNNL");
    return !(env && std::strcmp(env, "0") != 0 && env[0] != '\0');
  }()};
  return flag;
}

#if CAN_WITH_DNNL
// C[M, N] = A[M, K] B[K, N] (+ bias[N]) on strided float32 views: a transposed operand is
// just other strides, so no copy is made for W^T or dY^T.
void dnnl_gemm(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& bias, torch::Tensor& c) {
  using dnnl::memory;
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const memory::dim M = a.size(0), K = a.size(1), N = b.size(1);
  auto md = [](const torch::Tensor& t, memory::dim rows, memory::dim cols) {
    return memory::desc({rows, cols}, memory::data_type::f32, {t.stride(0), t.stride(1)});
  };
  memory::desc a_md = md(a, M, K), b_md = md(b, K, N), c_md = md(c, M, N);
  memory::desc bias_md;
  if (bias.defined()) bias_md = memory::desc({1, N}, memory::data_type::f32, {N, 1});
  // oneDNN keeps a primitive cache, so re-creating the primitive for a known shape is cheap.
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, bias_md, c_md), engine);
  dnnl::matmul prim(pd);
  dnnl::stream stream(engine);
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, memory(a_md, engine, a.data_ptr())},
      {DNNL_ARG_WEIGHTS, memory(b_md, engine, b.data_ptr())},
      {DNNL_ARG_DST, memory(c_md, engine, c.data_ptr())}};
  if (bias.defined()) args.emplace(DNNL_ARG_BIAS, memory(bias_md, engine, bias.data_ptr()));
  prim.execute(stream, args);
  stream.wait();
}

// Autograd for y = x W^T (+ b). Two classes, because LibTorch 1.13's Function::apply does
// not accept an undefined tensor argument (the bias of a bias-free layer).
torch::Tensor linear_forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                             const torch::Tensor& weight, const torch::Tensor& bias) {
  const int64_t K = x.size(-1), N = weight.size(0);
  auto x2 = x.reshape({-1, K}).contiguous();  // [M, K]
  auto w = weight.contiguous();
  auto y = torch::empty({x2.size(0), N}, x.options());
  dnnl_gemm(x2, w.t(), bias.defined() ? bias.contiguous() : bias, y);  // [M, K] x [K, N]
  ctx->save_for_backward({x2, w});
  auto out_shape = x.sizes().vec();
  out_shape.back() = N;
  return y.view(out_shape);
}

torch::autograd::variable_list linear_backward(torch::autograd::AutogradContext* ctx,
                                               const torch::Tensor& grad_y, bool has_bias) {
  auto saved = ctx->get_saved_variables();
  const auto& x2 = saved[0];  // [M, K]
  const auto& w = saved[1];   // [N, K]
  const int64_t K = x2.size(1), N = w.size(0);
  auto g = grad_y.reshape({-1, N}).contiguous();  // [M, N]
  torch::Tensor dx, dw, db;
  if (ctx->needs_input_grad(0)) {
    auto dx2 = torch::empty({g.size(0), K}, g.options());
    dnnl_gemm(g, w, torch::Tensor(), dx2);  // dX = dY W: [M, N] x [N, K]
    auto shape = grad_y.sizes().vec();
    shape.back() = K;
    dx = dx2.view(shape);
  }
  if (ctx->needs_input_grad(1)) {
    dw = torch::empty({N, K}, g.options());
    dnnl_gemm(g.t(), x2, torch::Tensor(), dw);  // dW = dY^T X: [N, M] x [M, K]
  }
  if (has_bias) {
    if (ctx->needs_input_grad(2)) db = g.sum(0);
    return {dx, dw, db};
  }
  return {dx, dw};
}

class LinearFunction : public torch::autograd::Function<LinearFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight, const torch::Tensor& bias) {
    return linear_forward(ctx, x, weight, bias);
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_out) {
    return linear_backward(ctx, grad_out[0], true);
  }
};

class LinearNoBiasFunction : public torch::autograd::Function<LinearNoBiasFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight) {
    return linear_forward(ctx, x, weight, torch::Tensor());
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_out) {
    return linear_backward(ctx, grad_out[0], false);
  }
};
#endif

}  // namespace

bool fast_linear_available() {
#if CAN_WITH_DNNL
  return enabled_flag().load();
#else
  return false;
#endif
}

void set_fast_linear_enabled(bool enabled) { enabled_flag().store(enabled); }

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
#if CAN_WITH_DNNL
  if (fast_linear_available() && x.device().is_cpu() && x.scalar_type() == torch::kFloat32 &&
      weight.scalar_type() == torch::kFloat32 && x.numel() > 0 && !x.is_mkldnn() &&
      !autocast_enabled(c10::DeviceType::CPU)  /* bf16 autocast: LibTorch casts and runs it */)
    return bias.defined() ? LinearFunction::apply(x, weight, bias) : LinearNoBiasFunction::apply(x, weight);
#endif
  // at::linear, not torch::nn::functional::linear: the latter adds the bias in a separate
  // kernel for 3-D inputs (matmul, then +=), at::linear folds it into the GEMM (addmm).
  return at::linear(x, weight, bias);
}

}  // namespace can
