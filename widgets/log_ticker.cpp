#include "widgets/log_ticker.h"

#include <cmath>

QVector<double> LossLogTicker::createTickVector(double tickStep, const QCPRange& range) {
  mantissaTicks_ = false;
  if (!(range.lower > 0.0) || !(range.upper > range.lower))
    return QCPAxisTickerLog::createTickVector(tickStep, range);
  const double decades = std::log10(range.upper / range.lower);
  static const QVector<double> fine = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
  static const QVector<double> medium = {1, 2, 3, 5};
  static const QVector<double> coarse = {1, 2, 5};
  const QVector<double>* mantissas =
      decades <= 0.5 ? &fine : decades <= 1.2 ? &medium : decades <= 2.5 ? &coarse : nullptr;
  if (!mantissas) return QCPAxisTickerLog::createTickVector(tickStep, range);
  mantissaTicks_ = true;
  QVector<double> ticks;
  int inRange = 0;
  const int firstExp = static_cast<int>(std::floor(std::log10(range.lower)));
  const int lastExp = static_cast<int>(std::ceil(std::log10(range.upper)));
  for (int e = firstExp; e <= lastExp; ++e) {
    for (double m : *mantissas) {
      const double v = m * std::pow(10.0, e);
      ticks.append(v);
      if (v >= range.lower && v <= range.upper) ++inRange;
    }
  }
  if (inRange >= 2) return ticks;
  return QCPAxisTicker::createTickVector(QCPAxisTicker::getTickStep(range), range);
}

QVector<double> LossLogTicker::createSubTickVector(int subTickCount,
                                                   const QVector<double>& ticks) {
  if (mantissaTicks_) return {};  // uneven spacing: sub-ticks would only add noise
  return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
}

QVector<double> SparseLogTicker::createTickVector(double tickStep, const QCPRange& range) {
  linearTicks_ = false;
  QVector<double> ticks = QCPAxisTickerLog::createTickVector(tickStep, range);
  int inRange = 0;
  for (double t : ticks) inRange += range.contains(t) ? 1 : 0;
  if (inRange >= 2 || !(range.lower > 0.0) || !(range.upper > range.lower)) return ticks;
  linearTicks_ = true;
  return QCPAxisTicker::createTickVector(QCPAxisTicker::getTickStep(range), range);
}

QVector<double> SparseLogTicker::createSubTickVector(int subTickCount, const QVector<double>& ticks) {
  if (linearTicks_) return {};  // a log axis's sub-ticks between linear ticks mean nothing
  return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
}
