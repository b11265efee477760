#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/log_ticker.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A colour-blind-friendly categorical palette (Tableau 10), one hue per curve.
const QColor kLossColors[] = {QColor(0x26, 0x26, 0x26), QColor(0x1f, 0x77, 0xb4),
                              QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c)};
const QColor kLrColor(0x94, 0x67, 0xbd);
const QColor kImgColor(0x17, 0x9e, 0xaf);
const QColor kContrastiveColor(0xe3, 0x77, 0xc2);
const QColor kKnnColor(0xd6, 0x27, 0x28);
const QColor kMarkerColor(0x70, 0x70, 0x70);

void styleAxis(QCPAxis* axis) {
  axis->setBasePen(QPen(QColor(0x90, 0x90, 0x90), 1));
  axis->setTickPen(QPen(QColor(0x90, 0x90, 0x90), 1));
  axis->setSubTickPen(QPen(QColor(0xb0, 0xb0, 0xb0), 1));
  axis->setTickLabelColor(QColor(0x40, 0x40, 0x40));
  axis->setLabelColor(QColor(0x30, 0x30, 0x30));
  axis->grid()->setPen(QPen(QColor(0xe4, 0xe4, 0xe4), 1));
  axis->grid()->setZeroLinePen(Qt::NoPen);
}

// Item positions: x in plot coordinates of rect's key axis, y as a fraction of its height,
// so vertical lines span the rect whatever the value axis (log included).
void attachToRect(QCPItemPosition* pos, QCPAxisRect* rect) {
  pos->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  pos->setAxisRect(rect);
  pos->setTypeX(QCPItemPosition::ptPlotCoords);
  pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
}

QCPItemStraightLine* makeVerticalLine(QCustomPlot* plot, QCPAxisRect* rect, const QPen& pen,
                                      const QString& layer) {
  auto* line = new QCPItemStraightLine(plot);
  line->setLayer(layer);
  line->setPen(pen);
  line->setClipAxisRect(rect);
  line->setSelectable(false);
  attachToRect(line->point1, rect);
  attachToRect(line->point2, rect);
  return line;
}

void setVerticalLineKey(QCPItemStraightLine* line, double key) {
  line->point1->setCoords(key, 0.0);
  line->point2->setCoords(key, 1.0);
}

}  // namespace

QVector<double> CurvesPanel::smooth(const QVector<double>& raw, double weight) {
  return CurveData::smooth(raw, weight);
}

// ---- construction --------------------------------------------------------------------------

CurvesPanel::CurvesPanel(QWidget* parent) : QWidget(parent) {
  buildPlot();
  buildControls();
  retranslateUi();

  replotTimer_ = new QTimer(this);
  replotTimer_->setInterval(kReplotIntervalMs);
  connect(replotTimer_, &QTimer::timeout, this, &CurvesPanel::onTimer);
  replotTimer_->start();
}

CurvesPanel::~CurvesPanel() = default;

