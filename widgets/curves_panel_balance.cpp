// CurvesPanel's fourth rect, the objective balance: each term's own gradient norm on the
// encoder, ||grad(lambda_k L_k)||, and the cosines between pairs of those gradients, as the
// trainer measures them every train.balance_every steps. Measured points only, like kNN
// top-1. Norms of different terms differ by orders of magnitude, hence the log axis; a
// cosine lives in [-1, 1] whatever the run, hence a fixed right axis with a line at 0
// (below it two objectives pull the encoder apart). A run without measurements (an old
// run, balance_every 0, or the first steps) shrinks the rect to a strip that says so,
// rather than an empty frame taking a fifth of the plot.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QFontMetrics>
#include <QLabel>

#include <algorithm>
#include <cmath>

#include "widgets/curves_style.h"
#include "widgets/log_ticker.h"

using namespace curves_style;

namespace {

// Row stretch of the balance rect once it has data (the loss rect's is 2.6; its outer height
// includes the shared x axis's labels and the legend row above it), and its least inner
// height: three tick labels on each side, as much as a laptop's plot can spare.
constexpr double kBalanceStretch = 1.8;
constexpr int kBalanceMinHeight = 32;
// The cosine axis shows [-kCosLimit, kCosLimit]: [-1, 1] and room for the markers at +-1.
constexpr double kCosLimit = 1.12;

bool isNorm(int term) { return term < CurveData::kBalanceNorms; }

// What the graph of a balance term holds for value v: measured (not NaN) and, for a norm on
// the log axis, positive (a zero gradient has no place on it; the read-out still shows it).
bool plotted(int term, double v) { return !std::isnan(v) && (!isNorm(term) || v > 0.0); }

}  // namespace

void CurvesPanel::buildBalanceRect() {
  QCPAxis* x = balanceRect_->axis(QCPAxis::atBottom);
  QCPAxis* normAxis = balanceRect_->axis(QCPAxis::atLeft);
  QCPAxis* cosAxis = balanceRect_->axis(QCPAxis::atRight);

  QSharedPointer<QCPAxisTickerLog> normTicker(new SparseLogTicker);
  normTicker->setLogBase(10.0);
  normTicker->setTickCount(3);
  normTicker->setSubTickCount(8);
  normAxis->setScaleType(QCPAxis::stLogarithmic);
  normAxis->setTicker(normTicker);
  normAxis->setNumberFormat(QStringLiteral("gb"));  // 3·10⁻⁴, as the learning-rate axis
  normAxis->setNumberPrecision(2);
  normAxis->setRange(1e-3, 1.0);

  // -1, 0, 1: all a strip this short can label.
  QSharedPointer<QCPAxisTickerText> cosTicker(new QCPAxisTickerText);
  cosTicker->addTick(-1.0, QStringLiteral("-1"));
  cosTicker->addTick(0.0, QStringLiteral("0"));
  cosTicker->addTick(1.0, QStringLiteral("1"));
  cosAxis->setTicker(cosTicker);
  cosAxis->setSubTicks(false);
  cosAxis->setRange(-kCosLimit, kCosLimit);
  cosAxis->setTicks(true);
  cosAxis->setTickLabels(true);
  // The orthogonal line: above it two objectives agree, below they conflict.
  cosAxis->grid()->setVisible(true);
  cosAxis->grid()->setPen(Qt::NoPen);
  cosAxis->grid()->setZeroLinePen(QPen(QColor(0xa0, 0xa0, 0xa0), 1.0, Qt::DotLine));

  for (int term = 0; term < kBalanceTerms; ++term) {
    QCPGraph* g;
    if (isNorm(term)) {
      const QColor c = kLossColors[term + 1];  // the loss plot's InfoNCE, rec, denoise
      g = plot_->addGraph(x, normAxis);
      g->setPen(QPen(c, 1.6));
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(c, 1.2), c, 4.5));
    } else {
      const QColor c = kBalanceCosColors[term - CurveData::kBalanceNorms];
      g = plot_->addGraph(x, cosAxis);
      g->setPen(QPen(c, 1.4, Qt::DashLine));
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.2), Qt::white, 4.5));
    }
    g->setVisible(false);
    balanceGraphs_[term] = g;
  }

  balanceHint_ = new QCPItemText(plot_);
  balanceHint_->setLayer(QStringLiteral("markerText"));
  balanceHint_->setClipAxisRect(balanceRect_);
  balanceHint_->setSelectable(false);
  balanceHint_->position->setAxisRect(balanceRect_);
  balanceHint_->position->setType(QCPItemPosition::ptAxisRectRatio);
  balanceHint_->position->setCoords(0.5, 0.5);
  balanceHint_->setPositionAlignment(Qt::AlignCenter);
  QFont f = font();
  if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * 0.85);
  balanceHint_->setFont(f);
  balanceHint_->setColor(QColor(0x70, 0x70, 0x70));

  // One row of entries (norms, then cosines) in the header above the rect, without a box:
  // nothing to stand out from. Never hidden: empty, it is a 2 px row (and QCustomPlot lays
  // out a hidden element in a nested grid badly).
  balanceLegend_->setLayer(QStringLiteral("legend"));
  balanceLegend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  balanceLegend_->setWrap(kBalanceTerms);
  balanceLegend_->setBrush(Qt::NoBrush);
  balanceLegend_->setBorderPen(Qt::NoPen);
  balanceLegend_->setIconSize(14, 8);
  balanceLegend_->setColumnSpacing(8);
  balanceLegend_->setMargins(QMargins(4, 1, 0, 1));
  buildShareGraphs();
  setBalanceCollapsed(true);
}

