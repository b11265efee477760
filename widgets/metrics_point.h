#pragma once
// One training step's metrics as the curves panel receives them (core StepMetrics, copied
// into Qt types by the worker). NaN in an optional field means "not measured this step".

#include <QMetaType>
#include <QVector>
#include <limits>

struct MetricsPoint {
  qint64 step = 0;
  double epoch = 0.0;
  double loss = 0.0;          // weighted total
  double lossInfoNce = 0.0;
  double lossRec = 0.0;
  double lossDenoise = 0.0;
  double lr = 0.0;
  double imgPerS = 0.0;
  double gradNorm = 0.0;
  double contrastiveTop1 = std::numeric_limits<double>::quiet_NaN();
  double knnTop1 = std::numeric_limits<double>::quiet_NaN();
};

Q_DECLARE_METATYPE(MetricsPoint)
Q_DECLARE_METATYPE(QVector<MetricsPoint>)
