#include "core/train/metrics_log.h"

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>

namespace can {

MetricsLog::MetricsLog(const std::string& path) : out_(path, std::ios::app) {
  if (!out_) throw std::runtime_error(path + ": cannot open for writing");
}

void MetricsLog::append(const StepMetrics& m) {
  nlohmann::json j{{"step", m.step},       {"epoch", m.epoch},
                   {"loss", m.loss},       {"loss_infonce", m.loss_info_nce},
                   {"loss_rec", m.loss_rec}, {"loss_denoise", m.loss_denoise},
                   {"lr", m.lr},           {"img_per_s", m.img_per_s},
                   {"grad_norm", m.grad_norm}, {"skipped_files", m.skipped_files}};
  if (m.contrastive_top1) j["contrastive_top1"] = *m.contrastive_top1;
  if (m.knn_top1) j["knn_top1"] = *m.knn_top1;
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
      if (j.contains("contrastive_top1")) m.contrastive_top1 = j["contrastive_top1"].get<double>();
      if (j.contains("knn_top1")) m.knn_top1 = j["knn_top1"].get<double>();
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
