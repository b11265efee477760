#include "core/dist/communicator.h"

#if CAN_WITH_C10D

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>

#if CAN_WITH_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <csignal>
#include <cstdlib>
#include <sstream>

#include "core/dist/c10d_communicator.h"

namespace can::dist {

namespace {

// LibTorch 2 split the process group into a dispatching ProcessGroup and per-device
// Backends; ProcessGroupGloo/NCCL derive from Backend there and from ProcessGroup in 1.x.
// The collectives used here have the same signatures on both.
#if TORCH_VERSION_MAJOR >= 2
using BackendBase = c10d::Backend;
#else
using BackendBase = c10d::ProcessGroup;
#endif

std::string error_text(const std::exception& e) {
  if (const auto* c = dynamic_cast<const c10::Error*>(&e)) return c->what_without_backtrace();
  return e.what();
}

class C10dCommunicator : public Communicator {
 public:
  C10dCommunicator(c10::intrusive_ptr<c10d::Store> store, c10::intrusive_ptr<BackendBase> pg, int rank, int size,
                   std::string backend, torch::Device device)
      : store_(std::move(store)), pg_(std::move(pg)), rank_(rank), size_(size), backend_(std::move(backend)),
        device_(device) {}

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return backend_; }
  torch::Device device() const override { return device_; }

  // Options leave the per-call timeout unset: c10d then applies the group's, env.timeout.
  void all_reduce(torch::Tensor& tensor, ReduceKind op) override {
    c10d::AllreduceOptions o;
    o.reduceOp = op == ReduceKind::Sum ? c10d::ReduceOp::SUM : c10d::ReduceOp::MAX;
    std::vector<at::Tensor> t{tensor};
    run("all_reduce", [&] { return pg_->allreduce(t, o); });
  }

  std::vector<torch::Tensor> all_gather(const torch::Tensor& input) override {
    std::vector<at::Tensor> in{input.contiguous()};
    std::vector<std::vector<at::Tensor>> out(1);
    for (int r = 0; r < size_; ++r) out[0].push_back(torch::empty_like(in[0]));
    run("all_gather", [&] { return pg_->allgather(out, in, c10d::AllgatherOptions()); });
    return out[0];
  }

  void broadcast(torch::Tensor& tensor, int root) override {
    c10d::BroadcastOptions o;
    o.rootRank = root;
    o.rootTensor = 0;
    std::vector<at::Tensor> t{tensor};
    run("broadcast", [&] { return pg_->broadcast(t, o); });
  }

 private:
  // Every failure of a collective becomes a CollectiveError naming it; once one failed the
  // group is unusable and the run ends (docs/distributed.md, "Failures").
  template <class Start>
  void run(const char* what, Start&& start) {
    try {
      auto work = start();
      work->wait();
    } catch (const std::exception& e) {
      throw CollectiveError(std::string("collective ") + what + " failed: " + error_text(e) +
                            " (another process died?)");
    }
  }

  c10::intrusive_ptr<c10d::Store> store_;  // held: rank 0's TCPStore serves the others while it lives
  c10::intrusive_ptr<BackendBase> pg_;
  int rank_, size_;
  std::string backend_;
  torch::Device device_;
};

// The address this host uses to reach `host`: a connected UDP socket sends nothing, but the
// kernel picks the route, so getsockname() names the interface the peers can reach us on.
std::string local_address_towards(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) return {};
  std::string out;
  for (addrinfo* a = res; a && out.empty(); a = a->ai_next) {
    const int fd = ::socket(a->ai_family, SOCK_DGRAM, 0);
    if (fd < 0) continue;
    sockaddr_storage local{};
    socklen_t len = sizeof local;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) {
      char buf[INET6_ADDRSTRLEN] = {0};
      const void* addr = local.ss_family == AF_INET6
                             ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr)
                             : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr);
      if (inet_ntop(local.ss_family, addr, buf, sizeof buf)) out = buf;
    }
    ::close(fd);
  }
  freeaddrinfo(res);
  return out;
}

