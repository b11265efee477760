// A checkpoint's files that are read without LibTorch's unpickler (core/train/checkpoint.cpp):
// RUN_DIR/checkpoints/latest, followed by resolve_checkpoint, and the checkpoint's
// config.json, read by load_run_config (what can-train --resume, can-eval, can-export and
// the studio's Open checkpoint do first). state.json is read only by load_checkpoint after
// model.pt and optimizer.pt have gone through the unpickler, so it is not reached here;
// the .pt files are left to the checksum manifest (docs/reliability.md).
// Input: the text of `latest`, a NUL byte, then config.json (without a NUL: `latest` names
// the one checkpoint and the whole input is config.json).
// Allowed outcome: std::invalid_argument (config) or std::runtime_error (no checkpoint).
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/config/run_config.h"
#include "core/train/checkpoint.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  const can_fuzz::Parts parts = can_fuzz::split_at_nul(data, size);
  const std::string latest = parts.found ? parts.first : "step_000002\n";
  const std::string config = parts.found ? parts.second : parts.first;

  // Two checkpoints: step_000001 (config.json = the input) and step_000002 (the same), so
  // that both `latest` and the fallback to the newest step_ directory are exercised. The
  // .pt files only need to exist; they are never opened here.
  static const std::string run = can_fuzz::scratch_dir() + "/run";
  static const bool made = [] {
    for (const char* step : {"step_000001", "step_000002"}) {
      const fs::path d = fs::path(run) / "checkpoints" / step;
      fs::create_directories(d);
      for (const char* f : {"model.pt", "optimizer.pt", "rng.pt", "state.json"})
        can_fuzz::write_file((d / f).string(), nullptr, 0);
    }
    return true;
  }();
  (void)made;
  const fs::path dir = fs::path(run) / "checkpoints";
  for (const char* step : {"step_000001", "step_000002"})
    can_fuzz::write_file((dir / step / "config.json").string(), reinterpret_cast<const uint8_t*>(config.data()),
                         config.size());
  can_fuzz::write_file((dir / "latest").string(), reinterpret_cast<const uint8_t*>(latest.data()), latest.size());

  try {
    (void)can::resolve_checkpoint(run);
    const can::RunConfig c = can::load_run_config(run);
    c.validate();
  } catch (const std::invalid_argument&) {
  } catch (const std::runtime_error&) {
  }
  return 0;
}
