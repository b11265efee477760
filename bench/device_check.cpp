// can-device-check: one seeded CAN training step (forward, backward, AdamW) on a device
// against the same step on the CPU in float32, from identical weights, views and draws.
// Prints one JSON line with the differences and exits 1 when one is over its tolerance:
//   fp32 on the device:  every loss term within 1e-5 (relative to max(1, |value|)), every
//                        parameter's gradient within 1e-4 (relative L2), and the AdamW
//                        update within 1% of one lr step of the update computed in double on
//                        the CPU from the device's own gradients (the first AdamW step is
//                        lr * g / (|g| + eps): where a gradient is ~0, as the attention key
//                        bias's is, any rounding flips it, so the two devices' updates are not
//                        comparable there, but the optimizer's arithmetic is);
//   bf16 on the device:  every loss term within 2e-2 (train.precision = bf16's autocast).
// With --device cpu (scripts/gpu-check --cpu-dry-run) the "device" is the CPU itself: the
// fp32 losses and gradients must then be exact, and the bf16 step runs LibTorch's CPU autocast.
//
//   can-device-check --device cuda [--batch 8] [--seed 0]

#include <torch/torch.h>
#include <torch/version.h>
#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/model/can_model.h"
#include "core/train/adamw_step.h"
#include "core/train/param_groups.h"
#include "core/util/autocast.h"
#include "core/util/cli_options.h"
#include "core/util/threads.h"

