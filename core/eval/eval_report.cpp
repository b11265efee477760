#include "core/eval/eval_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/file_lock.h"
#include "core/util/json_limits.h"
#include "core/util/number_text.h"

namespace can::eval {

namespace {

using json = nlohmann::json;

// eval.json grows by one report per evaluated step; a 100-class report is ~100 KB, so this
// bound leaves room for a thousand of them while refusing to read a stray huge file.
constexpr std::streamsize kMaxEvalJsonBytes = 64 * 1024 * 1024;

[[noreturn]] void bad(const std::string& field, const std::string& problem) {
  throw std::runtime_error(field + ": " + problem);
}

// Field readers: `name` is the field's full name in messages ("knn.top1").
const json& member(const json& j, const std::string& prefix, const char* key) {
  if (!j.contains(key)) bad(prefix + key, "missing");
  return j.at(key);
}

std::string read_string(const json& j, const std::string& prefix, const char* key) {
  const json& v = member(j, prefix, key);
  if (!v.is_string()) bad(prefix + key, "expected a string, got " + clip_json(v));
  return v.get<std::string>();
}

int64_t as_count(const json& v, const std::string& name, int64_t min) {
  const bool fits = v.is_number_integer() &&
                    !(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()));
  if (!fits || v.get<int64_t>() < min)
    bad(name, "expected an integer >= " + std::to_string(min) + ", got " + clip_json(v));
  return v.get<int64_t>();
}

int64_t read_count(const json& j, const std::string& prefix, const char* key, int64_t min = 0) {
  return as_count(member(j, prefix, key), prefix + key, min);
}

double as_number(const json& v, const std::string& name, double lo, double hi) {
  if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
    bad(name, (hi < std::numeric_limits<double>::max()
                   ? "expected a number in [" + number_text(lo) + ", " + number_text(hi) + "]"
               : lo > 0.0 ? std::string("expected a positive number")
                          : "expected a number >= " + number_text(lo)) +
                  ", got " + clip_json(v));
  return v.get<double>();
}

double read_number(const json& j, const std::string& prefix, const char* key, double lo = 0.0,
                   double hi = std::numeric_limits<double>::max()) {
  return as_number(member(j, prefix, key), prefix + key, lo, hi);
}

ProtocolScores read_scores(const json& j, const std::string& prefix, int64_t num_classes) {
  if (!j.is_object()) bad(prefix.substr(0, prefix.size() - 1), "expected an object");
  ProtocolScores s;
  s.top1 = read_number(j, prefix, "top1", 0.0, 1.0);
  const json& per_class = member(j, prefix, "per_class_top1");
  if (!per_class.is_array() || static_cast<int64_t>(per_class.size()) != num_classes)
    bad(prefix + "per_class_top1", "expected " + std::to_string(num_classes) + " numbers");
  for (size_t c = 0; c < per_class.size(); ++c)
    s.per_class_top1.push_back(as_number(per_class[c], prefix + "per_class_top1[" + std::to_string(c) + "]", 0.0, 1.0));
  const json& confusion = member(j, prefix, "confusion");
  const std::string shape =
      "expected " + std::to_string(num_classes) + " rows of " + std::to_string(num_classes) + " counts";
  if (!confusion.is_array() || static_cast<int64_t>(confusion.size()) != num_classes) bad(prefix + "confusion", shape);
  for (size_t r = 0; r < confusion.size(); ++r) {
    const json& row = confusion[r];
    if (!row.is_array() || static_cast<int64_t>(row.size()) != num_classes) bad(prefix + "confusion", shape);
    std::vector<int64_t> counts;
    for (size_t c = 0; c < row.size(); ++c)
      counts.push_back(as_count(row[c], prefix + "confusion[" + std::to_string(r) + "][" + std::to_string(c) + "]", 0));
    s.confusion.push_back(std::move(counts));
  }
  return s;
}

json scores_json(const ProtocolScores& s) {
  return json{{"top1", s.top1}, {"per_class_top1", s.per_class_top1}, {"confusion", s.confusion}};
}

}  // namespace

