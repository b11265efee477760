#pragma once
// Shared by the curves panel's objective-balance tests: runs with balance measurements whose
// values are written out here (not read from the panel), and graph contents as plain vectors.

#include <qcustomplot.h>

#include <QStringList>
#include <QVector>
#include <cmath>
#include <functional>
#include <limits>

#include "widgets/metrics_point.h"

namespace curves_test {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline const QStringList kBalanceTerms = {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise",
                                          "grad_cos_c_a",      "grad_cos_c_n",  "grad_cos_a_n"};

// The six values of a balance step, written out here rather than read from the panel.
// Norms spanning four decades (as real runs do), cosines across [-1, 1].
inline double expectedBalance(int term, qint64 step) {
  const double s = static_cast<double>(step);
  switch (term) {
    case 0:
      return 0.8 * std::exp(-s / 150.0);
    case 1:
      return 2.0e-3 * (1.0 + s / 60.0);
    case 2:
      return 40.0 / s;
    case 3:
      return 0.9 * std::cos(s / 40.0);
    case 4:
      return -0.3 + s / 1000.0;
    default:
      return std::sin(s / 25.0);
  }
}

inline double MetricsPoint::*const kFields[] = {&MetricsPoint::gradNormInfoNce, &MetricsPoint::gradNormRec,
                                                &MetricsPoint::gradNormDenoise, &MetricsPoint::gradCosCA,
                                                &MetricsPoint::gradCosCN,       &MetricsPoint::gradCosAN};

// Steps 1..last with plausible losses; every `every`-th step measures the balance terms
// `on` says are on (a cosine is on when both of its norms are).
inline QVector<MetricsPoint> makePoints(qint64 first, qint64 last, int every, const std::function<bool(int)>& on) {
  QVector<MetricsPoint> out;
  for (qint64 step = first; step <= last; ++step) {
    MetricsPoint p;
    const double s = static_cast<double>(step);
    p.step = step;
    p.epoch = s / 8.0;
    p.lossInfoNce = 4.0 * std::exp(-s / 60.0) + 0.9;
    p.lossRec = 0.8 * std::exp(-s / 90.0) + 0.25;
    p.lossDenoise = on(2) ? 0.3 * std::exp(-s / 40.0) + 0.05 : 0.0;
    p.loss = p.lossInfoNce + p.lossRec + p.lossDenoise;
    p.lr = 1e-4;
    p.imgPerS = 800.0;
    p.gradNorm = 1.0;
    if (every > 0 && step % every == 0)
      for (int term = 0; term < 6; ++term)
        if (on(term)) p.*kFields[term] = expectedBalance(term, step);
    out.append(p);
  }
  return out;
}

inline bool allOn(int) { return true; }
// N off: its norm and both cosines with it are never measured.
inline bool nOff(int term) { return term != 2 && term != 4 && term != 5; }

inline QVector<double> keysOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(it->key);
  return out;
}

inline QVector<double> valuesOf(const QCPGraph* g) {
  QVector<double> out;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(it->value);
  return out;
}

inline QStringList legendNames(const QCPLegend* legend) {
  QStringList out;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) out << item->plottable()->name();
  return out;
}

}  // namespace curves_test
