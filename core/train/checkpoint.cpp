#include "core/train/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace can {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormatVersion = 1;
const char* kLatest = "latest";

// Durability: data of a renamed file must reach the disk before the rename does.
void fsync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(p.string() + ": cannot open to sync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(p.string() + ": fsync failed");
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::trunc | std::ios::binary);
  f << text;
  if (!f.flush()) throw std::runtime_error(p.string() + ": write failed");
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error(p.string() + ": cannot open");
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string step_name(int64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "step_%06lld", static_cast<long long>(step));
  return buf;
}

// step_ directories of a checkpoints folder, oldest first.
std::vector<std::pair<int64_t, fs::path>> list_checkpoints(const fs::path& dir) {
  std::vector<std::pair<int64_t, fs::path>> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.rfind("step_", 0) != 0) continue;
    try {
      out.emplace_back(std::stoll(name.substr(5)), e.path());
    } catch (const std::exception&) {
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Atomically replaces `latest` with the name of a checkpoint directory.
void publish_latest(const fs::path& dir, const std::string& name) {
  const fs::path tmp = dir / ".latest.tmp";
  write_text(tmp, name + "\n");
  fsync_path(tmp);
  fs::rename(tmp, dir / kLatest);
  fsync_path(dir);
}

}  // namespace

std::string save_checkpoint(const std::string& run_dir, const RunConfig& config, CanModel& model,
                            torch::optim::Optimizer& optimizer, const TrainState& state,
                            const CheckpointWriteOptions& options) {
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  fs::create_directories(dir);
  const std::string name = step_name(state.step);
  // Leftovers of an interrupted write are never published; clear them.
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(".tmp_", 0) == 0) fs::remove_all(e.path());

  const fs::path tmp = dir / (".tmp_" + name);
  fs::create_directories(tmp);
  {
    torch::serialize::OutputArchive a;
    model->save(a);
    a.save_to((tmp / "model.pt").string());
  }
  {
    torch::serialize::OutputArchive a;
    optimizer.save(a);
    a.save_to((tmp / "optimizer.pt").string());
  }
  {
    torch::serialize::OutputArchive a;
    if (state.generator_state.defined()) a.write("generator_state", state.generator_state);
    if (state.cpu_rng_state.defined()) a.write("cpu_rng_state", state.cpu_rng_state);
    a.save_to((tmp / "rng.pt").string());
  }
  write_text(tmp / "state.json", json{{"format_version", kFormatVersion},
                                      {"step", state.step},
                                      {"epoch", state.epoch},
                                      {"batch_in_epoch", state.batch_in_epoch},
                                      {"total_steps", state.total_steps},
                                      {"warmup_steps", state.warmup_steps}}
                                     .dump(2));
  write_text(tmp / "config.json", json(config).dump(2));
  for (const auto& e : fs::directory_iterator(tmp)) fsync_path(e.path());
  fsync_path(tmp);
  if (options.before_publish) options.before_publish(tmp.string());

  const fs::path final_dir = dir / name;
  if (fs::exists(final_dir)) fs::remove_all(final_dir);  // a re-save of the same step (e.g. stop right after a save)
  fs::rename(tmp, final_dir);
  fsync_path(dir);
  publish_latest(dir, name);

  if (options.keep_last > 0) {
    auto all = list_checkpoints(dir);
    for (size_t i = 0; i + static_cast<size_t>(options.keep_last) < all.size(); ++i)
      if (all[i].second != final_dir) fs::remove_all(all[i].second);
  }
  return final_dir.string();
}

std::string resolve_checkpoint(const std::string& path) {
  const fs::path p(path);
  if (fs::exists(p / "model.pt") && fs::exists(p / "state.json")) return p.string();
  for (const fs::path& dir : {p / "checkpoints", p}) {
    if (fs::exists(dir / kLatest)) {
      std::string name = read_text(dir / kLatest);
      name.erase(name.find_last_not_of(" \n\r\t") + 1);
      if (fs::exists(dir / name / "model.pt")) return (dir / name).string();
    }
    auto all = list_checkpoints(dir);
    if (!all.empty()) return all.back().second.string();
  }
  throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
}

RunConfig load_run_config(const std::string& checkpoint_path) {
  const std::string dir = resolve_checkpoint(checkpoint_path);
  RunConfig c = load_run_config_file((fs::path(dir) / "config.json").string());
  return c;
}

CanModel load_model(const std::string& checkpoint_path, RunConfig* config_out) {
  const std::string dir = resolve_checkpoint(checkpoint_path);
  RunConfig config = load_run_config(dir);
  // The checkpoint's config holds the resolved noise_embed_scale, so sigma_max only
  // matters for models saved without one.
  CanModel model(config.model, config.objectives, config.loss.sigma_max);
  torch::serialize::InputArchive a;
  a.load_from((fs::path(dir) / "model.pt").string());
  model->load(a);
  model->eval();
  if (config_out) *config_out = config;
  return model;
}

TrainState load_checkpoint(const std::string& checkpoint_path, CanModel& model, torch::optim::Optimizer& optimizer) {
  const fs::path dir = resolve_checkpoint(checkpoint_path);
  {
    torch::serialize::InputArchive a;
    a.load_from((dir / "model.pt").string());
    model->load(a);
  }
  {
    torch::serialize::InputArchive a;
    a.load_from((dir / "optimizer.pt").string());
    optimizer.load(a);
  }
  TrainState s;
  {
    torch::serialize::InputArchive a;
    a.load_from((dir / "rng.pt").string());
    torch::Tensor t;
    if (a.try_read("generator_state", t)) s.generator_state = t;
    torch::Tensor c;
    if (a.try_read("cpu_rng_state", c)) s.cpu_rng_state = c;
  }
  const json j = json::parse(read_text(dir / "state.json"));
  if (j.value("format_version", 0) != kFormatVersion)
    throw std::runtime_error((dir / "state.json").string() + ": unsupported checkpoint format");
  s.step = j.at("step").get<int64_t>();
  s.epoch = j.at("epoch").get<int64_t>();
  s.batch_in_epoch = j.at("batch_in_epoch").get<int64_t>();
  s.total_steps = j.value("total_steps", int64_t{0});
  s.warmup_steps = j.value("warmup_steps", int64_t{0});
  return s;
}

}  // namespace can