void CurvesPanel::buildPlot() {
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("curvesPlot"));
  plot_->setMinimumHeight(260);
  plot_->setAutoAddPlottableToLegend(false);
  plot_->setNoAntialiasingOnDrag(true);
  plot_->setMouseTracking(true);  // hover read-out without a pressed button
  plot_->installEventFilter(this);
  plot_->plotLayout()->setRowSpacing(2);

  // Marker lines under the curves, their labels and the hover cursor above. The hover layer
  // is buffered on its own so moving the cursor repaints only it.
  plot_->addLayer(QStringLiteral("markers"), plot_->layer(QStringLiteral("grid")),
                  QCustomPlot::limAbove);
  plot_->addLayer(QStringLiteral("markerText"), plot_->layer(QStringLiteral("main")),
                  QCustomPlot::limAbove);
  plot_->addLayer(QStringLiteral("hover"), plot_->layer(QStringLiteral("markerText")),
                  QCustomPlot::limAbove);
  plot_->layer(QStringLiteral("hover"))->setMode(QCPLayer::lmBuffered);

  lossRect_ = plot_->axisRect();
  rateRect_ = new QCPAxisRect(plot_);
  accRect_ = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(1, 0, rateRect_);
  plot_->plotLayout()->addElement(2, 0, accRect_);
  plot_->plotLayout()->setRowStretchFactor(0, 3.0);
  plot_->plotLayout()->setRowStretchFactor(1, 1.3);
  plot_->plotLayout()->setRowStretchFactor(2, 1.3);

  // Same left/right margins everywhere, so the stacked x axes line up pixel for pixel.
  auto* margins = new QCPMarginGroup(plot_);
  const QList<QCPAxisRect*> rects = {lossRect_, rateRect_, accRect_};
  for (QCPAxisRect* rect : rects) {
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->setRangeDragAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    rect->setRangeZoomAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    for (QCPAxis* axis : rect->axes()) styleAxis(axis);
    // A closed frame: the top and right axes as plain lines.
    rect->axis(QCPAxis::atTop)->setVisible(true);
    rect->axis(QCPAxis::atTop)->setTicks(false);
    rect->axis(QCPAxis::atTop)->setTickLabels(false);
    rect->axis(QCPAxis::atRight)->setVisible(true);
    rect->axis(QCPAxis::atRight)->setTicks(false);
    rect->axis(QCPAxis::atRight)->setTickLabels(false);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            [this, x](const QCPRange&) { syncXRanges(x); });
  }
  // Only the bottom rect labels the shared x axis.
  lossRect_->axis(QCPAxis::atBottom)->setTickLabels(false);
  rateRect_->axis(QCPAxis::atBottom)->setTickLabels(false);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

  // (a) losses: raw lines first so every smoothed line draws over them, the total last.
  QCPAxis* lossX = lossRect_->axis(QCPAxis::atBottom);
  QCPAxis* lossY = lossRect_->axis(QCPAxis::atLeft);
  for (int i = kLossTerms - 1; i >= 0; --i) {
    QCPGraph* g = plot_->addGraph(lossX, lossY);
    QColor c = kLossColors[i];
    c.setAlpha(80);
    g->setPen(QPen(c, 1.0));
    g->setVisible(false);
    lossGraphs_[i][0] = g;
  }
  for (int i = kLossTerms - 1; i >= 0; --i) {
    QCPGraph* g = plot_->addGraph(lossX, lossY);
    g->setPen(QPen(kLossColors[i], i == 0 ? 2.2 : 1.8));
    g->setVisible(false);
    lossGraphs_[i][1] = g;
  }
  QCPLegend* lossLegend = plot_->legend;
  lossLegend->setVisible(false);
  lossRect_->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

  // (b) learning rate (left) and throughput (right).
  QCPAxis* lrAxis = rateRect_->axis(QCPAxis::atLeft);
  QCPAxis* imgAxis = rateRect_->axis(QCPAxis::atRight);
  imgAxis->setTicks(true);
  imgAxis->setTickLabels(true);
  lrAxis->setNumberFormat(QStringLiteral("gb"));
  lrAxis->setNumberPrecision(2);
  lrAxis->setTickLabelColor(kLrColor.darker(120));
  lrAxis->setLabelColor(kLrColor.darker(120));
  imgAxis->setTickLabelColor(kImgColor.darker(130));
  imgAxis->setLabelColor(kImgColor.darker(130));
  lrAxis->ticker()->setTickCount(3);
  imgAxis->ticker()->setTickCount(3);
  lrGraph_ = plot_->addGraph(rateRect_->axis(QCPAxis::atBottom), lrAxis);
  lrGraph_->setPen(QPen(kLrColor, 1.6));
  imgGraph_ = plot_->addGraph(rateRect_->axis(QCPAxis::atBottom), imgAxis);
  QColor imgPen = kImgColor;
  imgPen.setAlpha(200);
  imgGraph_->setPen(QPen(imgPen, 1.2));

  // (c) top-1 accuracies in [0, 1]: measured points only, joined by lines.
  QCPAxis* accAxis = accRect_->axis(QCPAxis::atLeft);
  QSharedPointer<QCPAxisTickerFixed> accTicker(new QCPAxisTickerFixed);
  accTicker->setTickStep(0.25);
  accTicker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
  accAxis->setTicker(accTicker);
  accAxis->setRange(-0.04, 1.04);
  contrastiveGraph_ = plot_->addGraph(accRect_->axis(QCPAxis::atBottom), accAxis);
  contrastiveGraph_->setPen(QPen(kContrastiveColor, 1.5));
  contrastiveGraph_->setScatterStyle(
      QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kContrastiveColor, 1.5), Qt::white, 5));
  knnGraph_ = plot_->addGraph(accRect_->axis(QCPAxis::atBottom), accAxis);
  knnGraph_->setPen(QPen(kKnnColor, 1.5));
  knnGraph_->setScatterStyle(
      QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(kKnnColor, 1.5), kKnnColor, 5));

  // One legend per rect, each in its top-right corner.
  auto makeLegend = [this](QCPAxisRect* rect) {
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    return legend;
  };
  rateLegend_ = makeLegend(rateRect_);
  accLegend_ = makeLegend(accRect_);
  for (QCPLegend* legend : {lossLegend, rateLegend_, accLegend_}) {
    QFont f = font();
    if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * 0.9);
    legend->setFont(f);
    legend->setBrush(QColor(255, 255, 255, 215));
    legend->setBorderPen(QPen(QColor(0xc8, 0xc8, 0xc8)));
    legend->setIconSize(18, 8);
    legend->setRowSpacing(1);
    legend->setColumnSpacing(10);
  }
  lrGraph_->addToLegend(rateLegend_);
  imgGraph_->addToLegend(rateLegend_);
  accLegend_->setVisible(false);

  const QPen hoverPen(QColor(0x50, 0x50, 0x50, 150), 1.0);
  for (QCPAxisRect* rect : rects) {
    QCPItemStraightLine* line = makeVerticalLine(plot_, rect, hoverPen, QStringLiteral("hover"));
    line->setVisible(false);
    hoverLines_.append(line);
  }

  connect(plot_, &QCustomPlot::mouseMove, this, &CurvesPanel::onPlotMouseMove);
  // Double-click: follow the data again after a pan or zoom.
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
    followData_ = true;
    dirty_ = true;
  });
  applyLossAxisScale();
}

