#include "widgets/curve_data.h"

#include <QByteArray>
#include <QLocale>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Loss terms in drawing order of the legend: the total first.
const char* const kLossTermKeys[] = {"loss", "loss_infonce", "loss_rec", "loss_denoise"};
double MetricsPoint::*const kLossFields[] = {&MetricsPoint::loss, &MetricsPoint::lossInfoNce,
                                             &MetricsPoint::lossRec, &MetricsPoint::lossDenoise};
static_assert(std::size(kLossTermKeys) == CurveData::kLossTerms);
static_assert(std::size(kLossFields) == CurveData::kLossTerms);

// Balance terms in legend order: the three norms, then the three cosines.
const char* const kBalanceTermKeys[] = {"grad_norm_infonce", "grad_norm_rec", "grad_norm_denoise",
                                        "grad_cos_c_a",      "grad_cos_c_n",  "grad_cos_a_n"};
double MetricsPoint::*const kBalanceFields[] = {&MetricsPoint::gradNormInfoNce, &MetricsPoint::gradNormRec,
                                                &MetricsPoint::gradNormDenoise, &MetricsPoint::gradCosCA,
                                                &MetricsPoint::gradCosCN,       &MetricsPoint::gradCosAN};
static_assert(std::size(kBalanceTermKeys) == CurveData::kBalanceTerms);
static_assert(std::size(kBalanceFields) == CurveData::kBalanceTerms);

// Every CSV column but step, in file order.
struct Column {
  const char* name;
  double MetricsPoint::*field;
};
const Column kColumns[] = {
    {"epoch", &MetricsPoint::epoch},
    {"loss", &MetricsPoint::loss},
    {"loss_infonce", &MetricsPoint::lossInfoNce},
    {"loss_rec", &MetricsPoint::lossRec},
    {"loss_denoise", &MetricsPoint::lossDenoise},
    {"lr", &MetricsPoint::lr},
    {"img_per_s", &MetricsPoint::imgPerS},
    {"grad_norm", &MetricsPoint::gradNorm},
    {"contrastive_top1", &MetricsPoint::contrastiveTop1},
    {"knn_top1", &MetricsPoint::knnTop1},
    {"grad_norm_infonce", &MetricsPoint::gradNormInfoNce},
    {"grad_norm_rec", &MetricsPoint::gradNormRec},
    {"grad_norm_denoise", &MetricsPoint::gradNormDenoise},
    {"grad_cos_c_a", &MetricsPoint::gradCosCA},
    {"grad_cos_c_n", &MetricsPoint::gradCosCN},
    {"grad_cos_a_n", &MetricsPoint::gradCosAN},
    {"grad_share_infonce", &MetricsPoint::gradShareInfoNce},
    {"grad_share_rec", &MetricsPoint::gradShareRec},
    {"grad_share_denoise", &MetricsPoint::gradShareDenoise},
    {"health_std_ratio", &MetricsPoint::healthStdRatio},
    {"health_effective_rank", &MetricsPoint::healthEffectiveRank},
    {"health_alignment", &MetricsPoint::healthAlignment},
    {"health_uniformity", &MetricsPoint::healthUniformity},
    {"health_pos_cos", &MetricsPoint::healthPosCos},
    {"health_neg_cos", &MetricsPoint::healthNegCos},
    {"cpu_percent", &MetricsPoint::cpuPercent},
    {"rss_mib", &MetricsPoint::rssMib},
    {"gpu_mem_mib", &MetricsPoint::gpuMemMib},
    {"gpu_reserved_mib", &MetricsPoint::gpuReservedMib},
};

QString fmt(double v) { return QString::number(v, 'g', 4); }

QString csvField(double v) {
  return std::isnan(v) ? QString() : QString::number(v, 'g', QLocale::FloatingPointShortest);
}

}  // namespace

// ---- smoothing -----------------------------------------------------------------------------

CurveData::Ema::Ema(double w) : weight(w), last(kNaN) {}

double CurveData::Ema::push(double x) {
  if (std::isnan(x)) return last;  // skipped: t does not advance
  ++t;
  s = weight * s + (1.0 - weight) * x;
  last = s / (1.0 - std::pow(weight, t));
  return last;
}

QVector<double> CurveData::smooth(const QVector<double>& raw, double weight) {
  Ema ema(weight);
  QVector<double> out;
  out.reserve(raw.size());
  for (double x : raw) out.append(ema.push(x));
  return out;
}

// ---- terms ---------------------------------------------------------------------------------

double CurveData::keyOf(const MetricsPoint& p, Key key) {
  return key == Key::Step ? static_cast<double>(p.step) : p.epoch;
}

double CurveData::lossTermValue(const MetricsPoint& p, int term) {
  return p.*kLossFields[term];
}