namespace {

using Named = std::map<std::string, torch::Tensor>;

// A small ViT that still has every part of the method: class token, several heads, a
// decoder with the noise-level embedding, three channels, 64 patches.
can::ModelConfig check_model() {
  can::ModelConfig c;
  c.apply_preset("custom");
  c.embed_dim = 64;
  c.depth = 2;
  c.num_heads = 4;
  c.decoder_embed_dim = 32;
  c.decoder_depth = 1;
  c.decoder_num_heads = 4;
  c.img_size = 32;
  c.in_chans = 3;
  c.patch_size = 4;
  c.proj_dim = 16;
  c.validate();
  return c;
}

struct StepResult {
  std::map<std::string, double> losses;  // loss_info_nce, loss_rec, loss_denoise, loss
  Named before, grads, after;            // CPU float32 copies
  std::set<std::string> decay;           // parameters in the weight-decay group
};

constexpr double kLr = 1e-3, kWeightDecay = 0.05, kBeta1 = 0.9, kBeta2 = 0.95, kEps = 1e-8;

StepResult run_step(can::CanModel& model, const torch::Device& device, bool bf16, const torch::Tensor& v1,
                    const torch::Tensor& v2, const can::StepDraws& draws, const can::LossParams& loss) {
  model->to(device);
  model->train();
  auto groups = can::split_param_groups(*model);
  auto optimizer = can::make_adamw(groups, kWeightDecay, kBeta1, kBeta2);
  can::set_lr(*optimizer, kLr);
  optimizer->zero_grad();
  can::CanOutput out;
  {
    can::AutocastScope autocast(device.type(), bf16);
    out = model->forward(v1.to(device), v2.to(device), loss, draws.to(device));
  }
  out.loss.backward();
  StepResult r;
  r.decay.insert(groups.decay_names.begin(), groups.decay_names.end());
  for (const auto& p : model->named_parameters()) r.before[p.key()] = p.value().detach().to(torch::kCPU, torch::kFloat32).clone();
  r.losses = {{"loss_info_nce", out.loss_info_nce.item<double>()},
              {"loss_rec", out.loss_rec.item<double>()},
              {"loss_denoise", out.loss_denoise.item<double>()},
              {"loss", out.loss.item<double>()}};
  for (const auto& p : model->named_parameters())
    if (p.value().grad().defined()) r.grads[p.key()] = p.value().grad().detach().to(torch::kCPU, torch::kFloat32).clone();
  can::adamw_step(*optimizer);
  for (const auto& p : model->named_parameters()) r.after[p.key()] = p.value().detach().to(torch::kCPU, torch::kFloat32).clone();
  return r;
}

can::CanModel fresh_model(const can::ModelConfig& cfg, const can::LossParams& loss, uint64_t seed) {
  torch::manual_seed(seed);  // the same seed builds the same weights
  return can::CanModel(cfg, can::Objectives{}, loss.sigma_max);
}

// The largest difference of each kind between a device step and the reference step.
nlohmann::json compare(const StepResult& ref, const StepResult& dev, double loss_tol, double grad_tol,
                       double update_tol, bool& pass) {
  nlohmann::json j;
  double worst_loss = 0;
  for (const auto& [name, value] : ref.losses) {
    const double diff = std::abs(dev.losses.at(name) - value) / std::max(1.0, std::abs(value));
    j["loss_rel_diff"][name] = diff;
    j["loss_device"][name] = dev.losses.at(name);
    j["loss_reference"][name] = value;
    worst_loss = std::max(worst_loss, diff);
  }
  double worst_grad = 0, worst_update = 0;
  std::string worst_grad_name, worst_update_name;
  for (const auto& [name, g] : ref.grads) {
    if (!dev.grads.count(name)) {
      pass = false;
      j["missing_grad"].push_back(name);
      continue;
    }
    const double norm = g.norm().item<double>();
    const double diff = (dev.grads.at(name) - g).norm().item<double>() / std::max(norm, 1e-12);
    if (diff > worst_grad) worst_grad = diff, worst_grad_name = name;
  }
  // The first AdamW step in double from the device's gradients: m_hat = g, sqrt(v_hat) = |g|.
  double raw_update = 0;
  for (const auto& [name, g32] : dev.grads) {
    const auto g = g32.to(torch::kFloat64), p0 = dev.before.at(name).to(torch::kFloat64);
    const double wd = dev.decay.count(name) ? kWeightDecay : 0.0;
    const auto expected = p0 * (1 - kLr * wd) - kLr * g / (g.abs() + kEps);
    const double diff = (dev.after.at(name).to(torch::kFloat64) - expected).abs().max().item<double>() / kLr;
    if (diff > worst_update) worst_update = diff, worst_update_name = name;
    raw_update = std::max(raw_update, (dev.after.at(name) - ref.after.at(name)).abs().max().item<double>() / kLr);
  }
  j["loss_rel_diff_max"] = worst_loss;
  j["grad_rel_l2_max"] = worst_grad;
  j["grad_worst_param"] = worst_grad_name;
  j["update_diff_over_lr_max"] = worst_update;
  j["update_worst_param"] = worst_update_name;
  j["update_vs_reference_step_over_lr_max"] = raw_update;  // informative: see the header
  j["tolerance"] = {{"loss", loss_tol}, {"grad", grad_tol}, {"update", update_tol}};
  const bool ok = worst_loss <= loss_tol && worst_grad <= grad_tol && worst_update <= update_tol;
  j["pass"] = ok;
  pass = pass && ok;
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt = {{"device", "cuda"}, {"batch", "8"}, {"seed", "0"}, {"threads", "0"}};
  can::cli::Options options("can-device-check",
                            "usage: can-device-check [--device cuda|cpu] [--batch 8] [--seed 0] [--threads 0]\n");
  for (const auto& kv : opt) {
    const std::string k = kv.first;
    options.value("--" + k, [&opt, k](const std::string& v) { opt[k] = v; });
  }
  options.parse_or_exit(argc, argv);
  try {
    can::set_torch_threads(static_cast<int>(can::cli::to_int("--threads", opt["threads"])));
    const torch::Device device(opt["device"]);
    if (device.is_cuda() && !torch::cuda::is_available()) {
      std::cerr << "can-device-check: --device cuda, but LibTorch sees no CUDA device (is this a CUDA build of "
                   "LibTorch, and is the NVIDIA driver loaded? nvidia-smi should list the GPU)\n";
      return 2;
    }
    const int64_t n = can::cli::to_int("--batch", opt["batch"]);
    const uint64_t seed = static_cast<uint64_t>(can::cli::to_int("--seed", opt["seed"]));
    const can::ModelConfig cfg = check_model();
    const can::LossParams loss;  // the spec's defaults: m 0.5, sigma_max 0.05, tau 0.1, 0.03/0.67/0.3

    // Views and draws on the CPU from one seeded generator, then copied to the device:
    // CUDA's generators produce other numbers for the same seed.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 100);
    auto v1 = at::randn({n, cfg.in_chans, cfg.img_size, cfg.img_size}, gen);
    auto v2 = at::randn({n, cfg.in_chans, cfg.img_size, cfg.img_size}, gen);
    auto reference_model = fresh_model(cfg, loss, seed);
    const can::StepDraws draws = reference_model->draw(n, v1.options(), gen);
    const StepResult reference = run_step(reference_model, torch::kCPU, false, v1, v2, draws, loss);

    bool pass = true;
    nlohmann::json j = {{"check", "can-device-check"}, {"torch", TORCH_VERSION}, {"device", device.str()},
                        {"batch", n}, {"seed", seed}, {"model", {{"embed_dim", cfg.embed_dim}, {"depth", cfg.depth},
                        {"img_size", cfg.img_size}, {"patch", cfg.patch_size}, {"channels", cfg.in_chans}}}};
    if (device.is_cuda()) j["gpu"] = torch::cuda::device_count() > 0 ? "cuda:0" : "";
    // fp32: the device must do the same arithmetic up to summation order. On the CPU itself
    // the step is deterministic, so the tolerance there is zero.
    const bool same = !device.is_cuda();
    auto fp32_model = fresh_model(cfg, loss, seed);
    j["fp32"] = compare(reference, run_step(fp32_model, device, false, v1, v2, draws, loss), same ? 0 : 1e-5,
                        same ? 0 : 1e-4, 1e-2, pass);
    auto bf16_model = fresh_model(cfg, loss, seed);
    j["bf16"] = compare(reference, run_step(bf16_model, device, true, v1, v2, draws, loss), 2e-2,
                        std::numeric_limits<double>::infinity(), 1e-2, pass);
    j["pass"] = pass;
    std::cout << j.dump() << std::endl;
    return pass ? 0 : 1;
  } catch (const can::cli::UsageError& e) {  // a value of the wrong kind: named, with the usage
    return options.usage_error(e.what());
  } catch (const std::exception& e) {
    std::cerr << "can-device-check: " << e.what() << "\n";
    return 2;
  }
}
