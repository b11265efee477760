#include "core/train/metrics_log.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>

namespace can {

namespace {

// The fields measured on some steps only (accuracies, objective balance, resources),
// written and read under their own names (observer.h).
struct OptionalField {
  const char* key;
  std::optional<double> StepMetrics::*field;
};
const OptionalField kOptionalFields[] = {
    {"contrastive_top1", &StepMetrics::contrastive_top1},
    {"knn_top1", &StepMetrics::knn_top1},
    {"grad_norm_infonce", &StepMetrics::grad_norm_infonce},
    {"grad_norm_rec", &StepMetrics::grad_norm_rec},
    {"grad_norm_denoise", &StepMetrics::grad_norm_denoise},
    {"grad_cos_c_a", &StepMetrics::grad_cos_c_a},
    {"grad_cos_c_n", &StepMetrics::grad_cos_c_n},
    {"grad_cos_a_n", &StepMetrics::grad_cos_a_n},
    {"grad_share_infonce", &StepMetrics::grad_share_infonce},
    {"grad_share_rec", &StepMetrics::grad_share_rec},
    {"grad_share_denoise", &StepMetrics::grad_share_denoise},
    {"health_std_ratio", &StepMetrics::health_std_ratio},
    {"health_effective_rank", &StepMetrics::health_effective_rank},
    {"health_alignment", &StepMetrics::health_alignment},
    {"health_uniformity", &StepMetrics::health_uniformity},
    {"health_pos_cos", &StepMetrics::health_pos_cos},
    {"health_neg_cos", &StepMetrics::health_neg_cos},
    {"cpu_percent", &StepMetrics::cpu_percent},
    {"rss_mib", &StepMetrics::rss_mib},
    {"gpu_mem_mib", &StepMetrics::gpu_mem_mib},
    {"gpu_reserved_mib", &StepMetrics::gpu_reserved_mib},
};

}  // namespace

MetricsLog::MetricsLog(const std::string& path) : out_(path, std::ios::app) {
  if (!out_) throw std::runtime_error(path + ": cannot open for writing");
}

void MetricsLog::append(const StepMetrics& m) {
  nlohmann::json j{{"step", m.step},       {"epoch", m.epoch},
                   {"loss", m.loss},       {"loss_infonce", m.loss_info_nce},
                   {"loss_rec", m.loss_rec}, {"loss_denoise", m.loss_denoise},
                   {"lr", m.lr},           {"img_per_s", m.img_per_s},
                   {"grad_norm", m.grad_norm}, {"skipped_files", m.skipped_files}};
  // Absent = not measured this step: the key is left out rather than written as null, so
  // a reader of an old file and of a new one sees the same thing.
  for (const OptionalField& f : kOptionalFields)
    if (const auto& v = m.*f.field) j[f.key] = *v;
  out_ << j.dump() << '\n';
  out_.flush();
}

std::vector<StepMetrics> read_metrics_log(const std::string& path, int64_t last_step) {
  std::ifstream in(path);
  std::vector<StepMetrics> out;
  std::string line;
  while (std::getline(in, line)) {
    StepMetrics m;
    try {
      const auto j = nlohmann::json::parse(line);
      m.step = j.at("step").get<int64_t>();
      m.epoch = j.value("epoch", 0.0);
      m.loss = j.at("loss").get<double>();
      m.loss_info_nce = j.value("loss_infonce", 0.0);
      m.loss_rec = j.value("loss_rec", 0.0);
      m.loss_denoise = j.value("loss_denoise", 0.0);
      m.lr = j.value("lr", 0.0);
      m.img_per_s = j.value("img_per_s", 0.0);
      m.grad_norm = j.value("grad_norm", 0.0);
      m.skipped_files = j.value("skipped_files", int64_t{0});
      // null is what nlohmann writes for a NaN or infinite value (a cosine of a zero
      // gradient): read as not measured instead of losing the whole line to a type error.
      for (const OptionalField& f : kOptionalFields)
        if (j.contains(f.key) && !j[f.key].is_null()) m.*f.field = j[f.key].get<double>();
    } catch (const nlohmann::json::exception&) {
      continue;
    }
    if (last_step >= 0 && m.step > last_step) continue;
    // A step at or before the last one kept starts a resumed stretch: drop what it replays.
    while (!out.empty() && out.back().step >= m.step) out.pop_back();
    out.push_back(m);
  }
  return out;
}

}  // namespace can
