#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/curves_style.h"
#include "widgets/log_ticker.h"

using namespace curves_style;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

QVector<double> CurvesPanel::smooth(const QVector<double>& raw, double weight) {
  return CurveData::smooth(raw, weight);
}

// ---- data ----------------------------------------------------------------------------------

CurveData::Key CurvesPanel::keyKind() const {
  return xAxis_ == XAxis::Steps ? CurveData::Key::Step : CurveData::Key::Epoch;
}

double CurvesPanel::keyOf(const MetricsPoint& p) const { return CurveData::keyOf(p, keyKind()); }

double CurvesPanel::lossPlotValue(double v) const {
  return (logScale_ && !(v > 0.0)) ? kNaN : v;
}

void CurvesPanel::appendPoints(const QVector<MetricsPoint>& points) {
  if (points.isEmpty()) return;
  const CurveData::AppendResult appended = data_.append(points);
  if (appended.truncated) {
    // Markers after the step the run resumed from belong to the abandoned continuation.
    for (int i = markers_.size() - 1; i >= 0; --i) {
      if (markers_[i].step > appended.resumeStep) {
        removeMarkerItems(markers_[i]);
        markers_.removeAt(i);
      }
    }
    rebuildGraphs();
  } else {
    appendToGraphs(appended.firstNew);
  }
  dirty_ = true;
}

void CurvesPanel::clear() {
  data_.clear();
  for (Marker& m : markers_) removeMarkerItems(m);
  markers_.clear();
  followData_ = true;
  showHover(false);
  rebuildGraphs();
  readoutLabel_->clear();
  dirty_ = true;
}

void CurvesPanel::rebuildGraphs() {
  const QVector<MetricsPoint>& points = data_.points();
  const int n = points.size();
  const QVector<double> keys = data_.keys(keyKind());

  for (int term = 0; term < kLossTerms; ++term) {
    const QVector<double>& smoothed = data_.smoothedLoss(term);
    QVector<double> plottedRaw(n), plottedSmooth(n);
    for (int i = 0; i < n; ++i) {
      plottedRaw[i] = lossPlotValue(CurveData::lossTermValue(points[i], term));
      plottedSmooth[i] = lossPlotValue(smoothed[i]);
    }
    lossGraphs_[term][0]->setData(keys, plottedRaw, true);
    lossGraphs_[term][1]->setData(keys, plottedSmooth, true);
  }

  QVector<double> lr(n), img(n);
  QVector<double> cKeys, cValues, kKeys, kValues, hKeys, hValues;
  for (int i = 0; i < n; ++i) {
    const MetricsPoint& p = points[i];
    lr[i] = p.lr;
    img[i] = p.imgPerS;
    if (!std::isnan(p.contrastiveTop1)) {
      cKeys.append(keys[i]);
      cValues.append(p.contrastiveTop1);
    }
    if (!std::isnan(p.knnTop1)) {
      kKeys.append(keys[i]);
      kValues.append(p.knnTop1);
    }
    if (!std::isnan(p.healthStdRatio)) {
      hKeys.append(keys[i]);
      hValues.append(p.healthStdRatio);
    }
  }
  lrGraph_->setData(keys, lr, true);
  imgGraph_->setData(keys, img, true);
  contrastiveGraph_->setData(cKeys, cValues, true);
  knnGraph_->setData(kKeys, kValues, true);
  healthGraph_->setData(hKeys, hValues, true);
  setBalanceData();
  setResourceData();
  updateTermVisibility();
}

void CurvesPanel::appendToGraphs(int firstIndex) {
  const QVector<MetricsPoint>& points = data_.points();
  const int n = points.size() - firstIndex;
  if (n <= 0) return;
  const QVector<double> keys = data_.keys(keyKind(), firstIndex);

  for (int term = 0; term < kLossTerms; ++term) {
    const QVector<double>& smoothed = data_.smoothedLoss(term);
    QVector<double> plottedRaw(n), plottedSmooth(n);
    for (int i = 0; i < n; ++i) {
      plottedRaw[i] = lossPlotValue(CurveData::lossTermValue(points[firstIndex + i], term));
      plottedSmooth[i] = lossPlotValue(smoothed[firstIndex + i]);
    }
    lossGraphs_[term][0]->addData(keys, plottedRaw, true);
    lossGraphs_[term][1]->addData(keys, plottedSmooth, true);
  }
  for (int i = 0; i < n; ++i) {
    const MetricsPoint& p = points[firstIndex + i];
    lrGraph_->addData(keys[i], p.lr);
    imgGraph_->addData(keys[i], p.imgPerS);
    if (!std::isnan(p.contrastiveTop1)) contrastiveGraph_->addData(keys[i], p.contrastiveTop1);
    if (!std::isnan(p.knnTop1)) knnGraph_->addData(keys[i], p.knnTop1);
    if (!std::isnan(p.healthStdRatio)) healthGraph_->addData(keys[i], p.healthStdRatio);
  }
  addBalanceData(firstIndex);
  addResourceData(firstIndex);
  updateTermVisibility();
}

