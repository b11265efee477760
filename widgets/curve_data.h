#pragma once
// The data behind CurvesPanel, without any plotting: the received metrics points with the
// resume rule, the smoothed loss terms, per-term value extraction, the CSV file and the
// hover read-out text. Qt Core only (no QtWidgets, no QCustomPlot).
//
// Smoothing is the debiased exponential moving average (TensorBoard's), with weight w:
//   s_0 = 0;  for t = 1..n:  s_t = w * s_{t-1} + (1 - w) * x_t,  smoothed_t = s_t / (1 - w^t)
// w = 0 gives the raw values. A NaN input is skipped: it does not advance t, and its
// smoothed value repeats the previous one (NaN while nothing was measured yet).
//
// User-visible text is translated by CurvesPanel (context "CurvesPanel") and passed in.

#include <QString>
#include <QVector>

#include "widgets/metrics_point.h"

class CurveData {
 public:
  // Loss terms, in legend order (the weighted total first): "loss", "loss_infonce",
  // "loss_rec", "loss_denoise".
  static constexpr int kLossTerms = 4;
  // Objective-balance terms, in legend order: the gradient norms of C, A, N, then the
  // cosines C-A, C-N, A-N. Keys as in metrics.jsonl and the CSV: "grad_norm_infonce",
  // "grad_norm_rec", "grad_norm_denoise", "grad_cos_c_a", "grad_cos_c_n", "grad_cos_a_n".
  static constexpr int kBalanceTerms = 6;
  static constexpr int kBalanceNorms = 3;  // the first three are norms, the rest cosines
  static constexpr int kShareTerms = 3;    // grad_share_infonce, _rec, _denoise
  // What the x coordinate of a point is.
  enum class Key { Step, Epoch };

  // Incremental form of smooth(): the same arithmetic, so live and recomputed lines agree.
  struct Ema {
    double weight = 0.0;
    double s = 0.0;  // s_t
    int t = 0;       // finite inputs so far
    double last;     // smoothed_t of the last input (NaN before the first)
    explicit Ema(double w = 0.0);
    double push(double x);
  };

  // The formula of the header comment applied to raw.
  static QVector<double> smooth(const QVector<double>& raw, double weight);

  static double keyOf(const MetricsPoint& p, Key key);
  static double lossTermValue(const MetricsPoint& p, int term);
  static int lossTermIndex(const QString& term);  // -1 for anything but a loss term
  static double balanceValue(const MetricsPoint& p, int term);  // NaN = not measured
  static double shareValue(const MetricsPoint& p, int term);    // C, A, N's share; NaN = not measured
  static int balanceTermIndex(const QString& term);             // -1 for anything but a balance term
  static bool hasBalance(const MetricsPoint& p);                // any balance term measured
  static bool hasResources(const MetricsPoint& p);              // a resource sample (cpu, rss or gpu)

  explicit CurveData(double smoothing = 0.0);

  struct AppendResult {
    // A point's step was <= the last stored step: the run resumed from an earlier
    // checkpoint, stored points were dropped and every derived value recomputed.
    bool truncated = false;
    qint64 resumeStep = 0;  // if truncated: the earliest step the run resumed from
    int firstNew = 0;       // if not truncated: index of the first appended point
  };
  // Appends in order. A point whose step is <= the last stored step first drops every
  // stored point with step >= its step, so the curve continues from there.
  AppendResult append(const QVector<MetricsPoint>& points);
  void clear();

