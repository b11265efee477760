#pragma once
// The result of evaluating one checkpoint (docs/evaluation.md "eval.json"): what was scored,
// each protocol's top-1 with its per-class top-1 and confusion matrix, and how. A run keeps
// its reports in RUN/eval.json, one per evaluated step and dataset, read by the studio,
// can-eval and the runs browser; this file is that format's one reader and writer.

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace can::eval {

// The version in eval.json's "format"; a reader refuses other versions by name.
inline constexpr int kEvalJsonFormat = 1;

// One protocol's scores on the test set.
struct ProtocolScores {
  double top1 = 0.0;                            // accuracy in [0, 1]
  std::vector<double> per_class_top1;           // [num_classes]: accuracy on the test images of
                                                // each true class; 0 for a class with none
                                                // (its confusion row is all zeros)
  std::vector<std::vector<int64_t>> confusion;  // [num_classes][num_classes] counts: rows =
                                                // true class, columns = predicted class
};

struct EvalReport {
  std::string checkpoint;                // the path as given
  int64_t step = -1;                     // the checkpoint's step; -1 for an exported encoder
  std::string dataset;                   // data.dataset, e.g. "fashion-mnist"
  std::string split = "test";            // the split scored: "test" or "val" (data.val_images)
  std::vector<std::string> class_names;  // num_classes names in label order, or none
  int64_t num_classes = 0;
  int64_t train_images = 0, test_images = 0;
  int64_t feature_dim = 0;
  std::string device;    // where the encoder ran, "cpu" / "cuda:0"
  double seconds = 0.0;  // wall time of the evaluation, loading included
  std::string time;      // when it finished, UTC, "2026-12-01T03:10:00Z"

  std::optional<ProtocolScores> knn;  // absent when kNN was not run
  int64_t knn_k = 20;
  double knn_temperature = 0.07;

  std::optional<ProtocolScores> linear;  // absent when the linear probe was not run
  double linear_train_top1 = 0.0;
  int64_t linear_epochs = 0;
  double linear_lr = 0.0;
};

// Scores of predictions [N] against the true labels [N] (integer tensors, values in
// [0, num_classes)). top1 is computed as the protocols compute theirs (the mean of
// predicted == truth in double), so it equals knn_top1 / LinearProbeResult::test_top1 for
// the same predictions. Throws std::invalid_argument for mismatched shapes, num_classes < 1
// or a value out of range.
ProtocolScores scores_from_predictions(const torch::Tensor& predicted, const torch::Tensor& truth, int64_t num_classes);

// A report as one element of eval.json's "evaluations" (format above).
nlohmann::json to_json(const EvalReport& report);
// The inverse. Throws std::runtime_error naming the missing or bad field ("knn.confusion:
// expected 10 rows of 10 counts").
EvalReport report_from_json(const nlohmann::json& j);

// RUN/eval.json.
std::string eval_json_path(const std::string& run_dir);

// The reports of an eval.json, in file order (sorted by step). A missing file gives none;
// an unreadable, corrupt or too large one, or one of another format, throws
// std::runtime_error naming the file and what is wrong ("RUN/eval.json: evaluations[2]:
// knn.top1: missing").
std::vector<EvalReport> read_eval_json(const std::string& path);

// Writes reports as an eval.json, atomically (readers see the old file or the new one).
void write_eval_json(const std::string& path, const std::vector<EvalReport>& reports);

// Adds a report to the eval.json at `path`: a report of the same step, dataset and split
// is replaced, otherwise it is inserted after the reports of smaller or equal steps, so the file
// stays sorted by step. Read-modify-write under a lock on the file's folder (io::FileLock),
// so writers recording into one file at the same moment keep every report, and atomic for
// readers. A corrupt file is not overwritten: read_eval_json's error passes.
void record_evaluation_in(const std::string& path, const EvalReport& report);
// record_evaluation_in(eval_json_path(run_dir), report).
void record_evaluation(const std::string& run_dir, const EvalReport& report);

}  // namespace can::eval