void CurvesPanel::rebuildSmoothed() {
  const QVector<double> keys = data_.keys(keyKind());
  for (int term = 0; term < kLossTerms; ++term) {
    QVector<double> plottedSmooth = data_.smoothedLoss(term);
    for (double& v : plottedSmooth) v = lossPlotValue(v);
    lossGraphs_[term][1]->setData(keys, plottedSmooth, true);
  }
}

// A term that has been 0 all run is an objective that is off: no line, no legend entry.
void CurvesPanel::updateTermVisibility() {
  QCPLegend* legend = plot_->legend;
  bool changed = false;
  for (int term = 0; term < kLossTerms; ++term) {
    if (lossGraphs_[term][1]->visible() != data_.termSeen(term)) changed = true;
  }
  const bool accChanged = (contrastiveGraph_->dataCount() > 0) != accLegend_->hasItemWithPlottable(contrastiveGraph_) ||
                          (knnGraph_->dataCount() > 0) != accLegend_->hasItemWithPlottable(knnGraph_) ||
                          (healthGraph_->dataCount() > 0) != accLegend_->hasItemWithPlottable(healthGraph_);
  if (changed) {
    legend->clearItems();
    for (int term = 0; term < kLossTerms; ++term) {
      const bool seen = data_.termSeen(term);
      lossGraphs_[term][0]->setVisible(seen);
      lossGraphs_[term][1]->setVisible(seen);
      if (seen) lossGraphs_[term][1]->addToLegend(legend);
    }
    legend->setVisible(legend->itemCount() > 0 && legendPlace_ != LegendPlace::Hidden);
  }
  if (accChanged) {
    accLegend_->clearItems();
    if (contrastiveGraph_->dataCount() > 0) contrastiveGraph_->addToLegend(accLegend_);
    if (knnGraph_->dataCount() > 0) knnGraph_->addToLegend(accLegend_);
    if (healthGraph_->dataCount() > 0) healthGraph_->addToLegend(accLegend_);
    accLegend_->setVisible(accLegend_->itemCount() > 0);
  }
  updateBalanceVisibility();
}

// ---- settings ------------------------------------------------------------------------------

void CurvesPanel::setXAxis(XAxis axis) {
  {
    const QSignalBlocker block(xAxisCombo_);
    xAxisCombo_->setCurrentIndex(xAxisCombo_->findData(static_cast<int>(axis)));
  }
  if (axis == xAxis_) return;
  xAxis_ = axis;
  followData_ = true;
  showHover(false);
  rebuildGraphs();
  placeMarkers();
  bottomXAxis()->setLabel(xAxis_ == XAxis::Steps ? tr("Step") : tr("Epoch"));
  dirty_ = true;
}

void CurvesPanel::setSmoothing(double weight) {
  weight = std::clamp(std::isnan(weight) ? 0.0 : weight, 0.0, 0.99);
  {
    const QSignalBlocker block(smoothingSlider_);
    smoothingSlider_->setValue(qRound(weight * 100.0));
  }
  smoothingValueLabel_->setText(QString::number(weight, 'f', 2));
  if (weight == smoothing()) return;
  data_.setSmoothing(weight);
  rebuildSmoothed();
  if (!hovering_) showLatestReadout();
  dirty_ = true;
}

void CurvesPanel::setLogScale(bool on) {
  {
    const QSignalBlocker block(logScaleCheck_);
    logScaleCheck_->setChecked(on);
  }
  if (on == logScale_) return;
  logScale_ = on;
  applyLossAxisScale();
  rebuildGraphs();  // non-positive values become gaps (log) or come back (linear)
  setValueAxisLabel(lossAxis(), logScale_ ? tr("Loss (log)") : tr("Loss"));
  dirty_ = true;
}

void CurvesPanel::applyLossAxisScale() {
  QCPAxis* axis = lossAxis();
  if (logScale_) {
    QSharedPointer<QCPAxisTickerLog> ticker(new LossLogTicker);
    ticker->setLogBase(10.0);
    ticker->setSubTickCount(8);
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("g"));
    axis->setNumberPrecision(3);
  } else {
    axis->setScaleType(QCPAxis::stLinear);
    axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    axis->setNumberFormat(QStringLiteral("g"));
    axis->setNumberPrecision(4);
  }
}

// ---- markers -------------------------------------------------------------------------------

void CurvesPanel::addMarker(qint64 step, double epoch, const QString& text) {
  Marker m;
  m.step = step;
  m.epoch = epoch;
  m.text = text;
  createMarkerItems(m);
  markers_.append(m);
  placeMarkers();
  dirty_ = true;
}

int CurvesPanel::markerCount() const { return markers_.size(); }