  // Recomputes every smoothed value (weight as given: the caller clamps it).
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }

  const QVector<MetricsPoint>& points() const { return points_; }
  int size() const { return points_.size(); }
  bool isEmpty() const { return points_.isEmpty(); }
  // The keys of points [from..].
  QVector<double> keys(Key key, int from = 0) const;
  // A non-zero value of the loss term occurred (its objective is on).
  bool termSeen(int term) const { return termSeen_[term]; }
  // The smoothed values of a loss term, one per point.
  const QVector<double>& smoothedLoss(int term) const { return smoothed_[term]; }
  // A balance term was measured at some point (its objectives are on).
  bool balanceSeen(int term) const { return balanceSeen_[term]; }
  // The indices of the points with any balance term measured, ascending.
  const QVector<int>& balancePoints() const { return balancePoints_; }
  // The indices of the points with a resource sample, ascending.
  const QVector<int>& resourcePoints() const { return resourcePoints_; }

  // The stored values of a term (any CSV column but step), one per point; empty otherwise.
  QVector<double> rawValues(const QString& term) const;
  // smooth(rawValues(term), smoothing()) for a loss term; empty otherwise.
  QVector<double> smoothedValues(const QString& term) const;

  // The point whose key is nearest key; -1 when there are none or key is NaN.
  int nearestIndex(double key, Key kind) const;
  // The same among the points with balance measurements only (hovering the balance rect:
  // they are every balance_every-th point, too sparse to hit with the mouse); -1 if none.
  int nearestBalanceIndex(double key, Key kind) const;

  // Translated templates for readoutAt(), each with its %-placeholders.
  struct ReadoutLabels {
    QString stepEpoch;                 // %1 step, %2 epoch
    QString lossTerm;                  // %1 name, %2 raw value, %3 smoothed value
    QString lossNames[kLossTerms];     // the names of the loss terms
    QString lr, imgPerS, gradNorm;     // %1 value
    QString contrastiveTop1, knnTop1;  // %1 value
    QString balance;                   // %1 step of the measurement, %2 the terms' list
    QString balanceTerm;               // %1 name, %2 value
    QString balanceNames[kBalanceTerms];
    QString resources;  // %1 step of the sample, %2 the figures' list
    QString cpu, rss;   // %1 value (percent of one core, MiB)
    QString gpu;        // %1 allocated, %2 reserved (MiB)
  };
  // Three lines for the point nearest key: step and epoch; the raw and smoothed value of
  // every seen loss term; lr, img/s, grad norm, the measured accuracies and the latest
  // resource sample at or before the point (CPU %, resident and GPU MiB). Once the run has
  // balance measurements, a fourth: the latest one at or before that point, with its step
  // (they come every balance_every steps, so most points have none of their own), each
  // measured term as "name value". Numbers as QString::number(v, 'g', 4). Empty when there
  // are no points.
  QString readoutAt(double key, Key kind, const ReadoutLabels& labels) const;

  // CSV: header `step,epoch,loss,loss_infonce,loss_rec,loss_denoise,lr,img_per_s,grad_norm,
  // contrastive_top1,knn_top1,grad_norm_infonce,grad_norm_rec,grad_norm_denoise,grad_cos_c_a,
  // grad_cos_c_n,grad_cos_a_n,grad_share_infonce,grad_share_rec,grad_share_denoise,health_std_ratio,health_effective_rank,
  // health_alignment,health_uniformity,health_pos_cos,health_neg_cos,cpu_percent,rss_mib,gpu_mem_mib,gpu_reserved_mib`,
  // one line per point, shortest round-trip decimal, empty field for NaN (not measured). Written atomically
  // (QSaveFile); on failure false with the file's errorString().
  bool writeCsv(const QString& path, QString* fileError = nullptr) const;

 private:
  // Smoothing state, smoothed values, termSeen, balanceSeen and balancePoints for
  // points_[firstIndex..], continuing
  // from the state of the points before (firstIndex 0: from scratch).
  void updateDerived(int firstIndex);

  QVector<MetricsPoint> points_;
  double smoothing_ = 0.0;
  Ema ema_[kLossTerms];
  QVector<double> smoothed_[kLossTerms];
  bool termSeen_[kLossTerms] = {};
  bool balanceSeen_[kBalanceTerms] = {};
  QVector<int> balancePoints_;
  QVector<int> resourcePoints_;
};