ProtocolScores scores_from_predictions(const torch::Tensor& predicted, const torch::Tensor& truth,
                                       int64_t num_classes) {
  if (num_classes < 1) throw std::invalid_argument("scores: num_classes must be >= 1");
  if (!predicted.defined() || !truth.defined() || predicted.dim() != 1 || truth.dim() != 1 ||
      predicted.size(0) != truth.size(0))
    throw std::invalid_argument("scores: predictions and labels must both be [N]");
  if (predicted.is_floating_point() || truth.is_floating_point())
    throw std::invalid_argument("scores: predictions and labels must be integers");
  const auto p = predicted.to(torch::kCPU, torch::kInt64).contiguous();
  const auto t = truth.to(torch::kCPU, torch::kInt64).contiguous();
  const int64_t* pp = p.data_ptr<int64_t>();
  const int64_t* tp = t.data_ptr<int64_t>();
  const auto k = static_cast<size_t>(num_classes);
  ProtocolScores s;
  s.confusion.assign(k, std::vector<int64_t>(k, 0));
  for (int64_t i = 0; i < p.size(0); ++i) {
    if (pp[i] < 0 || pp[i] >= num_classes || tp[i] < 0 || tp[i] >= num_classes)
      throw std::invalid_argument("scores: row " + std::to_string(i) + " has a class outside [0, " +
                                  std::to_string(num_classes) + ")");
    ++s.confusion[static_cast<size_t>(tp[i])][static_cast<size_t>(pp[i])];
  }
  s.per_class_top1.assign(k, 0.0);
  for (size_t c = 0; c < k; ++c) {
    int64_t row = 0;
    for (int64_t n : s.confusion[c]) row += n;
    if (row > 0) s.per_class_top1[c] = static_cast<double>(s.confusion[c][c]) / static_cast<double>(row);
  }
  // As knn_top1 and the linear probe compute theirs, so the numbers are the same bits.
  s.top1 = p.size(0) == 0 ? 0.0 : p.eq(t).to(torch::kFloat64).mean().item<double>();
  return s;
}

json to_json(const EvalReport& r) {
  json j{{"checkpoint", r.checkpoint},     {"step", r.step},
         {"dataset", r.dataset},           {"split", r.split},
         {"class_names", r.class_names},   {"num_classes", r.num_classes},
         {"train_images", r.train_images}, {"test_images", r.test_images},
         {"feature_dim", r.feature_dim},   {"device", r.device},
         {"seconds", r.seconds},           {"time", r.time}};
  if (r.knn) {
    json k = scores_json(*r.knn);
    k["k"] = r.knn_k;
    k["temperature"] = r.knn_temperature;
    j["knn"] = std::move(k);
  }
  if (r.linear) {
    json l = scores_json(*r.linear);
    l["train_top1"] = r.linear_train_top1;
    l["epochs"] = r.linear_epochs;
    l["lr"] = r.linear_lr;
    j["linear"] = std::move(l);
  }
  return j;
}