void CurvesPanel::retranslateBalance() {
  // C, A, N as in the setup form ("Contrastive (C)"...); the colours are the loss plot's.
  const QString names[kBalanceTerms] = {tr("‖∇C‖"),      tr("‖∇A‖"),      tr("‖∇N‖"),
                                        tr("cos(C, A)"), tr("cos(C, N)"), tr("cos(A, N)")};
  for (int term = 0; term < kBalanceTerms; ++term) balanceGraphs_[term]->setName(names[term]);
  // Symbols rather than words: they fit the short rect in every language.
  setValueAxisLabel(balanceRect_->axis(QCPAxis::atLeft), balanceCollapsed_ ? QString() : tr("‖∇‖"));
  setValueAxisLabel(balanceRect_->axis(QCPAxis::atRight), balanceCollapsed_ ? QString() : tr("cos"));
  balanceHint_->setText(tr("Objective balance: not measured yet (every train.balance_every steps)"));
  retranslateShare();
}

void CurvesPanel::setBalanceData() {
  const QVector<MetricsPoint>& points = data_.points();
  const QVector<double> keys = data_.keys(keyKind());
  for (int term = 0; term < kBalanceTerms; ++term) {
    QVector<double> k, v;
    for (int i : data_.balancePoints()) {
      const double value = CurveData::balanceValue(points[i], term);
      if (!plotted(term, value)) continue;
      k.append(keys[i]);
      v.append(value);
    }
    balanceGraphs_[term]->setData(k, v, true);
  }
  setShareData();
}

void CurvesPanel::addBalanceData(int firstIndex) {
  const QVector<MetricsPoint>& points = data_.points();
  const QVector<int>& measured = data_.balancePoints();
  // The measured points among the new ones are the tail of balancePoints().
  auto first = std::lower_bound(measured.begin(), measured.end(), firstIndex);
  for (auto it = first; it != measured.end(); ++it) {
    const MetricsPoint& p = points[*it];
    for (int term = 0; term < kBalanceTerms; ++term) {
      const double value = CurveData::balanceValue(p, term);
      if (plotted(term, value)) balanceGraphs_[term]->addData(keyOf(p), value);
    }
  }
  addShareData(firstIndex);
}

