#pragma once
// The loss axis ticker of CurvesPanel when it is logarithmic.
//
// This header includes qcustomplot.h, which uses the `signals`/`slots` keywords: include it
// from .cpp files only, never from a header that app code (built with QT_NO_KEYWORDS) sees.

#include <qcustomplot.h>

// Log-axis ticks a loss curve can be read against: QCPAxisTickerLog labels powers of 10
// only, so a loss spanning less than a decade (most of a run) got one label or none. Below
// ~2.5 decades the ticks are mantissas 1-2-5 (finer when narrower) of each power, and plain
// linear ticks when even those leave fewer than two labels.
class LossLogTicker : public QCPAxisTickerLog {
 protected:
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
  QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;

 private:
  bool mantissaTicks_ = false;  // the last tick vector was mantissa ticks
};

// The objective-balance rect's gradient-norm axis: a strip a few dozen pixels tall, where
// LossLogTicker's mantissa ticks would overlap. Powers of ten, about tickCount() of them;
// plain linear ticks when the range holds fewer than two.
class SparseLogTicker : public QCPAxisTickerLog {
 protected:
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
  QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;

 private:
  bool linearTicks_ = false;  // the last tick vector was the linear fallback
};
