#pragma once
// Representation health drawn (docs/bench.md "Representation health"): the per-dimension
// std of the normalised embeddings as sorted bars against the 1/sqrt(r) line of evenly
// spread unit vectors, the cosine histograms of positive and negative pairs overlaid (as
// fractions of their pairs, since there are n positive and 2n(n-1) negative ones), and the
// single numbers (effective rank of its maximum, alignment, uniformity, mean cosines), each
// with a one-line explanation as its tooltip.
//
// Plain Qt data in (HealthData); app/bench_view fills it from core/analysis.

#include <QLabel>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;

struct HealthData {
  QString embedding;       // "projector" or "encoder_pool"
  int numImages = 0;       // n
  QVector<double> dimStd;  // [r]
  double meanDimStd = 0, uniformStd = 0, stdRatio = 0;
  double effectiveRank = 0;  // in [1, min(2n, r)]
  double lo = -1, hi = 1;    // histogram range
  QVector<qint64> positiveCounts, negativeCounts;
  double positiveMean = 0, negativeMean = 0;
  double alignment = 0, uniformity = 0;
};

class HealthView : public QWidget {
  Q_OBJECT

 public:
  explicit HealthView(QWidget* parent = nullptr);

  void setData(const HealthData& data);
  const HealthData& data() const { return data_; }
  // The number labels as shown: "rank", "alignment", "uniformity", "std", "cosine".
  QString shownText(const QString& key) const;
  // The sorted bar heights as drawn and the 1/sqrt(r) line's height.
  QVector<double> plottedStd() const;
  double plottedUniformLine() const;
  // Histogram bars as drawn, as fractions of the pairs: 0 positive, 1 negative.
  QVector<double> plottedFractions(int which) const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void redraw();

  HealthData data_;
  QCustomPlot *stdPlot_ = nullptr, *cosPlot_ = nullptr;
  QLabel *rank_ = nullptr, *alignment_ = nullptr, *uniformity_ = nullptr, *std_ = nullptr, *cosine_ = nullptr,
         *source_ = nullptr;
};
