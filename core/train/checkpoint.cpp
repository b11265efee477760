#include "core/train/checkpoint.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/train/checkpoint_dirs.h"
#include "core/train/checkpoint_manifest.h"
#include "core/train/checkpoint_tensor_checks.h"
#include "core/util/json_limits.h"

namespace can {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace checkpoint_detail;  // the folder, the manifest and the tensor checks

namespace {

constexpr int kFormatVersion = 1;

// A torch archive inside the unpublished directory, flushed to disk (fsync) so that its data
// reaches the disk before the rename that publishes the directory does.
void save_archive(torch::serialize::OutputArchive& archive, const fs::path& p) {
  archive.save_to(p.string());
  io::fsync_path(p.string());
}

// ---- candidates -----------------------------------------------------------------------

bool looks_like_checkpoint_dir(const fs::path& p) {
  return fs::exists(p / kManifest) || fs::exists(p / "model.pt") || fs::exists(p / "state.json");
}

// The checkpoints folder of a run directory (or the folder itself): the one holding
// `latest` or step_ directories.
std::optional<fs::path> checkpoints_folder(const fs::path& p) {
  for (const fs::path& dir : {p / "checkpoints", p})
    if (fs::exists(dir / kLatest) || !list_checkpoints(dir).empty()) return dir;
  return std::nullopt;
}

// What a resume may read, in order of preference. explicit_dir: the path is a checkpoint
// itself (no fallback). Otherwise: the checkpoint `latest` names, then the older step_
// directories, newest first; without a valid pointer, every step_ directory newest first.
struct Candidates {
  bool explicit_dir = false;
  std::vector<fs::path> dirs;
};

Candidates candidates_of(const std::string& path) {
  const fs::path p(path);
  Candidates c;
  if (looks_like_checkpoint_dir(p)) {
    c.explicit_dir = true;
    c.dirs.push_back(p);
    return c;
  }
  const auto folder = checkpoints_folder(p);
  if (!folder) throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
  const auto all = list_checkpoints(*folder);
  std::optional<int64_t> latest_step;
  if (const auto name = read_latest(*folder); name && fs::is_directory(*folder / *name)) {
    latest_step = step_of(*name);
    c.dirs.push_back(*folder / *name);
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (!latest_step || it->first < *latest_step) c.dirs.push_back(it->second);
  if (c.dirs.empty()) throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
  return c;
}

// Tries `attempt` on each candidate until one passes. Damage (CheckpointDamaged) of a run
// directory's candidate becomes a note and the next is tried; that of an explicit
// checkpoint is thrown. Anything else is thrown as it is. Returns the index of the
// candidate that passed.
template <typename Attempt>
size_t first_usable(const std::string& path, const Candidates& c, std::vector<std::string>& notes, Attempt attempt) {
  std::vector<std::string> problems;
  for (size_t i = 0; i < c.dirs.size(); ++i) {
    try {
      attempt(c.dirs[i]);
    } catch (const CheckpointDamaged& e) {
      if (c.explicit_dir)
        throw CheckpointDamaged(std::string(e.what()) +
                              "; resume the run directory instead to fall back to the previous checkpoint");
      problems.push_back(e.what());
      continue;
    }
    for (size_t k = 0; k < problems.size(); ++k)
      notes.push_back(problems[k] + (k + 1 < problems.size() ? "; checkpoint passed over"
                                                             : "; resuming from the previous complete checkpoint " +
                                                                   c.dirs[i].string() + " instead"));
    return i;
  }
  std::string message = path + ": no usable checkpoint: ";
  for (size_t k = 0; k < problems.size() && k < 3; ++k) message += (k ? "; " : "") + problems[k];
  if (problems.size() > 3) message += "; and " + std::to_string(problems.size() - 3) + " more";
  throw CheckpointDamaged(message);
}

TrainState parse_state(const fs::path& file, const std::string& bytes) {
  json j;
  try {
    j = parse_json_bounded(bytes.data(), bytes.data() + bytes.size());
  } catch (const JsonTextError& e) {
    throw fail(file, e.what());
  }
  if (!j.is_object()) throw fail(file, "not a JSON object");
  if (!j.contains("format_version") || j["format_version"] != kFormatVersion)
    throw fail(file, "unsupported checkpoint format");
  auto count = [&](const char* key, bool required) -> int64_t {
    if (!j.contains(key)) {
      if (required) throw fail(file, std::string(key) + ": missing");
      return 0;
    }
    const json& v = j[key];
    if (!v.is_number_integer()) throw fail(file, std::string(key) + ": expected an integer, got " + clip_json(v));
    const int64_t x = v.get<int64_t>();
    if (x < 0) throw fail(file, std::string(key) + ": " + std::to_string(x) + ", expected >= 0");
    return x;
  };
  TrainState s;
  s.step = count("step", true);
  s.epoch = count("epoch", true);
  s.batch_in_epoch = count("batch_in_epoch", true);
  s.total_steps = count("total_steps", false);
  s.warmup_steps = count("warmup_steps", false);
  return s;
}

}  // namespace

std::string save_checkpoint(const std::string& run_dir, const RunConfig& config, CanModel& model,
                            torch::optim::Optimizer& optimizer, const TrainState& state,
                            const CheckpointWriteOptions& options) {
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  fs::create_directories(dir);
  const std::string name = step_name(state.step);
  // Leftovers of an interrupted write or removal are never published; clear them.
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(".tmp_", 0) == 0 || n.rfind(".del_", 0) == 0) fs::remove_all(e.path());
  }

