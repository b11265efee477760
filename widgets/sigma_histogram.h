#pragma once
// How the batch's noise levels are spread: kSigmaHistogramBins equal bins over
// [0, sigma_max]. sigma ~ U[0, sigma_max] (docs/method.md step 2), so the bars should be level up
// to sampling noise; a spike shows a sampler or config bug at a glance.

#include <QVector>
#include <QWidget>

class SigmaHistogram : public QWidget {
  Q_OBJECT

 public:
  explicit SigmaHistogram(QWidget* parent = nullptr);

  // Counts `sigmas` into bins of width sigmaMax / kSigmaHistogramBins. A value equal to
  // sigmaMax (or above it, from rounding) goes in the last bin, a negative one in the first;
  // NaN is skipped. With sigmaMax <= 0 (no noise) every value counts in the first bin.
  void setValues(const QVector<double>& sigmas, double sigmaMax);
  void clear();

  QVector<int> binCounts() const { return counts_; }
  double sigmaMax() const { return sigmaMax_; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QVector<int> counts_;  // kSigmaHistogramBins entries
  double sigmaMax_ = 0.0;
  bool hasValues_ = false;
};
