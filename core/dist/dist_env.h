#pragma once
// Where this process sits in a multi-process job, read from the variables launchers set:
// torchrun (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT,
// TORCHELASTIC_USE_AGENT_STORE, TORCHELASTIC_RESTART_COUNT), a plain launch with the same
// variables, or SLURM's srun (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID,
// SLURM_NTASKS_PER_NODE) when RANK is absent.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace can::dist {

struct DistEnv {
  int rank = 0;                // global rank in [0, world_size)
  int world_size = 1;          // processes in the job
  int local_rank = 0;          // rank on this node: the CUDA device index
  int local_world_size = 1;    // processes on this node (sizes the thread count)
  std::string master_addr;     // host of the rendezvous store (rank 0 or torchrun's agent)
  int master_port = 0;
  // torchrun's agent already serves a TCPStore on MASTER_ADDR:MASTER_PORT: every rank is a
  // client and keys go under /worker/attempt_<restart_count>/, as torch.distributed does.
  bool use_agent_store = false;
  std::string restart_count = "0";
  // Bound on every collective and on the rendezvous: CAN_DIST_TIMEOUT_S (seconds).
  std::chrono::milliseconds timeout{std::chrono::seconds(300)};

  bool distributed() const { return world_size > 1; }
  std::string describe() const;  // "rank 1 of 2 (local 1 of 2), store 127.0.0.1:29500"
};

// Reads the variables through `getenv` (std::getenv by default; tests pass a map). With none
// of RANK, WORLD_SIZE, SLURM_PROCID set it returns the single-process default. A variable
// that is malformed, out of range or missing when the others say the job is distributed
// throws std::invalid_argument naming it ("MASTER_PORT: ...").
using GetEnv = std::function<std::optional<std::string>(const std::string& name)>;
DistEnv dist_env_from_environment(const GetEnv& getenv = {});

}  // namespace can::dist
