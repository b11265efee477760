#include "core/dist/dist_env.h"

#include <cstdlib>
#include <stdexcept>

namespace can::dist {

namespace {

long parse_int(const std::string& name, const std::string& text, long lo, long hi) {
  size_t used = 0;
  long v = 0;
  try {
    v = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw std::invalid_argument(name + ": expected an integer, got '" + text + "'");
  if (v < lo || v > hi)
    throw std::invalid_argument(name + ": must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                                text);
  return v;
}

}  // namespace

std::string DistEnv::describe() const {
  return "rank " + std::to_string(rank) + " of " + std::to_string(world_size) + " (local " + std::to_string(local_rank) +
         " of " + std::to_string(local_world_size) + "), store " + master_addr + ":" + std::to_string(master_port);
}

DistEnv dist_env_from_environment(const GetEnv& getenv_in) {
  GetEnv get = getenv_in;
  if (!get)
    get = [](const std::string& name) -> std::optional<std::string> {
      const char* v = std::getenv(name.c_str());
      if (!v || !*v) return std::nullopt;  // set but empty counts as unset, as in torch
      return std::string(v);
    };
  DistEnv env;
  // torchrun's names first; SLURM's only when RANK is absent (srun without torchrun).
  const bool torch_style = get("RANK") || get("WORLD_SIZE");
  const bool slurm = !torch_style && get("SLURM_PROCID") && get("SLURM_NTASKS");
  const std::string rank_name = slurm ? "SLURM_PROCID" : "RANK";
  const std::string world_name = slurm ? "SLURM_NTASKS" : "WORLD_SIZE";
  const std::string local_name = slurm ? "SLURM_LOCALID" : "LOCAL_RANK";
  if (!torch_style && !slurm) return env;

  auto require = [&](const std::string& name) -> std::string {
    auto v = get(name);
    if (!v)
      throw std::invalid_argument(name + ": not set (a distributed launch needs RANK, WORLD_SIZE, MASTER_ADDR and "
                                         "MASTER_PORT; torchrun sets them)");
    return *v;
  };
  env.world_size = static_cast<int>(parse_int(world_name, require(world_name), 1, 1 << 20));
  env.rank = static_cast<int>(parse_int(rank_name, require(rank_name), 0, env.world_size - 1));
  if (auto v = get(local_name)) env.local_rank = static_cast<int>(parse_int(local_name, *v, 0, env.world_size - 1));
  if (auto v = get("LOCAL_WORLD_SIZE"))
    env.local_world_size = static_cast<int>(parse_int("LOCAL_WORLD_SIZE", *v, 1, env.world_size));
  else if (auto n = get("SLURM_NTASKS_PER_NODE"); slurm && n && n->find_first_not_of("0123456789") == std::string::npos)
    env.local_world_size = static_cast<int>(parse_int("SLURM_NTASKS_PER_NODE", *n, 1, env.world_size));
  if (env.local_rank >= env.local_world_size && get("LOCAL_WORLD_SIZE"))
    throw std::invalid_argument(local_name + ": " + std::to_string(env.local_rank) + " is not below LOCAL_WORLD_SIZE " +
                                std::to_string(env.local_world_size));
  if (auto v = get("CAN_DIST_TIMEOUT_S"))
    env.timeout = std::chrono::seconds(parse_int("CAN_DIST_TIMEOUT_S", *v, 1, 7 * 24 * 3600));
  if (!env.distributed()) return env;

  env.master_addr = require("MASTER_ADDR");
  env.master_port = static_cast<int>(parse_int("MASTER_PORT", require("MASTER_PORT"), 1, 65535));
  env.use_agent_store = get("TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
  if (env.use_agent_store) env.restart_count = get("TORCHELASTIC_RESTART_COUNT").value_or("0");
  return env;
}

}  // namespace can::dist
