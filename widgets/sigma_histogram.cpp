#include "widgets/sigma_histogram.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "widgets/panel_style.h"

SigmaHistogram::SigmaHistogram(QWidget* parent) : QWidget(parent), counts_(kSigmaHistogramBins, 0) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);  // 70 to 140 px tall
}

void SigmaHistogram::setValues(const QVector<double>& sigmas, double sigmaMax) {
  counts_.fill(0, kSigmaHistogramBins);
  sigmaMax_ = sigmaMax;
  hasValues_ = true;
  for (double sigma : sigmas) {
    if (std::isnan(sigma)) continue;
    int bin = 0;
    if (sigmaMax > 0.0) {
      // Clamped as a double first: an infinite sigma must not overflow the int conversion.
      const double position =
          std::clamp(sigma / sigmaMax * kSigmaHistogramBins, 0.0, double(kSigmaHistogramBins - 1));
      bin = int(std::floor(position));
    }
    ++counts_[bin];
  }
  update();
}

void SigmaHistogram::clear() {
  counts_.fill(0, kSigmaHistogramBins);
  sigmaMax_ = 0.0;
  hasValues_ = false;
  update();
}

QSize SigmaHistogram::sizeHint() const { return {360, kSigmaHistogramHeightPx}; }

QSize SigmaHistogram::minimumSizeHint() const {
  return {160, kSigmaHistogramHeightPx / 2};
}  // shorter on a laptop screen

void SigmaHistogram::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(kGridBackground));
  if (!hasValues_) return;

  const QFontMetrics fm(font());
  const int maxCount = std::max(1, *std::max_element(counts_.begin(), counts_.end()));
  const QString maxCountText = QString::number(maxCount);
  const QString sigmaMaxText = QString::number(sigmaMax_, 'g', 3);

  // Plot area: room on the left for the count label, below for the sigma labels.
  const int left = kGridMarginPx + fm.horizontalAdvance(maxCountText) + kTextPaddingPx;
  const int right = width() - kGridMarginPx - fm.horizontalAdvance(sigmaMaxText) / 2;
  const int top = kGridMarginPx + fm.height() / 2;
  const int bottom = height() - kGridMarginPx - fm.height() - kTextPaddingPx;
  if (right - left < kSigmaHistogramBins || bottom - top < 4) return;
  const QRect plot(QPoint(left, top), QPoint(right, bottom));

  const double binWidth = double(plot.width()) / kSigmaHistogramBins;
  for (int b = 0; b < kSigmaHistogramBins; ++b) {
    const int x0 = plot.left() + int(std::round(b * binWidth));
    const int x1 = plot.left() + int(std::round((b + 1) * binWidth));
    const int h = int(std::round(double(counts_[b]) / maxCount * plot.height()));
    if (h > 0)
      painter.fillRect(QRect(x0 + 1, plot.bottom() - h + 1, std::max(1, x1 - x0 - 1), h),
                       QColor(kHistogramBar));
  }

  painter.setPen(QColor(kGridText));
  painter.drawLine(plot.bottomLeft(), plot.bottomRight());
  painter.drawLine(plot.bottomLeft(), plot.topLeft());
  const int labelTop = plot.bottom() + kTextPaddingPx;
  painter.drawText(QRect(plot.left() - 40, labelTop, 80, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QStringLiteral("0"));
  painter.drawText(QRect(plot.right() - 60, labelTop, 120, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   sigmaMaxText);
  painter.drawText(QRect(plot.left(), labelTop, plot.width(), fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QStringLiteral("σ"));
  painter.drawText(QRect(kGridMarginPx, plot.top() - fm.height() / 2,
                         left - kGridMarginPx - kTextPaddingPx / 2, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, maxCountText);
}
