#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
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
  QVector<double> cKeys, cValues, kKeys, kValues;
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
  }
  lrGraph_->setData(keys, lr, true);
  imgGraph_->setData(keys, img, true);
  contrastiveGraph_->setData(cKeys, cValues, true);
  knnGraph_->setData(kKeys, kValues, true);
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
  }
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
  const bool accChanged =
      (contrastiveGraph_->dataCount() > 0) != accLegend_->hasItemWithPlottable(contrastiveGraph_) ||
      (knnGraph_->dataCount() > 0) != accLegend_->hasItemWithPlottable(knnGraph_);
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
    accLegend_->setVisible(accLegend_->itemCount() > 0);
  }
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
  accRect_->axis(QCPAxis::atBottom)->setLabel(xAxis_ == XAxis::Steps ? tr("Step") : tr("Epoch"));
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
  lossAxis()->setLabel(logScale_ ? tr("Loss (log)") : tr("Loss"));
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
  for (QCPAxisRect* rect : {lossRect_, rateRect_, accRect_})
    m.items.append(makeVerticalLine(plot_, rect, pen, QStringLiteral("markers")));
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

// Each label goes in the first row (from the top of the loss rect) where it overlaps
// neither the loss legend nor a label placed before it; a label that fits no row keeps the
// last one. Pixels, so it holds at any zoom; recomputed before every replot (a handful of
// markers: negligible).
void CurvesPanel::layOutMarkerLabels() {
  const QRect area = lossRect_->rect();
  const QRectF legend = lossLegendRect();
  QVector<QRectF> placed;
  for (const Marker& m : markers_) {
    QCPItemText* label = nullptr;
    for (QCPAbstractItem* item : m.items)
      if (auto* t = qobject_cast<QCPItemText*>(item)) label = t;
    if (!label) continue;
    const QFontMetrics fm(label->font());
    const QMargins pad = label->padding();
    const double w = fm.horizontalAdvance(label->text()) + pad.left() + pad.right() + 2;
    const double h = fm.height() + pad.top() + pad.bottom() + 1;
    const double x = lossRect_->axis(QCPAxis::atBottom)->coordToPixel(label->position->key());
    const int rows = std::max(1, int((area.height() - 4) / h));
    QRectF r;
    for (int row = 0; row < rows; ++row) {
      r = QRectF(x, area.top() + 2 + row * h, w, h);
      bool clash = legend.isValid() && r.intersects(legend);
      for (const QRectF& other : placed) clash = clash || r.intersects(other);
      if (!clash) break;
    }
    placed.append(r);
    label->position->setCoords(label->position->key(), (r.top() - area.top()) / std::max(1, area.height()));
  }
}

QVector<QRectF> CurvesPanel::markerLabelRects() const {
  QVector<QRectF> out;
  for (const Marker& m : markers_)
    for (QCPAbstractItem* item : m.items)
      if (auto* t = qobject_cast<QCPItemText*>(item)) {
        const QPointF tl = t->position->pixelPosition();
        const QFontMetrics fm(t->font());
        const QMargins pad = t->padding();
        out.append(QRectF(tl, QSizeF(fm.horizontalAdvance(t->text()) + pad.left() + pad.right(),
                                     fm.height() + pad.top() + pad.bottom())));
      }
  return out;
}

QRectF CurvesPanel::lossLegendRect() const {
  const QCPLegend* legend = plot_->legend;
  if (!legend->visible() || legend->itemCount() == 0) return QRectF();
  return QRectF(legend->outerRect());
}

void CurvesPanel::setLegendPlace(LegendPlace place) {
  legendPlace_ = place;
  static const Qt::Alignment kAlign[] = {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                         Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft};
  if (place != LegendPlace::Hidden) lossRect_->insetLayout()->setInsetAlignment(0, kAlign[static_cast<int>(place)]);
  plot_->legend->setVisible(place != LegendPlace::Hidden && plot_->legend->itemCount() > 0);
  const int i = static_cast<int>(place);
  if (i < legendActions_.size()) legendActions_[i]->setChecked(true);
  dirty_ = true;
}

void CurvesPanel::saveViewSettings(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("curves"));
  settings.setValue(QStringLiteral("smoothing"), smoothing());
  settings.setValue(QStringLiteral("logScale"), logScale_);
  settings.setValue(QStringLiteral("xAxis"), xAxis_ == XAxis::Epochs ? QStringLiteral("epochs") : QStringLiteral("steps"));
  settings.setValue(QStringLiteral("legend"), static_cast<int>(legendPlace_));
  settings.endGroup();
}

void CurvesPanel::restoreViewSettings(QSettings& settings) {
  settings.beginGroup(QStringLiteral("curves"));
  bool ok = false;
  const double w = settings.value(QStringLiteral("smoothing")).toDouble(&ok);
  if (ok && w >= 0.0 && w <= 0.99) setSmoothing(w);
  if (settings.contains(QStringLiteral("logScale"))) setLogScale(settings.value(QStringLiteral("logScale")).toBool());
  const QString x = settings.value(QStringLiteral("xAxis")).toString();
  if (x == QStringLiteral("steps") || x == QStringLiteral("epochs"))
    setXAxis(x == QStringLiteral("epochs") ? XAxis::Epochs : XAxis::Steps);
  const int legend = settings.value(QStringLiteral("legend"), -1).toInt(&ok);
  if (ok && legend >= 0 && legend <= static_cast<int>(LegendPlace::Hidden)) setLegendPlace(static_cast<LegendPlace>(legend));
  settings.endGroup();
}

