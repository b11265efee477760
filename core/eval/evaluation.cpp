#include "core/eval/evaluation.h"

#include <chrono>
#include <ctime>

#include "core/config/run_config.h"
#include "core/eval/features.h"
#include "core/io/import_encoder.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_info.h"
#include "core/util/device.h"

namespace can::eval {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// can-export's encoder: the weights file, with the architecture in the .json beside it.
bool is_exported_encoder(const std::string& path) {
  const std::string suffix = ".safetensors";
  return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Refused before anything is loaded: a bad option found after minutes of feature
// extraction would waste them.
void check_request(const EvalRequest& r) {
  if (r.max_train < 0 || r.max_test < 0) throw std::invalid_argument("eval: max_train/max_test must be >= 0");
  if (r.batch_size < 1) throw std::invalid_argument("eval: batch_size must be >= 1");
  if (r.knn_options.k < 1 || !(r.knn_options.temperature > 0.0) || r.knn_options.chunk_size < 1)
    throw std::invalid_argument("eval: kNN k and chunk_size must be >= 1, temperature > 0");
  const LinearProbeOptions& p = r.probe;
  if (p.epochs < 1 || p.batch_size < 1 || !(p.lr > 0.0) || !(p.weight_decay >= 0.0))
    throw std::invalid_argument("eval: probe epochs, batch_size and lr must be positive, weight_decay >= 0");
  if (r.split != "test" && r.split != "val") throw std::invalid_argument("eval: split must be test or val");
}

// LibTorch's archive errors do not name the file; c10::Error is not a std::runtime_error.
template <class Load>
CanModel load_named(const std::string& path, Load load) {
  try {
    return load();
  } catch (const c10::Error& e) {
    throw std::runtime_error(path + ": cannot load the model: " + e.what_without_backtrace());
  }
}

torch::Tensor labels_of(const data::Dataset& ds, int64_t max_images) {
  try {
    return dataset_labels(ds, max_images);
  } catch (const std::invalid_argument& e) {  // an unlabelled image: the data's fault, not the caller's
    throw std::runtime_error(e.what());
  }
}

}  // namespace

EvalInputs open_evaluation(const EvalRequest& request) {
  const auto start = Clock::now();
  check_request(request);
  EvalInputs in;
  if (is_exported_encoder(request.checkpoint)) {
    in.model = load_named(request.checkpoint, [&] { return io::load_exported_encoder(request.checkpoint); });
  } else if (!request.checkpoint.empty()) {
    // Resolved once, so that a run writing a newer checkpoint meanwhile cannot give the
    // model of one step and the step of another.
    const std::string dir = resolve_checkpoint(request.checkpoint);
    RunConfig config;
    in.model = load_named(request.checkpoint, [&] { return load_model(dir, &config); });
    in.data = config.data;
    in.step = checkpoint_step(dir);
  }
  if (!request.dataset.empty()) in.data.dataset = request.dataset;
  if (!request.data_path.empty()) in.data.path = request.data_path;
  in.data.min_image_side = 0;  // evaluation resizes whatever it gets
  if (request.val_images >= 0) in.data.val_images = request.val_images;

  in.train = data::open_dataset(in.data, data::Split::Train);
  in.test = data::open_dataset(in.data, request.split == "val" ? data::Split::Val : data::Split::Test);
  const int64_t num_classes = in.train->num_classes();
  if (num_classes < 2)
    throw std::runtime_error(in.train->describe() + ": kNN and linear probe need a labelled dataset");
  in.train_labels = labels_of(*in.train, request.max_train);
  in.test_labels = labels_of(*in.test, request.max_test);
  if (in.test_labels.numel() > 0 && in.test_labels.max().item<int64_t>() >= num_classes)
    throw std::runtime_error(in.test->describe() + ": has label " +
                             std::to_string(in.test_labels.max().item<int64_t>()) + ", beyond the " +
                             std::to_string(num_classes) + " classes of the train split");
  in.seconds = seconds_since(start);
  return in;
}

EvalReport evaluate(EvalInputs& in, const EvalRequest& request, const ProgressFn& progress,
                    torch::Tensor* test_features) {
  if (!in.model) throw std::invalid_argument("evaluate: no encoder (the request names no checkpoint)");
  if (!request.knn && !request.linear) throw std::invalid_argument("evaluate: neither knn nor linear requested");
  check_request(request);
  const auto start = Clock::now();
  auto report = [&progress](const char* stage, int64_t done, int64_t total) {
    if (progress && !progress(EvalProgress{stage, done, total}))
      throw EvalCancelled(std::string("evaluation cancelled during ") + stage);
  };
  auto hook = [&](const char* stage) -> ProgressHook {
    if (!progress) return {};
    return [&report, stage](int64_t done, int64_t total) { report(stage, done, total); };
  };

  const ModelConfig& cfg = in.model->config();
  const auto mean = in.data.resolved_mean(cfg.in_chans), stdv = in.data.resolved_std(cfg.in_chans);
  const torch::Device device = pick_device(request.device, "device");
  const int64_t num_classes = in.train->num_classes();
  EvalReport r;
  r.checkpoint = request.checkpoint;
  r.step = in.step;
  r.dataset = in.data.dataset;
  r.split = request.split;
  r.class_names = in.train->class_names();
  if (static_cast<int64_t>(r.class_names.size()) != num_classes) r.class_names.clear();  // names must match labels
  r.num_classes = num_classes;
  r.train_images = in.train_labels.size(0);
  r.test_images = in.test_labels.size(0);
  r.device = device.str();

  report("train features", 0, r.train_images);
  auto x_train = extract_features(in.model, *in.train, request.max_train, request.batch_size, mean, stdv, device,
                                  hook("train features"));
  report("test features", 0, r.test_images);
  auto x_test = extract_features(in.model, *in.test, request.max_test, request.batch_size, mean, stdv, device,
                                 hook("test features"));
  r.feature_dim = x_train.size(1);

  if (request.knn) {
    report("knn", 0, r.test_images);
    auto votes = knn_votes(x_train, in.train_labels, x_test, num_classes, request.knn_options, hook("knn"));
    r.knn = scores_from_predictions(votes.argmax(1), in.test_labels, num_classes);
    r.knn_k = request.knn_options.k;
    r.knn_temperature = request.knn_options.temperature;
  }
  if (request.linear) {
    report("linear probe", 0, request.probe.epochs);
    auto probe = linear_probe(x_train, in.train_labels, x_test, in.test_labels, num_classes, request.probe,
                              hook("linear probe"));
    r.linear = scores_from_predictions(probe.test_predictions, in.test_labels, num_classes);
    r.linear->top1 = probe.test_top1;  // the same number (same formula), taken as the probe gives it
    r.linear_train_top1 = probe.train_top1;
    r.linear_epochs = request.probe.epochs;
    r.linear_lr = request.probe.lr;
  }
  if (test_features) *test_features = x_test;
  r.seconds = in.seconds + seconds_since(start);
  r.time = utc_now();
  return r;
}

EvalReport evaluate(const EvalRequest& request, const ProgressFn& progress) {
  if (request.checkpoint.empty()) throw std::invalid_argument("evaluate: the request names no checkpoint");
  EvalInputs in = open_evaluation(request);
  return evaluate(in, request, progress);
}

}  // namespace can::eval