void CurvesPanel::buildControls() {
  readoutLabel_ = new QLabel(this);
  readoutLabel_->setObjectName(QStringLiteral("readoutLabel"));
  readoutLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  readoutLabel_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  // Long read-outs wrap instead of widening the whole panel (and squeezing the docks).
  readoutLabel_->setWordWrap(true);
  readoutLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  readoutLabel_->setMinimumHeight(readoutLabel_->fontMetrics().lineSpacing() * 3 + 4);
  readoutLabel_->setStyleSheet(QStringLiteral("color: #404040;"));

  smoothingLabel_ = new QLabel(this);
  smoothingSlider_ = new QSlider(Qt::Horizontal, this);
  smoothingSlider_->setObjectName(QStringLiteral("smoothingSlider"));
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setValue(qRound(smoothing() * 100.0));
  smoothingSlider_->setMinimumWidth(120);
  smoothingSlider_->setMaximumWidth(220);
  smoothingValueLabel_ = new QLabel(this);
  smoothingValueLabel_->setObjectName(QStringLiteral("smoothingValueLabel"));
  smoothingValueLabel_->setText(QString::number(smoothing(), 'f', 2));
  smoothingValueLabel_->setMinimumWidth(
      smoothingValueLabel_->fontMetrics().horizontalAdvance(QStringLiteral("0.00")) + 4);
  smoothingLabel_->setBuddy(smoothingSlider_);

  logScaleCheck_ = new QCheckBox(this);
  logScaleCheck_->setObjectName(QStringLiteral("logScaleCheck"));

  xAxisLabel_ = new QLabel(this);
  xAxisCombo_ = new QComboBox(this);
  xAxisCombo_->setObjectName(QStringLiteral("xAxisCombo"));
  xAxisCombo_->addItem(QString(), static_cast<int>(XAxis::Steps));
  xAxisCombo_->addItem(QString(), static_cast<int>(XAxis::Epochs));
  xAxisLabel_->setBuddy(xAxisCombo_);

  exportCsvButton_ = new QPushButton(this);
  exportCsvButton_->setObjectName(QStringLiteral("exportCsvButton"));
  exportPngButton_ = new QPushButton(this);
  exportPngButton_->setObjectName(QStringLiteral("exportPngButton"));

  connect(smoothingSlider_, &QSlider::valueChanged, this,
          [this](int v) { setSmoothing(v / 100.0); });
  connect(logScaleCheck_, &QCheckBox::toggled, this, &CurvesPanel::setLogScale);
  connect(xAxisCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    setXAxis(static_cast<XAxis>(xAxisCombo_->itemData(i).toInt()));
  });
  connect(exportCsvButton_, &QPushButton::clicked, this, &CurvesPanel::exportCsvInteractive);
  connect(exportPngButton_, &QPushButton::clicked, this, &CurvesPanel::exportPngInteractive);

  auto* controls = new QHBoxLayout;
  controls->addWidget(smoothingLabel_);
  controls->addWidget(smoothingSlider_);
  controls->addWidget(smoothingValueLabel_);
  controls->addSpacing(12);
  controls->addWidget(logScaleCheck_);
  controls->addSpacing(12);
  controls->addWidget(xAxisLabel_);
  controls->addWidget(xAxisCombo_);
  controls->addStretch(1);
  controls->addWidget(exportCsvButton_);
  controls->addWidget(exportPngButton_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addWidget(plot_, 1);
  layout->addWidget(readoutLabel_);
  layout->addLayout(controls);
}

