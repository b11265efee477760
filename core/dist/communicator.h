#pragma once
// The collectives data-parallel training needs, over LibTorch's c10d process groups (Gloo
// for CPU tensors, NCCL for CUDA tensors). The interface keeps c10d's headers out of the
// rest of the engine; builds without c10d (no gloo headers) have no implementation and
// connect() says so.

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/dist/dist_env.h"

namespace can::dist {

// A collective failed: a peer died, the network broke or the timeout passed. The message
// names the operation and carries c10d's, e.g. "all_reduce failed: ... Connection closed by
// peer ... (another process died?)".
class CollectiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ReduceKind { Sum, Max };

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual std::string backend() const = 0;  // "gloo" or "nccl"
  virtual torch::Device device() const = 0; // where its tensors live: CPU for Gloo, cuda:local_rank for NCCL
  // One contiguous tensor, the same shape and dtype on every rank, reduced in place. (c10d's
  // lists of tensors mean one copy per local device, not several tensors: callers flatten.)
  virtual void all_reduce(torch::Tensor& tensor, ReduceKind op) = 0;
  // size() tensors shaped like `input`, in rank order.
  virtual std::vector<torch::Tensor> all_gather(const torch::Tensor& input) = 0;
  // In place: every rank ends with root's values.
  virtual void broadcast(torch::Tensor& tensor, int root) = 0;
};

// True when this build can create process groups (CAN_WITH_C10D).
bool c10d_available();

// Rendezvous through a TCPStore at env.master_addr:master_port (served by rank 0, or by
// torchrun's agent) and a process group: NCCL when `cuda` and the build has it (device
// cuda:local_rank), Gloo otherwise. Gloo's network interface: GLOO_SOCKET_IFNAME when set,
// else the address this host uses to reach MASTER_ADDR. Every collective is bounded by
// env.timeout. Sets SIGPIPE to ignored (a dead peer must fail a collective, not kill the
// process). Throws std::runtime_error naming what failed; without c10d, "built without
// c10d ...".
std::shared_ptr<Communicator> connect(const DistEnv& env, bool cuda);

}  // namespace can::dist