// A term never measured (its objective off, or a cosine with one of them off): no line, no
// legend entry. The legend lists the norms, then the cosines.
void CurvesPanel::updateBalanceVisibility() {
  if (balanceShare_) {
    updateShareVisibility();
    if (data_.balancePoints().isEmpty() != balanceCollapsed_) setBalanceCollapsed(!balanceCollapsed_);
    return;
  }
  bool changed = false;
  for (int term = 0; term < kBalanceTerms; ++term)
    changed = changed || balanceGraphs_[term]->visible() != data_.balanceSeen(term);
  const bool collapse = data_.balancePoints().isEmpty();
  if (changed) {
    balanceLegend_->clearItems();
    for (int term = 0; term < kBalanceTerms; ++term) {
      const bool seen = data_.balanceSeen(term);
      balanceGraphs_[term]->setVisible(seen);
      if (seen) balanceGraphs_[term]->addToLegend(balanceLegend_);
    }
  }
  if (collapse != balanceCollapsed_) setBalanceCollapsed(collapse);
}

void CurvesPanel::setBalanceCollapsed(bool collapsed) {
  balanceCollapsed_ = collapsed;
  QCPAxis* normAxis = balanceRect_->axis(QCPAxis::atLeft);
  QCPAxis* cosAxis = balanceRect_->axis(QCPAxis::atRight);
  for (QCPAxis* axis : {normAxis, cosAxis, shareAxis_}) {
    axis->setTicks(!collapsed);
    axis->setTickLabels(!collapsed);
  }
  normAxis->grid()->setVisible(!collapsed);
  cosAxis->grid()->setVisible(!collapsed);
  balanceHint_->setVisible(collapsed);
  // Collapsed: the inner rect just holds the hint's line; the x axis under it keeps its
  // labels, since this is the bottom rect.
  const int strip = QFontMetrics(balanceHint_->font()).height() + 6;
  balanceRect_->setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
  balanceRect_->setMaximumSize(QWIDGETSIZE_MAX, collapsed ? strip : QWIDGETSIZE_MAX);
  balanceRect_->setMinimumSize(0, collapsed ? strip : kBalanceMinHeight);
  plot_->plotLayout()->setRowStretchFactor(4, collapsed ? 0.01 : kBalanceStretch);
  // With the balance line the read-out has four lines: keep room for them, so that the plot
  // does not jump as the hover moves over steps before the first measurement.
  if (readoutLabel_)  // null while the constructor builds the plot (buildControls sets 3 lines)
    readoutLabel_->setMinimumHeight(readoutLabel_->fontMetrics().lineSpacing() * (collapsed ? 3 : 4) + 4);
  retranslateBalance();  // axis labels only while expanded
  dirty_ = true;
}

void CurvesPanel::fitBalanceAxis(const QCPRange& keyRange) {
  // Markers on every measured point make a repaint slow once there are thousands (the
  // contrastive curve's lesson, onTimer): about 100 per line mark it whatever its length.
  for (QCPGraph* g : balanceGraphs_) g->setScatterSkip(std::max(0, g->dataCount() / 100 - 1));
  if (balanceShare_) {
    fitShareAxis(keyRange);
    return;
  }

  QList<QCPGraph*> norms;
  for (int term = 0; term < CurveData::kBalanceNorms; ++term) norms << balanceGraphs_[term];
  QCPRange range;
  if (!visibleValueRange(norms, /*positiveOnly=*/true, keyRange, range)) return;
  // In decades, with a little room for the markers above and below.
  const double lo = std::log10(range.lower), hi = std::log10(range.upper);
  const double pad = std::max(0.15, 0.08 * (hi - lo));
  balanceRect_->axis(QCPAxis::atLeft)->setRange(std::pow(10.0, lo - pad), std::pow(10.0, hi + pad));
}
