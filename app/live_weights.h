#pragma once
// Live weights: a CPU deep copy of a training run's model taken between two steps
// (TrainingWorker::requestWeights, can::copy_model), with the run's config as in effect then
// and the step. Training never touches the copy again, so it can be read on any thread; it is
// shared read-only (the Inspector's engine and whoever else listens hold the same copy).

#include <QMetaType>
#include <QString>

#include <memory>

#include "core/config/run_config.h"
#include "core/model/can_model.h"

struct LiveWeights {
  can::CanModel model{nullptr};  // eval mode, CPU
  can::RunConfig config;         // loss settings as in effect at `step`
  qint64 step = 0;               // optimizer steps done when copied
  QString runDir;                // the run it comes from ("" without a run folder)
};
Q_DECLARE_METATYPE(std::shared_ptr<const LiveWeights>)
