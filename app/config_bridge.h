#pragma once
// Between the run setup panel's fields ("loss.tau" -> "0.1") and the engine's RunConfig:
// the same keys and the same validation as can-train's --set, so the studio refuses a
// value for the same reason the headless tool would.

#include <QMap>
#include <QString>

#include "core/config/run_config.h"
#include "widgets/run_setup_panel.h"

// The keys of the studio's setup form, in its order, each described by the engine's
// settings schema (kind, choices, help, range, live, per-mode values).
QList<SetupField> setupFields();

// The form's keys with the config's values, as text ("0.5", "true", "simclr").
QMap<QString, QString> panelValues(const can::RunConfig& config);

// `base` with the panel's values applied (objectives.mode first, so that explicit switches
// and the mask ratio win over it) and validated. Throws std::invalid_argument whose message
// starts with the key.
can::RunConfig configFromPanel(const QMap<QString, QString>& values, const can::RunConfig& base);

// "" when `key` is fine with all `values` on top of `base`, else the engine's reason (without
// the leading "key: ").
QString fieldProblem(const QString& key, const QMap<QString, QString>& values, const can::RunConfig& base);