int CurveData::lossTermIndex(const QString& term) {
  for (int i = 0; i < kLossTerms; ++i)
    if (term == QLatin1String(kLossTermKeys[i])) return i;
  return -1;
}

double CurveData::balanceValue(const MetricsPoint& p, int term) { return p.*kBalanceFields[term]; }

double CurveData::shareValue(const MetricsPoint& p, int term) {
  static double MetricsPoint::*const fields[kShareTerms] = {
      &MetricsPoint::gradShareInfoNce, &MetricsPoint::gradShareRec, &MetricsPoint::gradShareDenoise};
  return p.*fields[term];
}

int CurveData::balanceTermIndex(const QString& term) {
  for (int i = 0; i < kBalanceTerms; ++i)
    if (term == QLatin1String(kBalanceTermKeys[i])) return i;
  return -1;
}

bool CurveData::hasResources(const MetricsPoint& p) {
  return !std::isnan(p.cpuPercent) || !std::isnan(p.rssMib) || !std::isnan(p.gpuMemMib);
}

bool CurveData::hasBalance(const MetricsPoint& p) {
  for (int i = 0; i < kBalanceTerms; ++i)
    if (!std::isnan(balanceValue(p, i))) return true;
  return false;
}

// ---- points --------------------------------------------------------------------------------

CurveData::CurveData(double smoothing) : smoothing_(smoothing) {
  for (auto& e : ema_) e = Ema(smoothing_);
}

CurveData::AppendResult CurveData::append(const QVector<MetricsPoint>& points) {
  AppendResult result;
  result.firstNew = points_.size();
  for (const MetricsPoint& p : points) {
    if (!points_.isEmpty() && p.step <= points_.last().step) {
      // Resumed from an earlier checkpoint: the run continues from p.step.
      auto firstDropped = std::lower_bound(
          points_.begin(), points_.end(), p.step,
          [](const MetricsPoint& a, qint64 step) { return a.step < step; });
      points_.erase(firstDropped, points_.end());
      result.resumeStep = result.truncated ? std::min(result.resumeStep, p.step) : p.step;
      result.truncated = true;
    }
    points_.append(p);
  }
  // The smoothing state cannot be rewound: after a resume, recompute it from the start.
  updateDerived(result.truncated ? 0 : result.firstNew);
  return result;
}

void CurveData::clear() {
  points_.clear();
  updateDerived(0);
}

void CurveData::setSmoothing(double weight) {
  smoothing_ = weight;
  updateDerived(0);
}

void CurveData::updateDerived(int firstIndex) {
  for (int term = 0; term < kLossTerms; ++term) {
    QVector<double>& smoothed = smoothed_[term];
    if (firstIndex == 0) {
      ema_[term] = Ema(smoothing_);
      termSeen_[term] = false;
      smoothed.clear();
    }
    smoothed.reserve(points_.size());
    for (int i = firstIndex; i < points_.size(); ++i) {
      const double v = lossTermValue(points_[i], term);
      if (v != 0.0 && !std::isnan(v)) termSeen_[term] = true;
      smoothed.append(ema_[term].push(v));
    }
  }
  if (firstIndex == 0) {
    std::fill(std::begin(balanceSeen_), std::end(balanceSeen_), false);
    balancePoints_.clear();
    resourcePoints_.clear();
  }
  for (int i = firstIndex; i < points_.size(); ++i)
    if (hasResources(points_[i])) resourcePoints_.append(i);
  for (int i = firstIndex; i < points_.size(); ++i) {
    if (!hasBalance(points_[i])) continue;
    balancePoints_.append(i);
    for (int term = 0; term < kBalanceTerms; ++term)
      if (!std::isnan(balanceValue(points_[i], term))) balanceSeen_[term] = true;
  }
}

QVector<double> CurveData::keys(Key key, int from) const {
  QVector<double> out;
  out.reserve(std::max(0, static_cast<int>(points_.size()) - from));
  for (int i = from; i < points_.size(); ++i) out.append(keyOf(points_[i], key));
  return out;
}

QVector<double> CurveData::rawValues(const QString& term) const {
  QVector<double> out;
  for (const Column& c : kColumns) {
    if (term != QLatin1String(c.name)) continue;
    out.reserve(points_.size());
    for (const MetricsPoint& p : points_) out.append(p.*c.field);
  }
  return out;
}

QVector<double> CurveData::smoothedValues(const QString& term) const {
  const int i = lossTermIndex(term);
  if (i < 0) return {};
  // Kept up to date with the same Ema arithmetic as smooth(rawValues(term), smoothing_).
  return smoothed_[i];
}

// ---- read-out ------------------------------------------------------------------------------

