// can-inspector-bench: how long the studio's Inspector takes to answer one change
// (docs/bench.md "Inspector"): can::analysis::inspect of one image (one forward on a given
// mask and noise, the per-patch maps) plus the k = 8 nearest neighbours in a bank of
// features, on the CPU. The model is a checkpoint's (--checkpoint) or, by default, the
// config's (resources/presets/can-fashion-mnist.json, the tiny preset) freshly initialised;
// weights do not change the cost. Prints the median, min and max of R runs as one JSON line.
// Usage: can-inspector-bench [--config FILE | --checkpoint DIR] [--repeat R] [--threads N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/analysis/inspection.h"
#include "core/config/run_config.h"
#include "core/model/patchify.h"
#include "core/train/checkpoint.h"
#include "core/util/cli_options.h"
#include "core/util/host_memory.h"
#include "core/util/threads.h"

namespace {

const char* kUsage =
    "usage: can-inspector-bench [--config FILE | --checkpoint DIR] [--repeat R] [--threads N]\n"
    "  --config FILE     run config whose model is timed, freshly initialised\n"
    "                    (default resources/presets/can-fashion-mnist.json)\n"
    "  --checkpoint DIR  a run or checkpoint folder instead\n"
    "  --repeat R        inspections timed, the median reported (default 20)\n"
    "  --threads N       LibTorch threads (default 0 = all cores)\n";

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string config = "resources/presets/can-fashion-mnist.json", checkpoint, repeat = "20", threads = "0";
  can::cli::Options options("can-inspector-bench", kUsage);
  options.value("--config", &config).value("--checkpoint", &checkpoint).value("--repeat", &repeat);
  options.value("--threads", &threads);
  options.parse_or_exit(argc, argv);
  try {
    const int64_t runs = std::max<int64_t>(1, can::cli::to_int("--repeat", repeat));
    const int used_threads = can::set_torch_threads(static_cast<int>(can::cli::to_int("--threads", threads)));
    can::keep_freed_host_memory();
    can::RunConfig cfg;
    can::CanModel model{nullptr};
    if (!checkpoint.empty()) {
      model = can::load_model(checkpoint, &cfg);
    } else {
      cfg = can::load_run_config_file(config);
      model = can::CanModel(cfg.model, cfg.objectives, cfg.loss.sigma_max);
    }
    model->eval();
    const auto& m = cfg.model;
    torch::manual_seed(0);
    auto image = torch::randn({m.in_chans, m.img_size, m.img_size});
    auto bank = torch::randn({10000, m.embed_dim});  // the studio's bank: 10,000 train images
    std::vector<double> times;
    for (int64_t r = 0; r < runs + 2; ++r) {  // two warm-up runs, not counted
      can::analysis::InspectionRequest rq;
      rq.image = image;
      rq.mask = can::analysis::random_patch_mask(m.num_patches(), cfg.loss.mask_ratio, static_cast<uint64_t>(r));
      rq.sigma = cfg.loss.sigma_max;
      rq.noise_seed = static_cast<uint64_t>(r);
      const auto t0 = std::chrono::steady_clock::now();
      auto ins = can::analysis::inspect(model, cfg.loss, rq);
      auto nn = can::analysis::nearest_neighbours(model, bank, image, 8);
      const auto t1 = std::chrono::steady_clock::now();
      if (r >= 2) times.push_back(seconds(t0, t1));
    }
    std::sort(times.begin(), times.end());
    std::printf(
        "{\"what\": \"inspect + 8 nearest of 10000\", \"img_size\": %lld, \"patches\": %lld, \"depth\": %lld, "
        "\"threads\": %d, \"runs\": %lld, \"median_ms\": %.2f, \"min_ms\": %.2f, \"max_ms\": %.2f}\n",
        static_cast<long long>(m.img_size), static_cast<long long>(m.num_patches()), static_cast<long long>(m.depth),
        used_threads, static_cast<long long>(runs), 1e3 * times[times.size() / 2], 1e3 * times.front(),
        1e3 * times.back());
    return 0;
  } catch (const can::cli::UsageError& e) {
    std::fprintf(stderr, "can-inspector-bench: %s\n%s", e.what(), kUsage);
    return can::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "can-inspector-bench: error: %s\n", e.what());
    return 1;
  }
}
