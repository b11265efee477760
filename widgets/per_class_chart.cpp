#include "widgets/per_class_chart.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <limits>

#include "widgets/curves_style.h"

PerClassChart::PerClassChart(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("perClassPlot"));
  plot_->setMinimumHeight(160);
  // The legend in a row of its own above the bars: inside the axis rect it would hide some.
  plot_->legend->setVisible(true);
  plot_->legend->setBorderPen(Qt::NoPen);
  plot_->legend->setBrush(Qt::NoBrush);
  plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, plot_->legend);
  plot_->plotLayout()->setRowStretchFactor(0, 0.001);
  for (QCPAxis* axis : plot_->axisRect()->axes()) curves_style::styleAxis(axis);
  plot_->yAxis->setRange(0.0, 1.0);
  plot_->xAxis->setTickLabelRotation(40);
  plot_->xAxis->grid()->setVisible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
}

QColor PerClassChart::seriesColor(int series) {
  return series == 0 ? curves_style::kKnnColor : curves_style::kLossColors[1];
}

QString PerClassChart::tickLabel(int classIndex) const {
  if (classIndex >= 0 && classIndex < labels_.size() && !labels_[classIndex].isEmpty()) return labels_[classIndex];
  return QString::number(classIndex);
}

double PerClassChart::barValue(int series, int classIndex) const {
  if (series < 0 || series >= series_.size() || classIndex < 0 || classIndex >= series_[series].values.size())
    return std::numeric_limits<double>::quiet_NaN();
  return series_[series].values[classIndex];
}

void PerClassChart::setData(const QStringList& classNames, const QVector<Series>& series) {
  labels_ = classNames;
  series_ = series;
  plot_->clearPlottables();
  int classes = 0;
  for (const Series& s : series_) classes = std::max(classes, static_cast<int>(s.values.size()));
  // Bars of one class side by side: each series shifted by its share of the group's width.
  const double group = 0.8, width = series_.isEmpty() ? group : group / series_.size();
  for (int s = 0; s < series_.size(); ++s) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(series_[s].name);
    bars->setWidth(width);
    bars->setPen(Qt::NoPen);
    bars->setBrush(seriesColor(s));
    QVector<double> keys, values;
    for (int c = 0; c < series_[s].values.size(); ++c) {
      keys.push_back(c - group / 2 + width * (s + 0.5));
      values.push_back(series_[s].values[c]);
    }
    bars->setData(keys, values, true);
  }
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  // Names of many classes (CIFAR-100) would overlap: every n-th then, n from the count.
  const int every = std::max(1, classes / 20);
  for (int c = 0; c < classes; c += every) ticker->addTick(c, tickLabel(c));
  plot_->xAxis->setTicker(ticker);
  // QCustomPlot leaves out a tick label that would cross the widget's edge: the last class's
  // name, rotated down to the right, needs room beyond the axis rect.
  int widest = 0;
  for (int c = 0; c < classes; c += every) widest = std::max(widest, fontMetrics().horizontalAdvance(tickLabel(c)));
  plot_->axisRect()->setMinimumMargins(QMargins(0, 12, static_cast<int>(widest * 0.77) + 8, 0));
  plot_->xAxis->setRange(-0.6, std::max(0, classes - 1) + 0.6);
  plot_->yAxis->setRange(0.0, 1.0);
  plot_->replot();
}
