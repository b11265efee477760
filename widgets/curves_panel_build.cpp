// CurvesPanel's construction: the plot with its four axis rects (the balance rect's own
// graphs and axes in curves_panel_balance.cpp), legends and graphs, the
// controls under it, and their texts in the current language. What happens as data
// arrives and settings change is in curves_panel.cpp.
#include "widgets/curves_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QActionGroup>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/curves_style.h"
#include "widgets/log_ticker.h"

using namespace curves_style;

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
  plot_->setMinimumHeight(180);  // five rects still readable at 1280x720
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
  resourceRect_ = new QCPAxisRect(plot_);
  accRect_ = new QCPAxisRect(plot_);
  balanceRect_ = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(1, 0, rateRect_);
  plot_->plotLayout()->addElement(2, 0, resourceRect_);
  plot_->plotLayout()->addElement(3, 0, accRect_);
  // The balance rect's legend is a header row above it, on the right, not an inset: in a
  // rect this short an inset row would cover a third of the curves. A spacer fills the
  // header's left (a legend alone would be stretched across the width).
  balanceLegend_ = new QCPLegend;
  auto* balanceCell = new QCPLayoutGrid;
  auto* balanceHeader = new QCPLayoutGrid;
  plot_->plotLayout()->addElement(4, 0, balanceCell);
  balanceCell->addElement(0, 0, balanceHeader);
  balanceCell->addElement(1, 0, balanceRect_);
  balanceCell->setRowSpacing(0);
  balanceCell->setRowStretchFactor(0, 0.001);  // the header: its least height only
  balanceHeader->addElement(0, 0, new QCPLayoutElement(plot_));
  balanceHeader->addElement(0, 1, balanceLegend_);
  balanceHeader->setColumnStretchFactor(1, 0.001);  // the legend: its least width only
  // The balance row's factor is set by setBalanceCollapsed (a strip until it has data).
  plot_->plotLayout()->setRowStretchFactor(0, 2.6);
  plot_->plotLayout()->setRowStretchFactor(1, kRateStretch);
  plot_->plotLayout()->setRowStretchFactor(2, 0.8);  // resources: set again by updateResourceVisibility
  plot_->plotLayout()->setRowStretchFactor(3, 1.0);

  // Same left/right margins everywhere, so the stacked x axes line up pixel for pixel.
  auto* margins = new QCPMarginGroup(plot_);
  for (QCPAxisRect* rect : rects()) {
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    // QCustomPlot's default 15 px above and below every rect cost four stacked rects 120 px
    // of a laptop's ~230 px plot; the frame lines need a few. Its default least height of
    // 50 px per rect is replaced by what each needs: the loss rect its four-row legend, the
    // rate and accuracy rects two tick labels (the balance rect: curves_panel_balance.cpp).
    rect->setMinimumMargins(QMargins(15, 4, 15, 4));
    rect->setMinimumSize(0, rect == lossRect_ ? 64 : 22);
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
  for (QCPAxisRect* rect : rects())
    if (rect != balanceRect_) rect->axis(QCPAxis::atBottom)->setTickLabels(false);
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
  // The embedding's spread (representation health): also a fraction, so on the same axis.
  healthGraph_ = plot_->addGraph(accRect_->axis(QCPAxis::atBottom), accAxis);
  healthGraph_->setPen(QPen(kHealthColor, 1.4, Qt::DashDotLine));
  healthGraph_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(kHealthColor, 1.2), Qt::white, 5));

  // One legend per rect, each in its top-right corner.
  auto makeLegend = [this](QCPAxisRect* rect) {
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    return legend;
  };
  rateLegend_ = makeLegend(rateRect_);
  resourceLegend_ = makeLegend(resourceRect_);
  accLegend_ = makeLegend(accRect_);
  for (QCPLegend* legend : {lossLegend, rateLegend_, resourceLegend_, accLegend_, balanceLegend_}) {
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
  buildResourceRect();
  updateResourceVisibility();  // a strip until the first sample
  buildBalanceRect();

  const QPen hoverPen(QColor(0x50, 0x50, 0x50, 150), 1.0);
  for (QCPAxisRect* rect : rects()) {
    QCPItemStraightLine* line = makeVerticalLine(plot_, rect, hoverPen, QStringLiteral("hover"));
    line->setVisible(false);
    hoverLines_.append(line);
  }

  connect(plot_, &QCustomPlot::mouseMove, this, &CurvesPanel::onPlotMouseMove);
  connect(plot_, &QCustomPlot::afterLayout, this, &CurvesPanel::fitToRectHeights);
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
  smoothingSlider_->setMinimumWidth(70);
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

  // One Export button with a menu: two buttons cost the width a laptop screen lacks.
  exportButton_ = new QToolButton(this);
  exportButton_->setObjectName(QStringLiteral("exportButton"));
  exportButton_->setPopupMode(QToolButton::InstantPopup);
  exportButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  auto* exportMenu = new QMenu(exportButton_);
  exportCsvAction_ = exportMenu->addAction(QString());
  exportCsvAction_->setObjectName(QStringLiteral("exportCsvAction"));
  exportPngAction_ = exportMenu->addAction(QString());
  exportPngAction_->setObjectName(QStringLiteral("exportPngAction"));
  exportButton_->setMenu(exportMenu);

  // The plot's context menu: where the loss legend sits, or hidden.
  plot_->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* legendGroup = new QActionGroup(this);
  for (int i = 0; i <= static_cast<int>(LegendPlace::Hidden); ++i) {
    auto* a = new QAction(plot_);
    a->setCheckable(true);
    a->setChecked(static_cast<LegendPlace>(i) == legendPlace_);
    a->setObjectName(QStringLiteral("legendAction%1").arg(i));
    legendGroup->addAction(a);
    plot_->addAction(a);
    connect(a, &QAction::triggered, this, [this, i] { setLegendPlace(static_cast<LegendPlace>(i)); });
    legendActions_.append(a);
  }
  auto* separator = new QAction(plot_);
  separator->setSeparator(true);
  plot_->addAction(separator);
  buildGroupActions();

  connect(smoothingSlider_, &QSlider::valueChanged, this,
          [this](int v) { setSmoothing(v / 100.0); });
  connect(logScaleCheck_, &QCheckBox::toggled, this, &CurvesPanel::setLogScale);
  connect(xAxisCombo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    setXAxis(static_cast<XAxis>(xAxisCombo_->itemData(i).toInt()));
  });
  connect(exportCsvAction_, &QAction::triggered, this, &CurvesPanel::exportCsvInteractive);
  connect(exportPngAction_, &QAction::triggered, this, &CurvesPanel::exportPngInteractive);

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
  controls->addWidget(exportButton_);

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
  healthGraph_->setName(tr("Spread (std·√r)"));
  retranslateResources();
  retranslateGroups();

  setValueAxisLabel(lossAxis(), logScale_ ? tr("Loss (log)") : tr("Loss"));
  setValueAxisLabel(rateRect_->axis(QCPAxis::atLeft), tr("Learning rate"));
  setValueAxisLabel(rateRect_->axis(QCPAxis::atRight), tr("Images/s"));
  setValueAxisLabel(accRect_->axis(QCPAxis::atLeft), tr("Top-1"));
  bottomXAxis()->setLabel(xAxis_ == XAxis::Steps ? tr("Step") : tr("Epoch"));
  retranslateBalance();

  smoothingLabel_->setText(tr("&Smoothing"));
  smoothingSlider_->setToolTip(
      tr("Weight of the debiased exponential moving average drawn as the solid line "
         "(0 = raw values)."));
  logScaleCheck_->setText(tr("&Log scale"));
  logScaleCheck_->setToolTip(tr("Logarithmic loss axis"));
  xAxisLabel_->setText(tr("&X axis"));
  xAxisCombo_->setItemText(0, tr("Steps"));
  xAxisCombo_->setItemText(1, tr("Epochs"));
  exportButton_->setText(tr("Export"));
  exportCsvAction_->setText(tr("Export CSV…"));
  exportCsvAction_->setToolTip(tr("Save every received point as a CSV file"));
  exportPngAction_->setText(tr("Export PNG…"));
  exportPngAction_->setToolTip(tr("Save the plot as a PNG image"));
  const QString places[] = {tr("Legend top right"), tr("Legend top left"), tr("Legend bottom right"),
                            tr("Legend bottom left"), tr("Hide legend")};
  for (int i = 0; i < legendActions_.size(); ++i) legendActions_[i]->setText(places[i]);
  // On the read-out, not the plot: a tooltip would cover the curves being read.
  readoutLabel_->setToolTip(tr("Hover over the plot to read every curve at a step. Drag or wheel to pan and zoom "
                               "in x; double-click to follow the run again.") +
                            QStringLiteral("\n\n") +
                            tr("Objective balance (bottom plot): ‖∇C‖ is the norm of the gradient of λ_C·L_InfoNCE "
                               "with respect to the encoder's parameters, ‖∇A‖ and ‖∇N‖ likewise for reconstruction "
                               "and denoising; cos(C, A) is the cosine between two of these gradients. A cosine below "
                               "0 means the two objectives pull the encoder in opposing directions."));

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