void CurvesPanel::createMarkerItems(Marker& m) {
  const QPen pen(kMarkerColor, 1.0, Qt::DashLine);
  for (QCPAxisRect* rect : rects()) m.items.append(makeVerticalLine(plot_, rect, pen, QStringLiteral("markers")));
  auto* label = new QCPItemText(plot_);
  label->setLayer(QStringLiteral("markerText"));
  label->setClipAxisRect(lossRect_);
  label->setSelectable(false);
  attachToRect(label->position, lossRect_);
  label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
  label->setPadding(QMargins(3, 1, 3, 1));
  QFont f = font();
  if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * 0.85);
  label->setFont(f);
  label->setColor(kMarkerColor.darker(140));
  label->setBrush(QColor(255, 255, 255, 200));
  label->setText(m.text);
  m.items.append(label);
}

void CurvesPanel::removeMarkerItems(Marker& m) {
  for (QCPAbstractItem* item : m.items) plot_->removeItem(item);
  m.items.clear();
}

void CurvesPanel::placeMarkers() {
  for (int i = 0; i < markers_.size(); ++i) {
    const Marker& m = markers_[i];
    const double key = xAxis_ == XAxis::Steps ? static_cast<double>(m.step) : m.epoch;
    for (QCPAbstractItem* item : m.items) {
      if (auto* line = qobject_cast<QCPItemStraightLine*>(item)) {
        setVerticalLineKey(line, key);
      } else if (auto* label = qobject_cast<QCPItemText*>(item)) {
        label->position->setCoords(key, 0.01);  // rows: layOutMarkerLabels
      }
    }
  }
}

// ---- axes and replot -----------------------------------------------------------------------

void CurvesPanel::syncXRanges(const QCPAxis* source) {
  if (settingRange_) return;
  settingRange_ = true;
  followData_ = false;  // the user panned or zoomed: stop tracking the newest point
  for (QCPAxisRect* rect : rects()) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    if (x != source) x->setRange(source->range());
  }
  settingRange_ = false;
  dirty_ = true;
}

void CurvesPanel::rescaleAxes() {
  if (followData_ && !data_.isEmpty()) {
    double lo = keyOf(data_.points().first());
    double hi = keyOf(data_.points().last());
    if (hi <= lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    settingRange_ = true;
    for (QCPAxisRect* rect : rects()) rect->axis(QCPAxis::atBottom)->setRange(lo, hi);
    settingRange_ = false;
  }
  const QCPRange keyRange = lossRect_->axis(QCPAxis::atBottom)->range();

  // Each value axis fits the visible curves within the shown x range.
  auto fit = [&keyRange](QCPAxis* axis, const QList<QCPGraph*>& graphs, bool logarithmic) {
    QCPRange range;
    if (!visibleValueRange(graphs, logarithmic, keyRange, range)) return;
    if (range.size() <= 0.0) {
      const double d = range.lower != 0.0 ? std::abs(range.lower) * 0.05 : 1.0;
      range = logarithmic ? QCPRange(range.lower / 1.5, range.upper * 1.5)
                          : QCPRange(range.lower - d, range.upper + d);
    }
    axis->setRange(range);
    axis->scaleRange(1.08);  // breathing room; multiplicative on a log axis
  };
  QList<QCPGraph*> lossGraphs;
  for (int term = 0; term < kLossTerms; ++term) lossGraphs << lossGraphs_[term][0] << lossGraphs_[term][1];
  fit(lossAxis(), lossGraphs, logScale_);
  fit(rateRect_->axis(QCPAxis::atLeft), {lrGraph_}, false);
  fit(rateRect_->axis(QCPAxis::atRight), {imgGraph_}, false);
  fitBalanceAxis(keyRange);
  fitResourceAxes(keyRange);
}

void CurvesPanel::onTimer() {
  if (!dirty_) return;
  dirty_ = false;
  // Contrastive top-1 has a point every step: a circle on each of thousands of points made
  // a repaint take most of a second (found by the studio's stress test). About 100 circles
  // mark the curve whatever its length; the line still joins every point.
  contrastiveGraph_->setScatterSkip(std::max(0, contrastiveGraph_->dataCount() / 100 - 1));
  rescaleAxes();
  layOutMarkerLabels();
  if (!hovering_) showLatestReadout();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CurvesPanel::replotNow() {
  dirty_ = false;
  rescaleAxes();
  plot_->replot(QCustomPlot::rpImmediateRefresh);  // lays out the legend: its rect is known
  layOutMarkerLabels();
  plot_->replot(QCustomPlot::rpImmediateRefresh);
}

bool CurvesPanel::visibleValueRange(const QList<QCPGraph*>& graphs, bool positiveOnly, const QCPRange& keyRange,
                                    QCPRange& range) {
  bool any = false;
  for (QCPGraph* g : graphs) {
    if (!g->visible()) continue;
    bool found = false;
    const QCPRange r = g->getValueRange(found, positiveOnly ? QCP::sdPositive : QCP::sdBoth, keyRange);
    if (!found || !std::isfinite(r.lower) || !std::isfinite(r.upper)) continue;
    if (any) {
      range.expand(r);
    } else {
      range = r;
      any = true;
    }
  }
  return any;
}
