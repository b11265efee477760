// CurvesPanel's resource rect, under the learning rate and images/s: what the training
// process costs the machine, sampled every train.log_every steps (core/util/resource_usage.h).
// Left axis: CPU use in percent of one core (200 = two busy cores); right axis: memory in
// MiB, the process's resident memory and, on CUDA, the GPU memory held in tensors. Side by
// side with images/s, a drop in speed shows whether the cores went elsewhere or memory
// grew. Measured points only; a run without samples (an older metrics.jsonl) shrinks the
// rect to a thin strip.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <cmath>

#include "widgets/curves_style.h"

using namespace curves_style;

namespace {

// Row stretch of the rect with samples (the rate rect's is 1.0): a slim one.
constexpr double kResourceStretch = 0.8;

// The value of a resource term at a point; NaN = not sampled.
double resourceValue(const MetricsPoint& p, int term) {
  switch (term) {
    case 0:
      return p.cpuPercent;
    case 1:
      return p.rssMib;
    default:
      return p.gpuMemMib;
  }
}

}  // namespace

void CurvesPanel::buildResourceRect() {
  QCPAxis* x = resourceRect_->axis(QCPAxis::atBottom);
  QCPAxis* cpuAxis = resourceRect_->axis(QCPAxis::atLeft);
  QCPAxis* memAxis = resourceRect_->axis(QCPAxis::atRight);
  memAxis->setTicks(true);
  memAxis->setTickLabels(true);
  for (QCPAxis* axis : {cpuAxis, memAxis}) {
    axis->setNumberFormat(QStringLiteral("g"));
    axis->setNumberPrecision(4);
    axis->ticker()->setTickCount(2);
  }
  cpuAxis->setTickLabelColor(kCpuColor.darker(120));
  cpuAxis->setLabelColor(kCpuColor.darker(120));
  cpuAxis->setRange(0, 100);
  memAxis->setRange(0, 1024);
  const QColor colors[kResourceTerms] = {kCpuColor, kRssColor, kGpuMemColor};
  for (int term = 0; term < kResourceTerms; ++term) {
    QCPGraph* g = plot_->addGraph(x, term == 0 ? cpuAxis : memAxis);
    g->setPen(QPen(colors[term], 1.4, term == 2 ? Qt::DashLine : Qt::SolidLine));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colors[term], 3));
    g->setVisible(false);
    resourceGraphs_[term] = g;
  }
}

void CurvesPanel::retranslateResources() {
  resourceGraphs_[0]->setName(tr("CPU %"));
  resourceGraphs_[1]->setName(tr("Resident MiB"));
  resourceGraphs_[2]->setName(tr("GPU MiB"));
  setValueAxisLabel(resourceRect_->axis(QCPAxis::atLeft), tr("CPU %"));
  setValueAxisLabel(resourceRect_->axis(QCPAxis::atRight), tr("MiB"));
}

void CurvesPanel::setResourceData() {
  for (QCPGraph* g : resourceGraphs_) g->data()->clear();
  addResourceData(0);
}

void CurvesPanel::addResourceData(int firstIndex) {
  const QVector<MetricsPoint>& points = data_.points();
  for (int i = firstIndex; i < points.size(); ++i) {
    if (!CurveData::hasResources(points[i])) continue;
    const double key = keyOf(points[i]);
    for (int term = 0; term < kResourceTerms; ++term) {
      const double v = resourceValue(points[i], term);
      if (!std::isnan(v)) resourceGraphs_[term]->addData(key, v);
    }
  }
  updateResourceVisibility();
}

// A curve with data gets its line and legend entry; the rect collapses while none has any,
// or while the user hides it (curves_panel_groups.cpp).
void CurvesPanel::updateResourceVisibility() {
  bool any = false, changed = false;
  for (QCPGraph* g : resourceGraphs_) {
    const bool has = g->dataCount() > 0;
    any = any || has;
    if (g->visible() != has || resourceLegend_->hasItemWithPlottable(g) != has) changed = true;
  }
  if (changed) {
    resourceLegend_->clearItems();
    for (QCPGraph* g : resourceGraphs_) {
      g->setVisible(g->dataCount() > 0);
      if (g->visible()) g->addToLegend(resourceLegend_);
    }
  }
  const bool show = any && resourcesShown_;
  resourceLegend_->setVisible(show);
  if (show == resourceCollapsed_) {
    resourceCollapsed_ = !show;
    setStripCollapsed(resourceRect_, 2, !show, kResourceStretch);
  }
}

void CurvesPanel::fitResourceAxes(const QCPRange& keyRange) {
  // Both from 0: a share of the cores and an amount of memory read best against zero.
  QCPRange range;
  if (visibleValueRange({resourceGraphs_[0]}, false, keyRange, range))
    resourceRect_->axis(QCPAxis::atLeft)->setRange(0, std::max(1.0, range.upper * 1.15));
  if (visibleValueRange({resourceGraphs_[1], resourceGraphs_[2]}, false, keyRange, range))
    resourceRect_->axis(QCPAxis::atRight)->setRange(0, std::max(1.0, range.upper * 1.15));
}
