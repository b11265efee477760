// can-bench: the median time of one CAN training step (forward, backward, AdamW) for a
// model built from flags, printed as one JSON line with images/s, analytic FLOPs per
// image and achieved GFLOP/s. Inputs are random tensors: this measures the model, not
// the loader (see can-loader-bench for that). --precision bf16 runs the forward under
// autocast as train.precision = bf16 does; --peak also measures the device's bf16 matmul
// peak in the same run (median of large square GEMMs) and reports the model FLOP
// utilisation (MFU) against it.
//
//   can-bench --preset tiny --img-size 28 --channels 1 --patch 4 --batch 256 --mode can
//   can-bench --preset base --img-size 224 --channels 3 --patch 16 --batch 256 --device cuda --precision bf16 --peak 1

#include <torch/torch.h>
#include <torch/version.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "core/model/can_model.h"
#include "core/model/flops.h"
#include "core/train/adamw_step.h"
#include "core/analysis/representation_health.h"
#include "core/train/objective_balance.h"
#include "core/train/param_groups.h"
#include "core/util/autocast.h"
#include "core/util/cli_options.h"
#include "core/util/host_memory.h"
#include "core/util/threads.h"

namespace {

const char* kUsage =
    "usage: can-bench [--preset tiny|small|base|large|huge|custom] [--img-size 28]\n"
    "                 [--channels 1] [--patch 4] [--batch 256] [--mode can|mae|simclr]\n"
    "                 [--objectives C+A+N] [--mask-ratio M] [--device cpu|cuda]\n"
    "                 [--steps 10] [--warmup 3] [--threads 0 (= cores)] [--seed 0]\n"
    "                 [--precision fp32|bf16] [--peak 0|1 (measure the bf16 GEMM peak: MFU)]\n"
    "                 [--breakdown N (N more steps timed per phase: forward, backward, AdamW)]\n"
    "                 [--balance N (N more steps, each also measuring the objective balance:\n"
    "                  its own time, and its share of training at train.balance_every 50;\n"
    "                  the same for the representation health, train.health_every 50)]\n"
    "                 [--embed-dim D --depth L --heads H] [--decoder-dim D --decoder-depth L\n"
    "                  --decoder-heads H]\n";

void sync(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

// The device's bf16 matmul throughput in FLOP/s: median over timed square GEMMs large enough
// to reach the tensor cores' peak (the figure MFU is reported against).
double measure_bf16_peak(const torch::Device& device) {
  const int64_t n = device.is_cuda() ? 8192 : 2048;
  auto opts = torch::TensorOptions().device(device).dtype(torch::kBFloat16);
  auto a = torch::randn({n, n}, opts), b = torch::randn({n, n}, opts);
  auto c = torch::empty({n, n}, opts);
  for (int i = 0; i < 3; ++i) torch::mm_out(c, a, b);
  sync(device);
  std::vector<double> rates;
  const int reps = device.is_cuda() ? 20 : 3;
  for (int r = 0; r < 5; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) torch::mm_out(c, a, b);
    sync(device);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(2.0 * n * n * n * reps / s);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

bool is_out_of_memory(const std::exception& e) {
  const std::string what = e.what();
  return what.find("out of memory") != std::string::npos || what.find("OutOfMemory") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {
      {"preset", "tiny"}, {"img-size", "28"},    {"channels", "1"}, {"patch", "4"},     {"batch", "256"},
      {"mode", "can"},    {"device", "cpu"},     {"steps", "10"},   {"warmup", "3"},    {"threads", "0"},
      {"seed", "0"},      {"precision", "fp32"}, {"peak", "0"},     {"breakdown", "0"}, {"balance", "0"}};
  // Every option takes a value; those without a default are unset until given.
  can::cli::Options options("can-bench", kUsage);
  std::vector<std::string> names;
  for (const auto& kv : opt) names.push_back(kv.first);
  for (const char* k :
       {"objectives", "mask-ratio", "embed-dim", "depth", "heads", "decoder-dim", "decoder-depth", "decoder-heads"})
    names.push_back(k);
  for (const std::string& k : names) options.value("--" + k, [&opt, k](const std::string& v) { opt[k] = v; });
  options.parse_or_exit(argc, argv);
  try {
    auto num = [&opt](const std::string& k) { return can::cli::to_int("--" + k, opt.at(k)); };
    // Every number is checked before anything runs: a malformed one is refused at once.
    for (const auto& [k, v] : opt) {
      if (k == "mask-ratio")
        can::cli::to_double("--" + k, v);
      else if (k != "preset" && k != "mode" && k != "device" && k != "precision" && k != "objectives")
        num(k);
    }
    can::ModelConfig cfg;
    cfg.apply_preset(opt["preset"]);
    cfg.img_size = num("img-size");
    cfg.in_chans = num("channels");
    cfg.patch_size = num("patch");
    if (opt.count("embed-dim")) cfg.embed_dim = num("embed-dim");
    if (opt.count("depth")) cfg.depth = num("depth");
    if (opt.count("heads")) cfg.num_heads = num("heads");
    if (opt.count("decoder-dim")) cfg.decoder_embed_dim = num("decoder-dim");
    if (opt.count("decoder-depth")) cfg.decoder_depth = num("decoder-depth");
    if (opt.count("decoder-heads")) cfg.decoder_num_heads = num("decoder-heads");
    cfg.validate();

    can::Objectives objectives;
    can::LossParams params;
    can::apply_mode(opt["mode"], objectives, params);
    if (opt.count("objectives")) {
      const auto& s = opt["objectives"];
      objectives = {s.find('C') != std::string::npos, s.find('A') != std::string::npos,
                    s.find('N') != std::string::npos};
    }
    if (opt.count("mask-ratio")) params.mask_ratio = can::cli::to_double("--mask-ratio", opt["mask-ratio"]);
    params.validate(objectives);

    const int threads = can::set_torch_threads(static_cast<int>(num("threads")));
    const bool kept_memory = can::keep_freed_host_memory();
    torch::Device device(opt["device"]);
    if (device.is_cuda() && !torch::cuda::is_available())
      throw std::invalid_argument("--device cuda: LibTorch sees no CUDA device (a CPU-only LibTorch, or no driver)");
    if (opt["precision"] != "fp32" && opt["precision"] != "bf16")
      throw std::invalid_argument("--precision must be fp32 or bf16, got '" + opt["precision"] + "'");
    const bool bf16 = opt["precision"] == "bf16";
    torch::manual_seed(num("seed"));

    can::CanModel model(cfg, objectives, params.sigma_max);
    model->to(device);
    // The trainer's optimizer: AdamW with its two weight-decay groups, multi-tensor step.
    auto groups = can::split_param_groups(*model);
    auto optimizer = can::make_adamw(groups, 0.05, 0.9, 0.95);
    can::set_lr(*optimizer, 1e-4);

    const int64_t batch = num("batch");
    auto opts = torch::TensorOptions().device(device);
    auto view1 = torch::randn({batch, cfg.in_chans, cfg.img_size, cfg.img_size}, opts);
    auto view2 = objectives.contrastive ? torch::randn_like(view1) : torch::Tensor();

    // One step; with `phases`, the device is synchronised after the forward and the
    // backward and their times are added to it (ms): where a step's time goes.
    // balance_ms: when given, the objective balance is measured before the backward, as the
    // trainer does on its balance steps, and its time (ms) is added to it; health_ms likewise
    // for the representation health of the step's embeddings (train.health_every).
    auto step = [&](std::vector<double>* phases = nullptr, double* balance_ms = nullptr, double* health_ms = nullptr) {
      using clock = std::chrono::steady_clock;
      auto t0 = clock::now();
      auto lap = [&](size_t i) {
        if (!phases) return;
        sync(device);
        const auto t = clock::now();
        (*phases)[i] += std::chrono::duration<double, std::milli>(t - t0).count();
        t0 = t;
      };
      optimizer->zero_grad();
      can::CanOutput out;
      {
        can::AutocastScope autocast(device.type(), bf16);
        out = model->forward(view1, view2, params);
      }
      lap(0);
      if (balance_ms) {
        sync(device);
        const auto b0 = clock::now();
        can::measure_objective_balance(out, params, objectives, model->encoder->parameters());
        sync(device);
        *balance_ms += std::chrono::duration<double, std::milli>(clock::now() - b0).count();
        t0 = clock::now();
      }
      if (health_ms && out.u.defined()) {
        const auto h0 = clock::now();
        can::analysis::step_health(out.u);
        *health_ms += std::chrono::duration<double, std::milli>(clock::now() - h0).count();
        t0 = clock::now();
      }
      out.loss.backward();
      lap(1);
      can::adamw_step(*optimizer);
      lap(2);
      return out.loss;
    };
    try {
      for (int64_t i = 0; i < num("warmup"); ++i) step();
      sync(device);
    } catch (const std::exception& e) {
      if (!is_out_of_memory(e)) throw;
      std::cerr << "can-bench: --batch " << batch << " does not fit in " << device.str()
                << " memory for this model; try a smaller --batch\n";
      return 3;
    }
    std::vector<double> ms;
    double last_loss = 0;
    for (int64_t i = 0; i < num("steps"); ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto loss = step();
      sync(device);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      last_loss = loss.item<double>();
    }
    std::sort(ms.begin(), ms.end());
    std::vector<double> phases(3, 0.0);
    const int64_t phase_steps = num("breakdown");
    for (int64_t i = 0; i < phase_steps; ++i) step(&phases);
    std::vector<double> balance_ms, health_ms;
    for (int64_t i = 0; i < num("balance"); ++i) {
      double b = 0, h = 0;
      step(nullptr, &b, &h);
      balance_ms.push_back(b);
      health_ms.push_back(h);
    }
    std::sort(balance_ms.begin(), balance_ms.end());
    std::sort(health_ms.begin(), health_ms.end());
    const double median = ms.size() % 2 ? ms[ms.size() / 2] : 0.5 * (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]);
    const auto flops = can::can_step_flops(cfg, objectives, params.mask_ratio, batch);
    const double img_per_s = batch / (median / 1000.0);
    const double achieved = flops.train_step() * img_per_s;  // FLOP/s
    const double peak = num("peak") ? measure_bf16_peak(device) : 0.0;

    nlohmann::json j = {{"bench", "can-bench"},
                        {"impl", "libtorch-cpp"},
                        {"torch", TORCH_VERSION},
                        {"preset", cfg.preset},
                        {"embed_dim", cfg.embed_dim},
                        {"depth", cfg.depth},
                        {"decoder", {cfg.decoder_embed_dim, cfg.decoder_depth, cfg.decoder_num_heads}},
                        {"img_size", cfg.img_size},
                        {"channels", cfg.in_chans},
                        {"patch", cfg.patch_size},
                        {"batch", batch},
                        {"objectives", objectives.describe()},
                        {"mask_ratio", params.mask_ratio},
                        {"device", device.str()},
                        {"precision", opt["precision"]},
                        {"threads", threads},
                        {"malloc", kept_memory ? "keep-freed" : "default"},
                        {"steps", ms.size()},
                        {"step_ms_median", median},
                        {"step_ms_min", ms.front()},
                        {"step_ms_max", ms.back()},
                        {"img_per_s", img_per_s},
                        {"gflop_per_img", flops.train_step() / 1e9},
                        {"achieved_gflop_per_s", achieved / 1e9},
                        {"achieved_tflop_per_s", achieved / 1e12},
                        {"final_loss", last_loss}};
    if (phase_steps > 0)
      j["phase_ms_mean"] = {{"forward", phases[0] / phase_steps}, {"backward", phases[1] / phase_steps},
                            {"optimizer", phases[2] / phase_steps}};
    if (!balance_ms.empty()) {
      const double b = balance_ms[balance_ms.size() / 2];
      j["balance_ms_median"] = b;
      // One measurement per 50 steps (the default train.balance_every): its share of the time.
      j["balance_overhead_at_every_50"] = b / (50 * median);
      const double h = health_ms[health_ms.size() / 2];
      j["health_ms_median"] = h;  // representation health, train.health_every (default 50)
      j["health_overhead_at_every_50"] = h / (50 * median);
    }
    if (peak > 0) {
      j["bf16_matmul_peak_tflop_per_s"] = peak / 1e12;
      j["mfu"] = achieved / peak;
    }
    if (device.is_cuda()) j["cuda_device_count"] = torch::cuda::device_count();
    std::cout << j.dump() << std::endl;
    return 0;
  } catch (const can::cli::UsageError& e) {  // a value of the wrong kind: named, with the usage
    return options.usage_error(e.what());
  } catch (const std::exception& e) {
    std::cerr << "can-bench: " << e.what() << "\n";
    return 2;
  }
}
