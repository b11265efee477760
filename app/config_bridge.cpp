#include "app/config_bridge.h"

#include <stdexcept>

namespace {

QString number(double v) { return QString::number(v, 'g', 10); }

// The key a message of the engine is about: "loss.tau: must be > 0" -> "loss.tau".
QString keyOf(const QString& message) { return message.section(':', 0, 0).trimmed(); }

// Applies every value it can; returns key -> reason for those set_key refused.
QMap<QString, QString> applyAll(const QMap<QString, QString>& values, can::RunConfig& config) {
  QMap<QString, QString> refused;
  auto apply = [&](const QString& key, const QString& value) {
    try {
      config.set_key(key.toStdString(), value.toStdString());
    } catch (const std::invalid_argument& e) {
      refused.insert(key, QString::fromStdString(e.what()));
    }
  };
  if (values.contains("objectives.mode")) apply("objectives.mode", values["objectives.mode"]);
  const bool custom = values.value("objectives.mode") == "custom";
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (it.key() == "objectives.mode") continue;
    // Outside custom mode the mode alone sets the objectives (their boxes only mirror it).
    if (!custom && it.key().startsWith("objectives.")) continue;
    // An empty path means the packaged default; other empty fields are left to the engine.
    apply(it.key(), it.value());
  }
  return refused;
}

}  // namespace

QMap<QString, QString> panelValues(const can::RunConfig& c) {
  return {{"data.dataset", QString::fromStdString(c.data.dataset)},
          {"data.path", QString::fromStdString(c.data.path)},
          {"objectives.mode", QString::fromStdString(c.mode)},
          {"objectives.contrastive", c.objectives.contrastive ? "true" : "false"},
          {"objectives.reconstruction", c.objectives.reconstruction ? "true" : "false"},
          {"objectives.denoise", c.objectives.denoise ? "true" : "false"},
          {"model.preset", QString::fromStdString(c.model.preset)},
          {"model.patch_size", QString::number(c.model.patch_size)},
          {"loss.mask_ratio", number(c.loss.mask_ratio)},
          {"loss.sigma_max", number(c.loss.sigma_max)},
          {"loss.tau", number(c.loss.tau)},
          {"loss.w_infonce", number(c.loss.lambda_c)},
          {"loss.w_rec", number(c.loss.lambda_a)},
          {"loss.w_denoise", number(c.loss.lambda_n)},
          {"train.batch_size", QString::number(c.train.batch_size)},
          {"train.base_lr", number(c.train.base_lr)},
          {"train.epochs", QString::number(c.train.epochs)},
          {"train.seed", QString::number(c.train.seed)},
          {"train.device", QString::fromStdString(c.train.device)}};
}

can::RunConfig configFromPanel(const QMap<QString, QString>& values, const can::RunConfig& base) {
  can::RunConfig config = base;
  const auto refused = applyAll(values, config);
  if (!refused.isEmpty()) throw std::invalid_argument(refused.first().toStdString());
  config.validate();
  return config;
}

QString fieldProblem(const QString& key, const QMap<QString, QString>& values, const can::RunConfig& base) {
  can::RunConfig config = base;
  const auto refused = applyAll(values, config);
  QString reason = refused.value(key);
  if (reason.isEmpty() && refused.isEmpty()) {
    try {
      config.validate();
    } catch (const std::invalid_argument& e) {
      reason = QString::fromStdString(e.what());
      if (keyOf(reason) != key) reason.clear();
    }
  }
  if (reason.isEmpty()) return {};
  const QString prefix = key + ":";
  return reason.startsWith(prefix) ? reason.mid(prefix.size()).trimmed() : reason;
}