c10::intrusive_ptr<c10d::ProcessGroupGloo::Options> gloo_options(std::chrono::milliseconds timeout) {
  auto opts = c10d::ProcessGroupGloo::Options::create(timeout);
  return opts;
}

std::shared_ptr<Communicator> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                        c10::intrusive_ptr<c10d::ProcessGroupGloo::Options> opts) {
  auto pg = c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, opts);
  return std::make_shared<C10dCommunicator>(store, pg, rank, size, "gloo", torch::Device(torch::kCPU));
}

}  // namespace

bool c10d_available() { return true; }

std::shared_ptr<Communicator> make_gloo_communicator(const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                                     std::chrono::milliseconds timeout, const std::string& hostname) {
  auto opts = gloo_options(timeout);
  opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(hostname));
  return make_gloo(store, rank, size, opts);
}

std::shared_ptr<Communicator> connect(const DistEnv& env, bool cuda) {
  // Gloo writes to its sockets with writev(), which raises SIGPIPE when a peer has died; the
  // default action would kill this process before the collective can report the failure.
  // Python ignores SIGPIPE at start-up, which is why torch.distributed never meets this.
  std::signal(SIGPIPE, SIG_IGN);
  const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
  c10::intrusive_ptr<c10d::Store> store;
  try {
    // As torch.distributed's env:// rendezvous: rank 0 serves the store unless torchrun's
    // agent already does; every other rank connects, retrying until the timeout.
    c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(env.master_port);
    so.isServer = !env.use_agent_store && env.rank == 0;
    so.numWorkers = env.world_size;
    so.waitWorkers = true;
    so.timeout = env.timeout;
    so.multiTenant = !env.use_agent_store;
    auto tcp = c10::make_intrusive<c10d::TCPStore>(env.master_addr, so);
    store = tcp;
    if (env.use_agent_store) store = c10::make_intrusive<c10d::PrefixStore>("/worker/attempt_" + env.restart_count, tcp);
  } catch (const std::exception& e) {
    throw std::runtime_error("rendezvous at " + where + " (MASTER_ADDR:MASTER_PORT) failed: " + error_text(e));
  }

  try {
#if CAN_WITH_NCCL
    if (cuda) {
      // The async error handling lets a timed-out or failed NCCL collective raise instead of
      // hanging (the variable's name changed in LibTorch 2.2).
      setenv("NCCL_ASYNC_ERROR_HANDLING", "1", 0);
      setenv("TORCH_NCCL_ASYNC_ERROR_HANDLING", "1", 0);
      c10::cuda::set_device(static_cast<c10::DeviceIndex>(env.local_rank));
      auto opts = c10d::ProcessGroupNCCL::Options::create();
      opts->timeout = env.timeout;
      auto pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.world_size, opts);
      return std::make_shared<C10dCommunicator>(store, pg, env.rank, env.world_size, "nccl",
                                                torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env.local_rank)));
    }
#else
    (void)cuda;  // CUDA tensors go through Gloo (staged through host memory) without NCCL
#endif
    auto opts = gloo_options(env.timeout);
    if (const char* ifnames = std::getenv("GLOO_SOCKET_IFNAME"); ifnames && *ifnames) {
      std::stringstream list(ifnames);
      for (std::string name; std::getline(list, name, ',');)
        if (!name.empty()) opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
    } else if (const std::string local = local_address_towards(env.master_addr, env.master_port); !local.empty()) {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(local));
    } else {
      opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    return make_gloo(store, env.rank, env.world_size, opts);
  } catch (const std::exception& e) {
    throw std::runtime_error("process group of " + std::to_string(env.world_size) + " ranks via " + where +
                             " failed: " + error_text(e));
  }
}

}  // namespace can::dist

#else  // no c10d in this build

namespace can::dist {

bool c10d_available() { return false; }

std::shared_ptr<Communicator> connect(const DistEnv& env, bool) {
  throw std::runtime_error("WORLD_SIZE is " + std::to_string(env.world_size) +
                           " but can-train was built without c10d (LibTorch's distributed package): install "
                           "libgloo-dev (scripts/setup) and rebuild, or run a single process");
}

}  // namespace can::dist

#endif
