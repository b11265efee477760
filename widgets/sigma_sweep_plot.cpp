#include "widgets/sigma_sweep_plot.h"

#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

SigmaSweepPlot::SigmaSweepPlot(QWidget* parent) : QWidget(parent) {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName("sigmaSweepCustomPlot");
  plot_->setMinimumSize(360, 220);
  plot_->setAutoAddPlottableToLegend(false);  // one legend above both panels, filled by hand
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  clear();
}

void SigmaSweepPlot::clear() {
  plot_->clearItems();
  plot_->clearGraphs();
  plot_->plotLayout()->clear();
  rects_.clear();
  graphIndex_.clear();
  marker_ = 0;
  plot_->replot();
}

void SigmaSweepPlot::setData(const QVector<double>& x, const QVector<Panel>& panels, double marker,
                             const QString& xLabel) {
  clear();
  marker_ = marker;
  auto* legend = new QCPLegend;
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setWrap(8);
  legend->setBorderPen(Qt::NoPen);
  legend->setBrush(Qt::NoBrush);
  plot_->plotLayout()->addElement(0, 0, legend);
  legend->setLayer(QStringLiteral("legend"));
  auto* row = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(1, 0, row);
  plot_->plotLayout()->setRowStretchFactor(0, 0.001);
  bool legendFilled = false;
  for (const Panel& panel : panels) {
    if (panel.curves.isEmpty()) continue;
    auto* rect = new QCPAxisRect(plot_);
    row->addElement(0, row->elementCount(), rect);
    rects_.push_back(rect);
    rect->axis(QCPAxis::atLeft)->setLabel(panel.title);
    rect->axis(QCPAxis::atBottom)->setLabel(xLabel);
    QVector<int> indices;
    double lo = 0, hi = 0;
    for (const Curve& c : panel.curves) {
      QCPGraph* g = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      g->setName(c.name);
      g->setPen(QPen(c.color, 1.8));
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
      g->setData(x, c.y, /*alreadySorted=*/true);
      if (!legendFilled) g->addToLegend(legend);
      indices.push_back(plot_->graphCount() - 1);
      for (double v : c.y)
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    legendFilled = true;
    graphIndex_.push_back(indices);
    // From 0 (or the lowest value, for differences) to the highest, with a little room.
    const double pad = (hi - lo) > 0 ? 0.06 * (hi - lo) : 1.0;
    rect->axis(QCPAxis::atLeft)->setRange(lo < 0 ? lo - pad : 0.0, hi + pad);
    rect->axis(QCPAxis::atBottom)->setRange(0.0, x.isEmpty() ? 1.0 : std::max(x.back(), 1e-9));
    if (marker > 0) {
      auto* line = new QCPItemStraightLine(plot_);
      line->setClipAxisRect(rect);
      line->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      line->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
      line->point1->setCoords(marker, 0);
      line->point2->setCoords(marker, 1);
      line->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    }
  }
  plot_->replot();
}

QVector<QPointF> SigmaSweepPlot::plotted(int panel, int curve) const {
  QVector<QPointF> points;
  if (panel < 0 || panel >= graphIndex_.size() || curve < 0 || curve >= graphIndex_[panel].size()) return points;
  const QCPGraph* g = plot_->graph(graphIndex_[panel][curve]);
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) points.push_back({it->key, it->value});
  return points;
}
