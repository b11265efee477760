// can-eval: kNN and linear-probe top-1 of a checkpoint's frozen encoder on a labelled set
// (the checkpoint's dataset: its train split is the reference/training set, its test split
// is scored; Fashion-MNIST by default). Prints one JSON line and records the report in the
// run's eval.json (core/eval/evaluation.h does the work). See docs/evaluation.md.
//
// Exit codes: 0 ok, 1 error (missing/corrupt checkpoint, unreadable data), 2 usage.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/eval/eval_report.h"
#include "core/eval/evaluation.h"
#include "core/eval/features.h"
#include "core/eval/linear_probe.h"
#include "core/io/safetensors.h"
#include "core/train/checkpoint_info.h"
#include "app/tool_main.h"
#include "core/util/cli_options.h"
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
    "split is scored. Without --knn or --linear both run. Prints one JSON line and records the\n"
    "report in the run folder's eval.json (RUN/eval.json; see --eval-json, --no-record).\n"
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
    "                         checking an exported encoder elsewhere (scripts/timm_check.py)\n"
    "  --eval-json PATH       record the report (per-class scores, confusion matrices) in this\n"
    "                         eval.json (default: RUN/eval.json of a checkpoint or run directory;\n"
    "                         an exported encoder is recorded only with this option)\n"
    "  --no-record            do not record the report in any eval.json\n"
    "  --split test|val       the split scored (default test); val = the training images held\n"
    "                         out by data.val_images (for choosing settings without the test split)\n"
    "  --val-images N         hold out N training images as the validation split (default: the\n"
    "                         checkpoint config's data.val_images; the train split excludes them)\n";

struct Args {
  std::string checkpoint, data_path, dataset, device = "auto", save_features, eval_json, split = "test";
  int64_t val_images = -1;
  bool knn = false, linear = false, pixels = false, no_record = false;
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
  o.value("--eval-json", &a.eval_json).flag("--no-record", &a.no_record);
  o.value("--split", &a.split).value("--val-images", integer(&a.val_images, "--val-images"));
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
  if (!a.eval_json.empty() && a.checkpoint.empty()) throw UsageError("--eval-json needs --checkpoint");
  if (!a.eval_json.empty() && a.no_record) throw UsageError("--eval-json and --no-record contradict each other");
  if (a.split != "test" && a.split != "val") throw UsageError("--split must be test or val");
  if (a.val_images < -1) throw UsageError("--val-images must be >= 0");
  if (a.device != "auto" && a.device != "cpu" && a.device != "cuda")
    throw UsageError("--device must be auto, cpu or cuda");
}

can::eval::EvalRequest request_of(const Args& a) {
  can::eval::EvalRequest r;
  r.checkpoint = a.checkpoint;
  r.dataset = a.dataset;
  r.data_path = a.data_path;
  r.knn = a.knn;
  r.linear = a.linear;
  r.max_train = a.max_train;
  r.max_test = a.max_test;
  r.batch_size = a.batch_size;
  r.knn_options.k = a.k;
  r.knn_options.temperature = a.temperature;
  r.probe = a.probe;
  r.device = a.device;
  r.split = a.split;
  r.val_images = a.val_images;
  return r;
}

// Where the report is recorded: --eval-json, else the run folder's eval.json when the
// checkpoint is a checkpoint or run directory; "" for none.
std::string record_path(const Args& a) {
  if (a.no_record || a.checkpoint.empty()) return "";
  if (!a.eval_json.empty()) return a.eval_json;
  const std::string run_dir = can::run_dir_of_checkpoint(a.checkpoint);
  return run_dir.empty() ? "" : can::eval::eval_json_path(run_dir);
}

int run(const Args& args) {
  const auto start = std::chrono::steady_clock::now();
  can::set_torch_threads(static_cast<int>(args.threads));
  can::keep_freed_host_memory();
  const can::eval::EvalRequest request = request_of(args);
  can::eval::EvalInputs in = can::eval::open_evaluation(request);  // datasets only for --pixels alone

  nlohmann::json out;
  if (!args.checkpoint.empty()) out["checkpoint"] = args.checkpoint;
  out["dataset"] = in.data.dataset;
  out["split"] = request.split;  // test_images counts the images of this split
  out["train_images"] = in.train_labels.size(0);
  out["test_images"] = in.test_labels.size(0);
  out["num_classes"] = in.train->num_classes();

  if (in.model) {
    torch::Tensor x_test;
    const can::eval::EvalReport report =
        can::eval::evaluate(in, request, {}, args.save_features.empty() ? nullptr : &x_test);
    out["feature_dim"] = report.feature_dim;
    out["device"] = report.device;
    out["step"] = report.step;
    if (!args.save_features.empty()) {
      const auto& cfg = in.model->config();
      auto images = can::eval::eval_batch(*in.test, 0, x_test.size(0), cfg.in_chans, cfg.img_size,
                                          in.data.resolved_mean(cfg.in_chans), in.data.resolved_std(cfg.in_chans));
      can::io::write_safetensors(args.save_features, {{"images", images}, {"features", x_test.contiguous()}});
      out["saved_features"] = args.save_features;
    }
    if (report.knn) {
      out["knn_top1"] = report.knn->top1;
      out["knn_k"] = report.knn_k;
      out["knn_temperature"] = report.knn_temperature;
    }
    if (report.linear) {
      out["linear_top1"] = report.linear->top1;
      out["linear_train_top1"] = report.linear_train_top1;
    }
    if (const std::string path = record_path(args); !path.empty()) {
      can::eval::record_evaluation_in(path, report);
      out["eval_json"] = path;
    }
  }
  if (args.pixels) {
    // The baseline sees the images at their native size and channels (no model needed).
    const auto& train = *in.train;
    const int64_t c = train.channels(), side = train.height();
    if (side <= 0 || train.width() != side)
      throw std::runtime_error(train.describe() + ": --pixels needs square images of one size");
    const auto mean = in.data.resolved_mean(c), stdv = in.data.resolved_std(c);
    auto p_train = can::eval::pixel_features(train, args.max_train, c, side, mean, stdv);
    auto p_test = can::eval::pixel_features(*in.test, args.max_test, c, side, mean, stdv);
    auto r =
        can::eval::linear_probe(p_train, in.train_labels, p_test, in.test_labels, in.train->num_classes(), args.probe);
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
  return can::cli::run_tool(
      options, argc, argv, [&args] { check(args); }, [&args] { return run(args); });
}