  const fs::path tmp = dir / (".tmp_" + name);
  fs::create_directories(tmp);
  // Every file is flushed to disk as it is written (io/atomic_file), before the directory is
  // renamed into place.
  {
    torch::serialize::OutputArchive a;
    model->save(a);
    save_archive(a, tmp / "model.pt");
  }
  {
    torch::serialize::OutputArchive a;
    optimizer.save(a);
    save_archive(a, tmp / "optimizer.pt");
  }
  {
    torch::serialize::OutputArchive a;
    if (state.generator_state.defined()) a.write("generator_state", state.generator_state);
    if (state.cpu_rng_state.defined()) a.write("cpu_rng_state", state.cpu_rng_state);
    save_archive(a, tmp / "rng.pt");
  }
  // "manifest" tells a reader that a checkpoint without manifest.json lost it (readers
  // from before manifests ignore the key).
  io::write_file_atomic((tmp / "state.json").string(), json{{"format_version", kFormatVersion},
                                                            {"step", state.step},
                                                            {"epoch", state.epoch},
                                                            {"batch_in_epoch", state.batch_in_epoch},
                                                            {"total_steps", state.total_steps},
                                                            {"warmup_steps", state.warmup_steps},
                                                            {"manifest", kManifest}}
                                                           .dump(2));
  io::write_file_atomic((tmp / "config.json").string(), json(config).dump(2));
  // Last: the checksums of the files as they are on disk, written atomically (a temporary
  // file, fsync, rename) inside the unpublished directory, whose entries are then synced.
  io::AtomicWriteOptions manifest_options;
  manifest_options.sync_directory = true;
  io::write_file_atomic((tmp / kManifest).string(), manifest_json(tmp).dump(2) + "\n", manifest_options);
  if (options.before_publish) options.before_publish(tmp.string());

  const fs::path final_dir = dir / name;
  publish_dir(tmp, final_dir);
  io::fsync_path(dir.string());
  publish_latest(dir, name);

  if (options.keep_last > 0) {
    auto all = list_checkpoints(dir);
    for (size_t i = 0; i + static_cast<size_t>(options.keep_last) < all.size(); ++i)
      if (all[i].second != final_dir) remove_out_of_sight(all[i].second, options.before_remove);
  }
  return final_dir.string();
}