// ---- axes and replot -----------------------------------------------------------------------

void CurvesPanel::syncXRanges(const QCPAxis* source) {
  if (settingRange_) return;
  settingRange_ = true;
  followData_ = false;  // the user panned or zoomed: stop tracking the newest point
  for (QCPAxisRect* rect : {lossRect_, rateRect_, accRect_}) {
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
    for (QCPAxisRect* rect : {lossRect_, rateRect_, accRect_})
      rect->axis(QCPAxis::atBottom)->setRange(lo, hi);
    settingRange_ = false;
  }
  const QCPRange keyRange = lossRect_->axis(QCPAxis::atBottom)->range();

  // Each value axis fits the visible curves within the shown x range.
  auto fit = [&keyRange](QCPAxis* axis, const QList<QCPGraph*>& graphs, bool logarithmic) {
    bool any = false;
    QCPRange range;
    for (QCPGraph* g : graphs) {
      if (!g->visible()) continue;
      bool found = false;
      const QCPRange r =
          g->getValueRange(found, logarithmic ? QCP::sdPositive : QCP::sdBoth, keyRange);
      if (!found || !std::isfinite(r.lower) || !std::isfinite(r.upper)) continue;
      if (any) {
        range.expand(r);
      } else {
        range = r;
        any = true;
      }
    }
    if (!any) return;
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

// ---- hover read-out ------------------------------------------------------------------------

QString CurvesPanel::readoutAt(double key) const {
  CurveData::ReadoutLabels labels;
  labels.stepEpoch = tr("step %1   epoch %2");
  labels.lossTerm = tr("%1 %2 (smoothed %3)");
  for (int term = 0; term < kLossTerms; ++term)
    labels.lossNames[term] = lossGraphs_[term][1]->name();  // the translated legend names
  labels.lr = tr("lr %1");
  labels.imgPerS = tr("%1 img/s");
  labels.gradNorm = tr("grad norm %1");
  labels.contrastiveTop1 = tr("contrastive top-1 %1");
  labels.knnTop1 = tr("kNN top-1 %1");
  return data_.readoutAt(key, keyKind(), labels);
}

void CurvesPanel::showLatestReadout() {
  if (!data_.isEmpty()) readoutLabel_->setText(readoutAt(keyOf(data_.points().last())));
}

void CurvesPanel::onPlotMouseMove(QMouseEvent* event) {
  const QPointF pos = event->position();
  QCPAxisRect* rect = plot_->axisRectAt(pos);
  if (!rect || data_.isEmpty()) {
    showHover(false);
    return;
  }
  const double key = rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x());
  const int i = data_.nearestIndex(key, keyKind());
  if (i < 0) {
    showHover(false);
    return;
  }
  hoverKey_ = keyOf(data_.points()[i]);
  for (QCPItemStraightLine* line : hoverLines_) setVerticalLineKey(line, hoverKey_);
  readoutLabel_->setText(readoutAt(hoverKey_));
  showHover(true);
}

void CurvesPanel::showHover(bool on) {
  const bool changed = on != hovering_;
  hovering_ = on;
  for (QCPItemStraightLine* line : hoverLines_) line->setVisible(on);
  if (!on) showLatestReadout();
  if (on || changed) plot_->layer(QStringLiteral("hover"))->replot();
}

// ---- export --------------------------------------------------------------------------------

bool CurvesPanel::exportCsv(const QString& path, QString* error) const {
  QString fileError;
  if (data_.writeCsv(path, &fileError)) return true;
  if (error) *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), fileError);
  return false;
}

bool CurvesPanel::exportPng(const QString& path, int width, int height, QString* error) {
  const bool wasHovering = hovering_;
  showHover(false);  // the cursor line is not part of the figure
  replotNow();
  const bool ok = plot_->savePng(path, width, height);
  if (wasHovering) showHover(true);
  if (!ok && error) *error = tr("Cannot write the image %1").arg(QDir::toNativeSeparators(path));
  return ok;
}

void CurvesPanel::exportCsvInteractive() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export loss curves as CSV"), QDir(exportFolder_).filePath(QStringLiteral("loss_curves.csv")),
      tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export CSV"), error);
}

void CurvesPanel::exportPngInteractive() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export loss curves as PNG"), QDir(exportFolder_).filePath(QStringLiteral("loss_curves.png")),
      tr("PNG images (*.png);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportPng(path, plot_->width(), plot_->height(), &error))
    QMessageBox::warning(this, tr("Export PNG"), error);
}

// ---- accessors -----------------------------------------------------------------------------

QCPAxis* CurvesPanel::lossAxis() const { return lossRect_->axis(QCPAxis::atLeft); }

QCPGraph* CurvesPanel::graph(const QString& term, bool smoothed) const {
  const int i = CurveData::lossTermIndex(term);
  if (i >= 0) return lossGraphs_[i][smoothed ? 1 : 0];
  if (smoothed) return nullptr;
  if (term == QLatin1String("lr")) return lrGraph_;
  if (term == QLatin1String("img_per_s")) return imgGraph_;
  if (term == QLatin1String("contrastive_top1")) return contrastiveGraph_;
  if (term == QLatin1String("knn_top1")) return knnGraph_;
  return nullptr;
}

QVector<double> CurvesPanel::rawValues(const QString& term) const {
  return data_.rawValues(term);
}

QVector<double> CurvesPanel::smoothedValues(const QString& term) const {
  return data_.smoothedValues(term);
}