void CurvesPanel::retranslateUi() {
  const QString lossNames[kLossTerms] = {tr("Total (weighted)"), tr("InfoNCE"),
                                         tr("Reconstruction"), tr("Denoising")};
  for (int i = 0; i < kLossTerms; ++i) {
    lossGraphs_[i][1]->setName(lossNames[i]);
    lossGraphs_[i][0]->setName(tr("%1 (raw)").arg(lossNames[i]));
  }
  lrGraph_->setName(tr("Learning rate"));
  imgGraph_->setName(tr("Images/s"));
  contrastiveGraph_->setName(tr("Contrastive top-1"));
  knnGraph_->setName(tr("kNN top-1"));

  lossAxis()->setLabel(logScale_ ? tr("Loss (log)") : tr("Loss"));
  rateRect_->axis(QCPAxis::atLeft)->setLabel(tr("Learning rate"));
  rateRect_->axis(QCPAxis::atRight)->setLabel(tr("Images/s"));
  accRect_->axis(QCPAxis::atLeft)->setLabel(tr("Top-1"));
  accRect_->axis(QCPAxis::atBottom)->setLabel(xAxis_ == XAxis::Steps ? tr("Step") : tr("Epoch"));

  smoothingLabel_->setText(tr("&Smoothing"));
  smoothingSlider_->setToolTip(
      tr("Weight of the debiased exponential moving average drawn as the solid line "
         "(0 = raw values)."));
  logScaleCheck_->setText(tr("&Log scale"));
  logScaleCheck_->setToolTip(tr("Logarithmic loss axis"));
  xAxisLabel_->setText(tr("&X axis"));
  xAxisCombo_->setItemText(0, tr("Steps"));
  xAxisCombo_->setItemText(1, tr("Epochs"));
  exportCsvButton_->setText(tr("Export CSV…"));
  exportCsvButton_->setToolTip(tr("Save every received point as a CSV file"));
  exportPngButton_->setText(tr("Export PNG…"));
  exportPngButton_->setToolTip(tr("Save the plot as a PNG image"));
  // On the read-out, not the plot: a tooltip would cover the curves being read.
  readoutLabel_->setToolTip(
      tr("Hover over the plot to read every curve at a step. Drag or wheel to pan and zoom "
         "in x; double-click to follow the run again."));

  if (hovering_)
    readoutLabel_->setText(readoutAt(hoverKey_));
  else if (data_.isEmpty())
    readoutLabel_->setText(QString());
  else
    showLatestReadout();
  dirty_ = true;
}

void CurvesPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslateUi();
  QWidget::changeEvent(event);
}

bool CurvesPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == plot_ && event->type() == QEvent::Leave) showHover(false);
  return QWidget::eventFilter(watched, event);
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
    legend->setVisible(legend->itemCount() > 0);
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
        // Stagger consecutive labels so nearby markers stay readable.
        label->position->setCoords(key, 0.01 + 0.075 * (i % 3));
      }
    }
  }
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
  rescaleAxes();
  if (!hovering_) showLatestReadout();
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CurvesPanel::replotNow() {
  dirty_ = false;
  rescaleAxes();
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
      this, tr("Export loss curves as CSV"), QStringLiteral("loss_curves.csv"),
      tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export CSV"), error);
}

void CurvesPanel::exportPngInteractive() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export loss curves as PNG"), QStringLiteral("loss_curves.png"),
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
