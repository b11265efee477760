#include "app/config_bridge.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/config/settings_schema.h"

namespace {

// What the form shows, top to bottom: the data, the objectives, the model, the loss, the
// optimisation. Every other key keeps the value of the loaded preset or run.
const char* const kFormKeys[] = {"data.dataset",
                                 "data.path",
                                 "objectives.mode",
                                 "objectives.contrastive",
                                 "objectives.reconstruction",
                                 "objectives.denoise",
                                 "data.augment.preset",
                                 "model.preset",
                                 "model.patch_size",
                                 "loss.mask_ratio",
                                 "loss.sigma_max",
                                 "loss.tau",
                                 "loss.w_infonce",
                                 "loss.w_rec",
                                 "loss.w_denoise",
                                 "train.batch_size",
                                 "train.base_lr",
                                 "train.epochs",
                                 "train.seed",
                                 "train.device"};

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

QList<SetupField> setupFields() {
  QList<SetupField> fields;
  for (const char* key : kFormKeys) {
    const can::SettingSpec& spec = *can::find_setting(key);
    SetupField f;
    f.key = QString::fromStdString(spec.key);
    f.kind = spec.type == can::SettingType::kBool     ? SetupField::Kind::kCheck
             : spec.type == can::SettingType::kChoice ? SetupField::Kind::kChoice
                                                      : SetupField::Kind::kLine;
    for (const std::string& c : spec.choices) f.choices << QString::fromStdString(c);
    f.help = QString::fromStdString(spec.help);
    f.range = QString::fromStdString(spec.range_text());
    f.special = QString::fromStdString(spec.special);
    f.live = spec.live;
    for (const auto& [mode, value] : spec.mode_values)
      f.modeValues.insert(QString::fromStdString(mode), QString::fromStdString(value));
    fields << f;
  }
  return fields;
}

QMap<QString, QString> panelValues(const can::RunConfig& c) {
  const nlohmann::json j = c;
  QMap<QString, QString> values;
  for (const char* key : kFormKeys) {
    std::string path = std::string("/") + key;
    std::replace(path.begin(), path.end(), '.', '/');
    const nlohmann::json& v = j.at(nlohmann::json::json_pointer(path));
    QString text;
    if (v.is_string())
      text = QString::fromStdString(v.get<std::string>());
    else if (v.is_boolean())
      text = v.get<bool>() ? "true" : "false";
    else if (v.is_number_integer())
      text = QString::fromStdString(v.dump());
    else
      text = number(v.get<double>());
    values.insert(key, text);
  }
  return values;
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
