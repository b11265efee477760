// The files of a checkpoint that the engine parses itself, through the path a resume takes:
// load_checkpoint (core/train/checkpoint.cpp) on a real checkpoint of a tiny model whose
// manifest.json or state.json is the input. The .pt files stay those the engine wrote:
// their bytes reach LibTorch's unpickler only after the manifest's SHA-256 matched, so
// fuzzing them would fuzz LibTorch (docs/reliability.md).
// Input: one byte, then the file.
//   byte % 3 == 0: manifest.json is the input (parsing and checking the manifest itself);
//   byte % 3 == 1: state.json is the input, and the manifest is rewritten to list its size
//                  and SHA-256, so that it passes verification and reaches the state parser
//                  and the checks after it (generator lengths, steps);
//   byte % 3 == 2: as 1, without a manifest at all (a checkpoint written before manifests,
//                  unless state.json announces one).
// Allowed outcome: CheckpointError (CheckpointDamaged included). When the load succeeds,
// the model and the optimizer hold what the checkpoint holds; when it fails, they are left
// as they were (both checked: a difference is a finding).
// CAN_FUZZ_WRITE_SEEDS=DIR writes the pristine files as seeds into DIR and exits.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/config/run_config.h"
#include "core/model/can_model.h"
#include "core/train/checkpoint.h"
#include "core/train/param_groups.h"
#include "core/util/sha256.h"
#include "fuzz_util.h"
#include "tests/core/tiny_model.h"

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

struct Setup {
  can::RunConfig config;
  can::CanModel model{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;
  fs::path dir;                 // the checkpoint directory
  std::string manifest, state;  // their pristine bytes
  torch::Tensor weights;        // all parameters, flattened, as saved

  Setup() {
    torch::manual_seed(1);
    config.model = can::test::tiny_model_config();  // the tests' tiny ViT: 16x16, 16 patches
    config.model.noise_embed_scale = 1000.0 / config.loss.sigma_max;
    model = can::CanModel(config.model, config.objectives, config.loss.sigma_max);
    optimizer = can::make_adamw(can::split_param_groups(*model), 0.05, 0.9, 0.95);
    for (auto& p : model->parameters()) p.mutable_grad() = torch::randn_like(p) * 0.1;
    optimizer->step();  // every parameter gets AdamW state
    can::TrainState s;
    s.step = 1;
    s.generator_state = at::make_generator<at::CPUGeneratorImpl>(7).get_state();
    s.cpu_rng_state = at::make_generator<at::CPUGeneratorImpl>(8).get_state();
    const std::string run = can_fuzz::scratch_dir() + "/run";
    dir = can::save_checkpoint(run, config, model, *optimizer, s);
    manifest = read_all(dir / "manifest.json");
    state = read_all(dir / "state.json");
    weights = flat();
  }
  torch::Tensor flat() const {
    std::vector<torch::Tensor> all;
    for (const auto& p : model->parameters()) all.push_back(p.detach().flatten().clone());
    return torch::cat(all);
  }
};

void put(const fs::path& p, const std::string& bytes) {
  can_fuzz::write_file(p.string(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup* setup = [] {
    can::set_checkpoint_warning_handler([](const std::string&) {});
    return new Setup;
  }();
  static const bool seeds_written = [] {
    const char* out = std::getenv("CAN_FUZZ_WRITE_SEEDS");
    if (!out) return false;
    fs::create_directories(out);
    put(fs::path(out) / "seed-manifest", std::string(1, '\0') + setup->manifest);
    put(fs::path(out) / "seed-state", std::string(1, '\1') + setup->state);
    put(fs::path(out) / "seed-state-no-manifest", std::string(1, '\2') + setup->state);
    std::exit(0);
  }();
  (void)seeds_written;
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);

  const fs::path manifest = setup->dir / "manifest.json";
  if (mode == 0) {
    put(setup->dir / "state.json", setup->state);
    put(manifest, file);
  } else {
    put(setup->dir / "state.json", file);
    if (mode == 2) {
      fs::remove(manifest);
    } else {
      nlohmann::json m = nlohmann::json::parse(setup->manifest);
      for (auto& e : m["files"])
        if (e["name"] == "state.json") {
          e["size"] = file.size();
          e["sha256"] = can::sha256_hex(file);
        }
      put(manifest, m.dump());
    }
  }

  // Every load starts from the saved weights, perturbed, so that a load that succeeds
  // must change them back and one that fails must leave them alone.
  {
    torch::NoGradGuard g;
    for (auto& p : setup->model->parameters()) p.add_(1.0);
  }
  const torch::Tensor before = setup->flat();
  try {
    (void)can::load_checkpoint(setup->dir.string(), setup->model, *setup->optimizer);
    if (!torch::equal(setup->flat(), setup->weights)) std::abort();  // loaded, but not what was saved
  } catch (const can::CheckpointError&) {
    if (!torch::equal(setup->flat(), before)) std::abort();  // refused, but changed the model
  }
  torch::NoGradGuard g;
  auto w = setup->weights;
  int64_t at = 0;
  for (auto& p : setup->model->parameters()) {
    p.copy_(w.narrow(0, at, p.numel()).view_as(p));
    at += p.numel();
  }
  return 0;
}