std::string resolve_checkpoint(const std::string& path) {
  const fs::path p(path);
  if (looks_like_checkpoint_dir(p)) return p.string();
  if (const auto folder = checkpoints_folder(p)) {
    if (const auto name = read_latest(*folder); name && fs::is_directory(*folder / *name)) return (*folder / *name).string();
    const auto all = list_checkpoints(*folder);
    if (!all.empty()) return all.back().second.string();
  }
  throw std::runtime_error(path + ": no checkpoint found (expected a step_ directory or a run directory)");
}

bool verify_checkpoint(const std::string& checkpoint_dir) { return verify_files(checkpoint_dir, kCheckpointFiles); }

CheckpointChoice choose_checkpoint(const std::string& path) {
  const Candidates c = candidates_of(path);
  CheckpointChoice choice;
  const size_t i = first_usable(path, c, choice.notes, [&](const fs::path& dir) { choice.verified = verify_checkpoint(dir.string()); });
  choice.dir = c.dirs[i].string();
  return choice;
}

RunConfig load_run_config(const std::string& checkpoint_path) {
  const fs::path dir = resolve_checkpoint(checkpoint_path);
  verify_files(dir, {"config.json"});
  return load_run_config_file((dir / "config.json").string());
}

CanModel load_model(const std::string& checkpoint_path, RunConfig* config_out) {
  const fs::path dir = resolve_checkpoint(checkpoint_path);
  const std::optional<Manifest> m = read_manifest(dir);
  if (m) require_listed(dir, *m, {"config.json", "model.pt"});
  if (m) verify_file(dir / "config.json", m->at("config.json"));
  RunConfig config = load_run_config_file((dir / "config.json").string());
  const std::string bytes = read_checked(dir / "model.pt", m ? &m->at("model.pt") : nullptr);
  // The checkpoint's config holds the resolved noise_embed_scale, so sigma_max only
  // matters for models saved without one.
  CanModel model(config.model, config.objectives, config.loss.sigma_max);
  copy_into_model(read_model_tensors(dir / "model.pt", bytes, model));
  model->eval();
  if (config_out) *config_out = config;
  return model;
}

TrainState load_checkpoint(const std::string& checkpoint_path, CanModel& model, torch::optim::AdamW& optimizer,
                           CheckpointChoice* choice_out) {
  const Candidates c = candidates_of(checkpoint_path);
  CheckpointChoice choice;
  TrainState s;
  std::vector<TensorSlot> weights;
  std::unique_ptr<torch::optim::AdamW> state;
  const size_t i = first_usable(checkpoint_path, c, choice.notes, [&](const fs::path& dir) {
    if (choice_out) choice_out->dir = dir.string();  // names the checkpoint if LibTorch throws
    const CheckpointBytes b = read_checkpoint_bytes(dir);
    choice.verified = b.verified;
    weights = read_model_tensors(dir / "model.pt", b.files.at("model.pt"), model);
    state = read_optimizer(dir / "optimizer.pt", b.files.at("optimizer.pt"), optimizer, model);
    s = parse_state(dir / "state.json", b.files.at("state.json"));
    torch::Tensor t, cpu;
    bool has_t = false, has_cpu = false;
    parse_guarded(dir / "rng.pt", [&] {
      torch::serialize::InputArchive a = archive_of(b.files.at("rng.pt"));
      has_t = a.try_read("generator_state", t);
      has_cpu = a.try_read("cpu_rng_state", cpu);
    });
    if (has_t) {
      check_generator_state(dir / "rng.pt", "generator_state", t, /*cuda_allowed=*/true);
      s.generator_state = t;
    }
    if (has_cpu) {
      check_generator_state(dir / "rng.pt", "cpu_rng_state", cpu, /*cuda_allowed=*/false);
      s.cpu_rng_state = cpu;
    }
  });
  // Everything checked: only now do model and optimizer change.
  copy_into_model(weights);
  optimizer.state() = std::move(state->state());
  choice.dir = c.dirs[i].string();
  if (choice_out) *choice_out = choice;
  else
    for (const std::string& note : choice.notes) warn(note);
  return s;
}

}  // namespace can