EvalReport report_from_json(const json& j) {
  if (!j.is_object()) bad("report", "expected an object, got " + clip_json(j));
  EvalReport r;
  r.checkpoint = read_string(j, "", "checkpoint");
  r.step = read_count(j, "", "step", -1);
  r.dataset = read_string(j, "", "dataset");
  r.split = j.contains("split") ? read_string(j, "", "split") : "test";  // files from before the key: test
  if (r.split != "test" && r.split != "val") bad("split", "expected \"test\" or \"val\", got " + clip_json(j["split"]));
  r.num_classes = read_count(j, "", "num_classes");
  const json& names = member(j, "", "class_names");
  if (!names.is_array() || (!names.empty() && static_cast<int64_t>(names.size()) != r.num_classes))
    bad("class_names", "expected none or " + std::to_string(r.num_classes) + " strings");
  for (const json& name : names) {
    if (!name.is_string()) bad("class_names", "expected strings, got " + clip_json(name));
    r.class_names.push_back(name.get<std::string>());
  }
  r.train_images = read_count(j, "", "train_images");
  r.test_images = read_count(j, "", "test_images");
  r.feature_dim = read_count(j, "", "feature_dim");
  r.device = read_string(j, "", "device");
  r.seconds = read_number(j, "", "seconds");
  r.time = read_string(j, "", "time");
  if (j.contains("knn")) {
    r.knn = read_scores(j["knn"], "knn.", r.num_classes);
    r.knn_k = read_count(j["knn"], "knn.", "k", 1);
    r.knn_temperature = read_number(j["knn"], "knn.", "temperature", std::numeric_limits<double>::min());
  }
  if (j.contains("linear")) {
    r.linear = read_scores(j["linear"], "linear.", r.num_classes);
    r.linear_train_top1 = read_number(j["linear"], "linear.", "train_top1", 0.0, 1.0);
    r.linear_epochs = read_count(j["linear"], "linear.", "epochs", 1);
    r.linear_lr = read_number(j["linear"], "linear.", "lr");
  }
  return r;
}

std::string eval_json_path(const std::string& run_dir) {
  return (std::filesystem::path(run_dir) / "eval.json").string();
}

std::vector<EvalReport> read_eval_json(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return {};
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open");
  std::string text(static_cast<size_t>(kMaxEvalJsonBytes) + 1, '\0');
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(f.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxEvalJsonBytes)
    throw std::runtime_error(path + ": larger than " + std::to_string(kMaxEvalJsonBytes >> 20) + " MiB");
  json j;
  try {
    j = parse_json_bounded(text.data(), text.data() + text.size());
  } catch (const JsonTextError& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error(path + ": not a JSON object");
  if (!j.contains("format")) throw std::runtime_error(path + ": format: missing");
  if (j["format"] != kEvalJsonFormat)
    throw std::runtime_error(path + ": format " + clip_json(j["format"]) + " is not supported (this build reads " +
                             std::to_string(kEvalJsonFormat) + ")");
  if (!j.contains("evaluations") || !j["evaluations"].is_array())
    throw std::runtime_error(path + ": evaluations: expected an array");
  std::vector<EvalReport> reports;
  for (size_t i = 0; i < j["evaluations"].size(); ++i) {
    try {
      reports.push_back(report_from_json(j["evaluations"][i]));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(path + ": evaluations[" + std::to_string(i) + "]: " + e.what());
    }
  }
  return reports;
}

void write_eval_json(const std::string& path, const std::vector<EvalReport>& reports) {
  json evaluations = json::array();
  for (const EvalReport& r : reports) evaluations.push_back(to_json(r));
  const json file{{"format", kEvalJsonFormat}, {"evaluations", std::move(evaluations)}};
  // A folder name (class name, checkpoint path) need not be UTF-8; replaced, not refused.
  io::write_file_atomic(path, file.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

void record_evaluation_in(const std::string& path, const EvalReport& report) {
  // Two can-eval processes may record into one run's eval.json at once (a sweep with
  // --parallel, or the studio beside a script): the lock on its folder makes each
  // read-modify-write whole, so neither report is lost.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const io::FileLock lock(parent.empty() ? "." : parent.string());
  std::vector<EvalReport> reports = read_eval_json(path);
  auto same = std::find_if(reports.begin(), reports.end(), [&](const EvalReport& r) {
    return r.step == report.step && r.dataset == report.dataset && r.split == report.split;
  });
  if (same != reports.end()) {
    *same = report;
  } else {
    auto after = std::upper_bound(reports.begin(), reports.end(), report.step,
                                  [](int64_t step, const EvalReport& r) { return step < r.step; });
    reports.insert(after, report);
  }
  write_eval_json(path, reports);
}

void record_evaluation(const std::string& run_dir, const EvalReport& report) {
  record_evaluation_in(eval_json_path(run_dir), report);
}

}  // namespace can::eval
