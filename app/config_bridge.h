#pragma once
// Between the run setup panel's fields ("loss.tau" -> "0.1") and the engine's RunConfig:
// the same keys and the same validation as can-train's --set, so the studio refuses a
// value for the same reason the headless tool would.

#include <QMap>
#include <QString>

#include "core/config/run_config.h"

// The panel's keys with the config's values.
QMap<QString, QString> panelValues(const can::RunConfig& config);

// `base` with the panel's values applied (objectives.mode first, so that explicit switches
// and the mask ratio win over it) and validated. Throws std::invalid_argument whose message
// starts with the key.
can::RunConfig configFromPanel(const QMap<QString, QString>& values, const can::RunConfig& base);

// "" when `key` is fine with all `values` on top of `base`, else the engine's reason (without
// the leading "key: ").
QString fieldProblem(const QString& key, const QMap<QString, QString>& values, const can::RunConfig& base);
