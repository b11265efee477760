#include "core/dist/gather_layer.h"

#include <cstdint>

namespace can::dist {

namespace {

struct GatherFunction : public torch::autograd::Function<GatherFunction> {
  // The communicator travels as an integer: saved_data holds IValues, and a raw pointer is
  // all backward needs (the caller keeps the communicator alive; see the header).
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& u, Communicator* comm) {
    ctx->saved_data["comm"] = reinterpret_cast<int64_t>(comm);
    ctx->saved_data["n"] = u.size(0);
    auto parts = comm->all_gather(u.detach());
    return torch::cat(parts, 0);  // [world*n, r]
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad_out) {
    auto* comm = reinterpret_cast<Communicator*>(ctx->saved_data["comm"].toInt());
    const int64_t n = ctx->saved_data["n"].toInt();
    torch::Tensor g = grad_out[0].contiguous().clone();  // [world*n, r]; reduced in place
    comm->all_reduce(g, ReduceKind::Sum);
    return {g.narrow(0, comm->rank() * n, n), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor all_gather_with_grad(Communicator& comm, const torch::Tensor& u) {
  return GatherFunction::apply(u, &comm);
}

}  // namespace can::dist