int CurveData::nearestIndex(double key, Key kind) const {
  if (points_.isEmpty() || std::isnan(key)) return -1;
  auto it = std::lower_bound(
      points_.begin(), points_.end(), key,
      [kind](const MetricsPoint& p, double k) { return keyOf(p, kind) < k; });
  int i = static_cast<int>(it - points_.begin());
  if (i >= points_.size()) return points_.size() - 1;
  const auto distance = [&](int j) { return std::abs(keyOf(points_[j], kind) - key); };
  if (i > 0 && distance(i - 1) <= distance(i)) --i;
  return i;
}

int CurveData::nearestBalanceIndex(double key, Key kind) const {
  if (balancePoints_.isEmpty() || std::isnan(key)) return -1;
  // Keys grow with the index (steps, and epochs with them), so balancePoints_ is sorted by key.
  auto it = std::lower_bound(balancePoints_.begin(), balancePoints_.end(), key,
                             [&](int i, double k) { return keyOf(points_[i], kind) < k; });
  int j = static_cast<int>(it - balancePoints_.begin());
  if (j >= balancePoints_.size()) return balancePoints_.last();
  const auto distance = [&](int b) { return std::abs(keyOf(points_[balancePoints_[b]], kind) - key); };
  if (j > 0 && distance(j - 1) <= distance(j)) --j;
  return balancePoints_[j];
}

QString CurveData::readoutAt(double key, Key kind, const ReadoutLabels& labels) const {
  const int i = nearestIndex(key, kind);
  if (i < 0) return QString();
  const MetricsPoint& p = points_[i];
  const QString sep = QStringLiteral("   ");

  QStringList losses;
  for (int term = 0; term < kLossTerms; ++term) {
    if (!termSeen_[term]) continue;
    losses << labels.lossTerm.arg(labels.lossNames[term], fmt(lossTermValue(p, term)),
                                  fmt(smoothed_[term][i]));
  }

  QStringList rest;
  rest << labels.lr.arg(fmt(p.lr)) << labels.imgPerS.arg(fmt(p.imgPerS))
       << labels.gradNorm.arg(fmt(p.gradNorm));
  if (!std::isnan(p.contrastiveTop1)) rest << labels.contrastiveTop1.arg(fmt(p.contrastiveTop1));
  if (!std::isnan(p.knnTop1)) rest << labels.knnTop1.arg(fmt(p.knnTop1));
  // Resources come every log_every steps: the latest sample at or before the point.
  auto afterResources = std::upper_bound(resourcePoints_.begin(), resourcePoints_.end(), i);
  if (afterResources != resourcePoints_.begin()) {
    const MetricsPoint& r = points_[*std::prev(afterResources)];
    QStringList figures;
    if (!std::isnan(r.cpuPercent)) figures << labels.cpu.arg(QString::number(r.cpuPercent, 'f', 0));
    if (!std::isnan(r.rssMib)) figures << labels.rss.arg(QString::number(r.rssMib, 'f', 0));
    if (!std::isnan(r.gpuMemMib))
      figures << labels.gpu.arg(QString::number(r.gpuMemMib, 'f', 0), QString::number(r.gpuReservedMib, 'f', 0));
    rest << labels.resources.arg(r.step).arg(figures.join(QStringLiteral(", ")));
  }

  QString text = labels.stepEpoch.arg(p.step).arg(fmt(p.epoch)) + QLatin1Char('\n') + losses.join(sep) +
                 QLatin1Char('\n') + rest.join(sep);
  if (balancePoints_.isEmpty()) return text;  // no fourth line for a run without them

  // The latest balance measurement at or before point i.
  auto after = std::upper_bound(balancePoints_.begin(), balancePoints_.end(), i);
  QStringList balance;
  if (after != balancePoints_.begin()) {
    const MetricsPoint& b = points_[*std::prev(after)];
    for (int term = 0; term < kBalanceTerms; ++term) {
      const double v = balanceValue(b, term);
      if (!std::isnan(v)) balance << labels.balanceTerm.arg(labels.balanceNames[term], fmt(v));
    }
    text += QLatin1Char('\n') + labels.balance.arg(b.step).arg(balance.join(sep));
  }
  return text;
}

// ---- CSV -----------------------------------------------------------------------------------

bool CurveData::writeCsv(const QString& path, QString* fileError) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (fileError) *fileError = file.errorString();
    return false;
  }
  QByteArray out = "step";
  for (const Column& c : kColumns) out += ',' + QByteArray(c.name);
  out += '\n';
  for (const MetricsPoint& p : points_) {
    out += QByteArray::number(p.step);
    for (const Column& c : kColumns) out += ',' + csvField(p.*c.field).toLatin1();
    out += '\n';
  }
  if (file.write(out) != out.size() || !file.commit()) {
    if (fileError) *fileError = file.errorString();
    return false;
  }
  return true;
}
