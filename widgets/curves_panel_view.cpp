// CurvesPanel's view choices: where the marker labels go (rows that avoid the legend and
// each other), what the rects have room for, where the legend sits, and the view settings
// remembered between sessions.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QAction>
#include <QFontMetrics>
#include <QSettings>
#include <algorithm>

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

void CurvesPanel::setValueAxisLabel(QCPAxis* axis, const QString& text) {
  axis->setProperty("fullLabel", text);
  axis->setLabel(text);
  dirty_ = true;
}

// On a laptop the plot's ~250 px are split four ways, and the short rects got rotated axis
// labels longer than themselves, running into the next rect's, and three or four tick labels
// on top of each other. Such a label is left out while its rect is that short (the rect's
// legend names its curves), and the short rects get fewer ticks. Called after each layout,
// when the rects' heights are known; a change shows on the next replot.
void CurvesPanel::fitToRectHeights() {
  bool changed = false;
  for (QCPAxisRect* rect : rects()) {
    for (QCPAxis* axis : {rect->axis(QCPAxis::atLeft), rect->axis(QCPAxis::atRight)}) {
      const QVariant full = axis->property("fullLabel");
      if (!full.isValid()) continue;
      const QString text = full.toString();
      // Centred on the rect, the label may reach into the margins above and below it.
      const bool fits = QFontMetrics(axis->labelFont()).horizontalAdvance(text) <= rect->height() + 10;
      const QString shown = fits ? text : QString();
      if (axis->label() != shown) {
        axis->setLabel(shown);
        changed = true;
      }
    }
  }
  constexpr int kShortRect = 45;  // px: below it, two or three tick labels only
  // The loss rect shares a laptop's plot with four others: a tick label every ~30 px at most.
  const int lossTicks = std::clamp(lossRect_->height() / 30, 2, 5);
  if (lossAxis()->ticker()->tickCount() != lossTicks) {
    lossAxis()->ticker()->setTickCount(lossTicks);
    changed = true;
  }
  // The rate and resource rects: a rect under ~24 px (five rects in a laptop's plot) has
  // room for one tick label a side, and the ticker is asked to meet the count rather than
  // add a readable step's extra ticks (the read-out gives every exact value).
  for (QCPAxisRect* rect : {rateRect_, resourceRect_}) {
    const int ticks = rect->height() < 24 ? 1 : rect->height() < kShortRect ? 2 : 3;
    for (QCPAxis* axis : {rect->axis(QCPAxis::atLeft), rect->axis(QCPAxis::atRight)}) {
      const auto strategy = ticks < 3 ? QCPAxisTicker::tssMeetTickCount : QCPAxisTicker::tssReadability;
      if (axis->ticker()->tickCount() != ticks || axis->ticker()->tickStepStrategy() != strategy) {
        axis->ticker()->setTickCount(ticks);
        axis->ticker()->setTickStepStrategy(strategy);
        changed = true;
      }
    }
  }
  if (auto acc = accRect_->axis(QCPAxis::atLeft)->ticker().dynamicCast<QCPAxisTickerFixed>()) {
    const int h = accRect_->height();
    const double step = h < 30 ? 1.0 : h < kShortRect ? 0.5 : 0.25;
    if (acc->tickStep() != step) {
      acc->setTickStep(step);
      changed = true;
    }
  }
  // The balance rect's norm axis: a tick per decade wants ~3 labels, fewer when short.
  const int normTicks = balanceRect_->height() < kShortRect ? 2 : 3;
  if (QCPAxis* norm = balanceRect_->axis(QCPAxis::atLeft); norm->ticker()->tickCount() != normTicks) {
    norm->ticker()->setTickCount(normTicks);
    changed = true;
  }
  if (changed) dirty_ = true;
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
  settings.setValue(QStringLiteral("xAxis"),
                    xAxis_ == XAxis::Epochs ? QStringLiteral("epochs") : QStringLiteral("steps"));
  settings.setValue(QStringLiteral("legend"), static_cast<int>(legendPlace_));
  settings.setValue(QStringLiteral("balanceShare"), balanceShare_);
  settings.setValue(QStringLiteral("showRate"), rateShown_);
  settings.setValue(QStringLiteral("showResources"), resourcesShown_);
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
  if (ok && legend >= 0 && legend <= static_cast<int>(LegendPlace::Hidden))
    setLegendPlace(static_cast<LegendPlace>(legend));
  setBalanceShare(settings.value(QStringLiteral("balanceShare"), false).toBool());
  setRateShown(settings.value(QStringLiteral("showRate"), true).toBool());
  setResourcesShown(settings.value(QStringLiteral("showResources"), true).toBool());
  settings.endGroup();
}
