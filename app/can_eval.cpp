// can-eval: kNN and linear-probe top-1 of a checkpoint's frozen encoder on a labelled set
// (the checkpoint's dataset: its train split is the reference/training set, its test split
// is scored; Fashion-MNIST by default). Prints one JSON line. See docs/evaluation.md.
//
// Exit codes: 0 ok, 1 error (missing/corrupt checkpoint, unreadable data), 2 usage.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/config/run_config.h"
#include "core/data/data_config.h"
#include "core/data/dataset.h"
#include "core/eval/features.h"
#include "core/eval/knn.h"
#include "core/eval/linear_probe.h"
#include "core/io/safetensors.h"
#include "core/train/checkpoint.h"
#include "core/util/cli_options.h"
#include "core/util/device.h"
#include "core/io/import_encoder.h"
#include "core/util/host_memory.h"
#include "core/util/threads.h"

namespace {

constexpr const char* kUsage =
    "usage: can-eval --checkpoint PATH [--knn] [--linear] [options]\n"
    "       can-eval --checkpoint ENCODER.safetensors [--dataset NAME] [--data-path DIR] [options]\n"
    "       can-eval --pixels [--data-path DIR] [options]\n"
    "\n"
    "Scores the frozen encoder of a checkpoint (a checkpoint directory or a run directory)\n"
    "on its dataset: features of the train split are the reference / training set, the test\n"
    "split is scored. Without --knn or --linear both run. Prints one JSON line.\n"
    "An encoder exported by can-export (ENCODER.safetensors with its ENCODER.json) is scored\n"
    "on --dataset (default fashion-mnist) at --data-path.\n"
    "\n"
    "  --knn                  kNN top-1 (cosine, temperature-weighted votes)\n"
    "  --linear               linear-probe top-1 on frozen features\n"
    "  --pixels               linear probe on raw normalised pixels (baseline; needs no checkpoint)\n"
    "  --max-train N          first N train images (default 0 = all)\n"
    "  --max-test N           first N test images (default 0 = all)\n"
    "  --k N                  kNN neighbours (default 20)\n"
    "  --temperature T        kNN vote temperature (default 0.07)\n"
    "  --linear-epochs N      probe epochs (default 100)\n"
    "  --linear-lr X          probe AdamW peak learning rate (default 0.01)\n"
    "  --linear-wd X          probe weight decay (default 1e-4)\n"
    "  --linear-batch N       probe mini-batch (default 1024)\n"
    "  --seed N               probe shuffling seed (default 0)\n"
    "  --batch-size N         feature-extraction batch (default 256)\n"
    "  --device auto|cpu|cuda where the encoder runs (default auto)\n"
    "  --threads N            LibTorch threads (default 0 = all cores)\n"
    "  --data-path DIR        override the dataset path of the checkpoint's config\n"
    "  --dataset NAME         the dataset of an exported encoder (fashion-mnist, mnist, cifar10,\n"
    "                         cifar100, folder; a checkpoint's config names its own)\n"
    "  --save-features PATH   also write the scored test images and their features as\n"
    "                         safetensors (\"images\" [N,C,S,S] normalised, \"features\" [N,d]), for\n"
    "                         checking an exported encoder elsewhere (scripts/timm_check.py)\n";

struct Args {
  std::string checkpoint, data_path, dataset, device = "auto", save_features;
  bool knn = false, linear = false, pixels = false;
  int64_t max_train = 0, max_test = 0, batch_size = 256, threads = 0;
  int k = 20;
  double temperature = 0.07;
  can::eval::LinearProbeOptions probe;
};

using can::cli::to_double;
using can::cli::to_int;
using can::cli::UsageError;

can::cli::Options make_options(Args& a) {
  can::cli::Options o("can-eval", kUsage);
  auto integer = [](int64_t* target, const char* name) {
    return [target, name](const std::string& v) { *target = to_int(name, v); };
  };
  auto number = [](double* target, const char* name) {
    return [target, name](const std::string& v) { *target = to_double(name, v); };
  };
  o.value("--checkpoint", &a.checkpoint).flag("--knn", &a.knn).flag("--linear", &a.linear).flag("--pixels", &a.pixels);
  o.value("--max-train", integer(&a.max_train, "--max-train")).value("--max-test", integer(&a.max_test, "--max-test"));
  o.value("--k", [&a](const std::string& v) { a.k = static_cast<int>(to_int("--k", v)); });
  o.value("--temperature", number(&a.temperature, "--temperature"));
  o.value("--linear-epochs", integer(&a.probe.epochs, "--linear-epochs"));
  o.value("--linear-lr", number(&a.probe.lr, "--linear-lr"));
  o.value("--linear-wd", number(&a.probe.weight_decay, "--linear-wd"));
  o.value("--linear-batch", integer(&a.probe.batch_size, "--linear-batch"));
  o.value("--seed", [&a](const std::string& v) { a.probe.seed = static_cast<uint64_t>(to_int("--seed", v)); });
  o.value("--batch-size", integer(&a.batch_size, "--batch-size"));
  o.value("--device", &a.device);
  o.value("--threads", integer(&a.threads, "--threads"));
  o.value("--data-path", &a.data_path).value("--save-features", &a.save_features).value("--dataset", &a.dataset);
  return o;
}

// What the options mean together.
void check(Args& a) {
  if (a.checkpoint.empty() && !a.pixels) throw UsageError("--checkpoint PATH is required (or --pixels)");
  if (!a.checkpoint.empty() && !a.knn && !a.linear) a.knn = a.linear = true;
  if (a.max_train < 0 || a.max_test < 0) throw UsageError("--max-train/--max-test must be >= 0");
  if (a.k < 1) throw UsageError("--k must be >= 1");
  if (!(a.temperature > 0)) throw UsageError("--temperature must be > 0");
  if (a.batch_size < 1) throw UsageError("--batch-size must be >= 1");
  if (a.probe.epochs < 1 || a.probe.batch_size < 1 || !(a.probe.lr > 0) || a.probe.weight_decay < 0)
    throw UsageError("--linear-epochs/--linear-batch/--linear-lr must be positive, --linear-wd >= 0");
  if (!a.save_features.empty() && a.checkpoint.empty()) throw UsageError("--save-features needs --checkpoint");
  if (a.device != "auto" && a.device != "cpu" && a.device != "cuda")
    throw UsageError("--device must be auto, cpu or cuda");
}

int run(const Args& args) {
  const auto start = std::chrono::steady_clock::now();
  can::set_torch_threads(static_cast<int>(args.threads));
  can::keep_freed_host_memory();
  can::data::DataConfig data;
  std::optional<can::CanModel> model;
  const bool exported =
      args.checkpoint.size() > 12 && args.checkpoint.compare(args.checkpoint.size() - 12, 12, ".safetensors") == 0;
  if (exported) {  // can-export's encoder: the architecture beside it, the dataset from the options
    model = can::io::load_exported_encoder(args.checkpoint);
  } else if (!args.checkpoint.empty()) {
    can::RunConfig config;
    try {
      model = can::load_model(args.checkpoint, &config);
    } catch (const c10::Error& e) {  // LibTorch's archive errors do not name the file
      throw std::runtime_error(args.checkpoint + ": cannot load the model: " + e.what_without_backtrace());
    }
    data = config.data;
  }
  if (!args.dataset.empty()) data.dataset = args.dataset;
  if (!args.data_path.empty()) data.path = args.data_path;
  data.min_image_side = 0;

  auto train = can::data::open_dataset(data, can::data::Split::Train);
  auto test = can::data::open_dataset(data, can::data::Split::Test);
  const int64_t num_classes = train->num_classes();
  if (num_classes < 2)
    throw std::runtime_error(train->describe() + ": kNN and linear probe need a labelled dataset");
  auto y_train = can::eval::dataset_labels(*train, args.max_train);
  auto y_test = can::eval::dataset_labels(*test, args.max_test);

  nlohmann::json out;
  if (!args.checkpoint.empty()) out["checkpoint"] = args.checkpoint;
  out["dataset"] = data.dataset;
  out["train_images"] = y_train.size(0);
  out["test_images"] = y_test.size(0);
  out["num_classes"] = num_classes;

  if (model) {
    const auto& cfg = (*model)->config();
    const auto mean = data.resolved_mean(cfg.in_chans), stdv = data.resolved_std(cfg.in_chans);
    const torch::Device device = can::pick_device(args.device, "--device");
    auto x_train = can::eval::extract_features(*model, *train, args.max_train, args.batch_size, mean, stdv, device);
    auto x_test = can::eval::extract_features(*model, *test, args.max_test, args.batch_size, mean, stdv, device);
    out["feature_dim"] = x_train.size(1);
    out["device"] = device.str();
    if (!args.save_features.empty()) {
      const int64_t n = x_test.size(0);
      auto images = can::eval::eval_batch(*test, 0, n, cfg.in_chans, cfg.img_size, mean, stdv);
      can::io::write_safetensors(args.save_features, {{"images", images}, {"features", x_test.contiguous()}});
      out["saved_features"] = args.save_features;
    }
    if (args.knn) {
      out["knn_top1"] = can::eval::knn_top1(x_train, y_train, x_test, y_test, num_classes, args.k, args.temperature);
      out["knn_k"] = args.k;
      out["knn_temperature"] = args.temperature;
    }
    if (args.linear) {
      auto r = can::eval::linear_probe(x_train, y_train, x_test, y_test, num_classes, args.probe);
      out["linear_top1"] = r.test_top1;
      out["linear_train_top1"] = r.train_top1;
    }
  }
  if (args.pixels) {
    // The baseline sees the images at their native size and channels (no model needed).
    const int64_t c = train->channels(), side = train->height();
    if (side <= 0 || train->width() != side)
      throw std::runtime_error(train->describe() + ": --pixels needs square images of one size");
    const auto mean = data.resolved_mean(c), stdv = data.resolved_std(c);
    auto p_train = can::eval::pixel_features(*train, args.max_train, c, side, mean, stdv);
    auto p_test = can::eval::pixel_features(*test, args.max_test, c, side, mean, stdv);
    auto r = can::eval::linear_probe(p_train, y_train, p_test, y_test, num_classes, args.probe);
    out["pixels_linear_top1"] = r.test_top1;
    out["pixels_linear_train_top1"] = r.train_top1;
  }
  if (args.linear || args.pixels) {
    out["linear_epochs"] = args.probe.epochs;
    out["linear_lr"] = args.probe.lr;
  }
  out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  const can::cli::Options options = make_options(args);
  options.parse_or_exit(argc, argv);
  try {
    check(args);
  } catch (const UsageError& e) {
    return options.usage_error(e.what());
  }
  try {
    return run(args);
  } catch (const c10::Error& e) {  // e.g. a corrupt model.pt; what() would add a C++ backtrace
    std::cerr << "can-eval: error: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "can-eval: error: " << e.what() << "\n";
    return 1;
  }
}
