// CurvesPanel's balance rect as a stacked share: what fraction of the encoder's update each
// objective contributes, share_k = <g_k, g> / ||g||^2 with g = g_C + g_A + g_N (the trainer's
// grad_share_* metrics). The shares sum to 1, so the bands, stacked C then A then N, fill
// [0, 1]; a term that pulls against the update has a negative share and its band folds
// back under the one before. Chosen in the plot's context menu; the norms and cosines are
// hidden meanwhile, and the rect keeps its place and height.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QAction>

#include <algorithm>
#include <cmath>

#include "widgets/curves_style.h"

using namespace curves_style;

namespace {

constexpr int kShare = CurveData::kShareTerms;

// The top edge of every band at one measured point: cumulative shares, a term that is off
// (NaN) adding nothing. False when the point has no share at all (a run from before
// grad_share_* was written).
bool bandTops(const MetricsPoint& p, double tops[kShare]) {
  double sum = 0;
  bool any = false;
  for (int k = 0; k < kShare; ++k) {
    const double v = CurveData::shareValue(p, k);
    if (!std::isnan(v)) {
      sum += v;
      any = true;
    }
    tops[k] = sum;
  }
  return any;
}

}  // namespace

void CurvesPanel::buildShareGraphs() {
  shareAxis_ = balanceRect_->addAxis(QCPAxis::atLeft);
  shareAxis_->setRange(-0.08, 1.08);
  shareAxis_->setVisible(false);
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  ticker->addTick(0.0, QStringLiteral("0"));
  ticker->addTick(0.5, QStringLiteral("½"));
  ticker->addTick(1.0, QStringLiteral("1"));
  shareAxis_->setTicker(ticker);
  shareAxis_->setSubTicks(false);
  QCPAxis* x = balanceRect_->axis(QCPAxis::atBottom);
  for (int k = 0; k < kShare; ++k) {
    const QColor c = kLossColors[k + 1];  // the loss plot's InfoNCE, rec, denoise
    QCPGraph* g = plot_->addGraph(x, shareAxis_);
    g->setPen(QPen(c.darker(115), 1.2));
    QColor fill = c;
    fill.setAlpha(110);
    g->setBrush(fill);  // down to the band below (setChannelFillGraph), or to 0 for the first
    g->setVisible(false);
    shareGraphs_[k] = g;
  }

  shareAction_ = new QAction(plot_);
  shareAction_->setObjectName(QStringLiteral("balanceShareAction"));
  shareAction_->setCheckable(true);
  plot_->addAction(shareAction_);
  connect(shareAction_, &QAction::toggled, this, &CurvesPanel::setBalanceShare);
}

void CurvesPanel::retranslateShare() {
  const QString names[kShare] = {tr("C share"), tr("A share"), tr("N share")};
  for (int k = 0; k < kShare; ++k) shareGraphs_[k]->setName(names[k]);
  shareAction_->setText(tr("Objective balance as share of the update"));
  shareAction_->setToolTip(
      tr("Each objective's part of the encoder's update direction, ⟨g_k, g⟩ / ‖g‖², "
         "stacked; the parts sum to 1"));
  shareAxis_->setLabel(balanceCollapsed_ ? QString() : tr("share"));
}

void CurvesPanel::setShareData() {
  const QVector<MetricsPoint>& points = data_.points();
  const QVector<double> keys = data_.keys(keyKind());
  QVector<double> k, v[kShare];
  for (int i : data_.balancePoints()) {
    double tops[kShare];
    if (!bandTops(points[i], tops)) continue;
    k.append(keys[i]);
    for (int t = 0; t < kShare; ++t) v[t].append(tops[t]);
  }
  for (int t = 0; t < kShare; ++t) shareGraphs_[t]->setData(k, v[t], true);
}

void CurvesPanel::addShareData(int firstIndex) {
  const QVector<MetricsPoint>& points = data_.points();
  const QVector<int>& measured = data_.balancePoints();
  for (auto it = std::lower_bound(measured.begin(), measured.end(), firstIndex); it != measured.end(); ++it) {
    double tops[kShare];
    if (!bandTops(points[*it], tops)) continue;
    for (int t = 0; t < kShare; ++t) shareGraphs_[t]->addData(keyOf(points[*it]), tops[t]);
  }
}

QVector<QPointF> CurvesPanel::shareBand(int term) const {
  QVector<QPointF> out;
  if (term < 0 || term >= kShare) return out;
  const QCPGraph* g = shareGraphs_[term];
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.append(QPointF(it->key, it->value));
  return out;
}

void CurvesPanel::setBalanceShare(bool share) {
  if (share == balanceShare_) return;
  balanceShare_ = share;
  if (shareAction_->isChecked() != share) shareAction_->setChecked(share);
  QCPAxis* normAxis = balanceRect_->axis(QCPAxis::atLeft);
  normAxis->setVisible(!share);
  balanceRect_->axis(QCPAxis::atRight)->setVisible(!share);
  shareAxis_->setVisible(share);
  // Everything hidden, then the mode's own graphs shown with a fresh legend.
  for (QCPGraph* g : balanceGraphs_) g->setVisible(false);
  for (QCPGraph* g : shareGraphs_) g->setVisible(false);
  balanceLegend_->clearItems();
  updateBalanceVisibility();
  setBalanceCollapsed(balanceCollapsed_);  // axis ticks and labels for the mode
  dirty_ = true;
}

// Called by updateBalanceVisibility in share mode: a band for each term measured, each
// filled down to the visible band below it.
void CurvesPanel::updateShareVisibility() {
  bool seen[kShare] = {};
  for (int i : data_.balancePoints())
    for (int k = 0; k < kShare; ++k) seen[k] = seen[k] || !std::isnan(CurveData::shareValue(data_.points()[i], k));
  bool changed = false;
  for (int k = 0; k < kShare; ++k) changed = changed || shareGraphs_[k]->visible() != seen[k];
  if (!changed && balanceLegend_->itemCount() > 0) return;
  balanceLegend_->clearItems();
  QCPGraph* below = nullptr;
  for (int k = 0; k < kShare; ++k) {
    shareGraphs_[k]->setVisible(seen[k]);
    if (!seen[k]) continue;
    shareGraphs_[k]->setChannelFillGraph(below);
    shareGraphs_[k]->addToLegend(balanceLegend_);
    below = shareGraphs_[k];
  }
}

void CurvesPanel::fitShareAxis(const QCPRange& keyRange) {
  QList<QCPGraph*> bands;
  for (QCPGraph* g : shareGraphs_)
    if (g->visible()) bands << g;
  QCPRange range;
  double lo = 0.0, hi = 1.0;  // the whole update, always in view
  if (visibleValueRange(bands, /*positiveOnly=*/false, keyRange, range)) {
    lo = std::min(lo, range.lower);
    hi = std::max(hi, range.upper);
  }
  const double pad = 0.06 * (hi - lo);
  shareAxis_->setRange(lo - pad, hi + pad);
}
