#pragma once
// Live loss curves of a training run: one QCustomPlot with five stacked axis rects that
// share the x range (steps or epochs):
//   1. losses: L_InfoNCE, L_rec, L_denoise and the weighted total, each as a thin
//      translucent raw line and a solid smoothed line (linear or logarithmic axis);
//   2. learning rate (left axis) and images/s (right axis);
//   3. resources, sampled every log_every steps: CPU % of one core (left axis), resident
//      and GPU memory in MiB (right axis); a thin strip while a run has no sample
//      (curves_panel_resources.cpp);
//   4. contrastive and kNN top-1 in [0, 1], measured points only;
//   5. objective balance, measured points only: each term's encoder-gradient norm (log
//      left axis, the term's loss colour) and the cosines between pairs of those gradients
//      (dashed, right axis fixed to [-1, 1]). Until a run has a measurement the rect
//      shrinks to a strip that says so (curves_panel_balance.cpp).
// Rects 2 and 3 can be hidden from the plot's context menu (curves_panel_groups.cpp).
// Points are appended as they arrive and a ~30 Hz timer replots only when something
// changed (STYLE.md: append on arrival, replot on a timer with a queued replot). The x range
// follows the data until the user drags or wheels in x; a double-click follows it again.
// Value axes fit the curves inside the shown x range.
//
// Smoothing is the debiased exponential moving average (TensorBoard's), with weight w:
//   s_0 = 0;  for t = 1..n:  s_t = w * s_{t-1} + (1 - w) * x_t,  smoothed_t = s_t / (1 - w^t)
// w = 0 gives the raw values. A NaN input is skipped: it does not advance t, and its
// smoothed value repeats the previous one (NaN while nothing was measured yet).
//
// qcustomplot.h uses the `signals`/`slots` keywords and app code builds with QT_NO_KEYWORDS,
// so this header only forward-declares QCustomPlot types.

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include "widgets/curve_data.h"
#include "widgets/metrics_point.h"

class QCustomPlot;
class QCPGraph;
class QCPAxis;
class QCPAxisRect;
class QCPAbstractItem;
class QCPItemStraightLine;
class QCPItemText;
class QCPRange;
class QCPLegend;
class QCheckBox;
class QComboBox;
class QLabel;
class QMouseEvent;
class QAction;
class QSettings;
class QSlider;
class QTimer;
class QToolButton;

class CurvesPanel : public QWidget {
  Q_OBJECT

 public:
  enum class XAxis { Steps, Epochs };
  // Where the loss legend sits inside the loss plot, or hidden (the plot's context menu).
  enum class LegendPlace { TopRight, TopLeft, BottomRight, BottomLeft, Hidden };

  explicit CurvesPanel(QWidget* parent = nullptr);
  ~CurvesPanel() override;

  // Appends in order. A point whose step is <= the last stored step means the run resumed
  // from an earlier checkpoint: every stored point with step >= it is dropped first, and
  // every marker at a later step (a marker at that very step is kept: it may announce the
  // resume), so the curve continues from there.
  void appendPoints(const QVector<MetricsPoint>& points);
  // A vertical dashed line across every axis rect at that step/epoch, labelled with text in
  // the loss rect (a setting changed mid-run).
  void addMarker(qint64 step, double epoch, const QString& text);
  int markerCount() const;
  void clear();

  void setXAxis(XAxis axis);
  XAxis xAxis() const { return xAxis_; }
  // weight in [0, 0.99] (clamped); recomputes every smoothed line.
  void setSmoothing(double weight);
  double smoothing() const { return data_.smoothing(); }
  // The loss axis becomes logarithmic; non-positive loss values are left out of the
  // plotted lines (gaps) while it is.
  void setLogScale(bool on);
  bool logScale() const { return logScale_; }

  void setLegendPlace(LegendPlace place);
  LegendPlace legendPlace() const { return legendPlace_; }

  // The view settings a user expects back in the next session: smoothing, log scale, x axis,
  // legend place, the balance as share, and which optional rects are shown, under the group
  // "curves/". Values out of range are ignored.
  void saveViewSettings(QSettings& settings) const;
  void restoreViewSettings(QSettings& settings);

  // Where the export dialogs start (the run folder); the working directory when empty.
  void setExportFolder(const QString& folder) { exportFolder_ = folder; }

  // The marker labels' rectangles in plot pixels, in marker order, as last laid out: labels
  // are stacked in rows so that none overlaps another or the loss legend (tests).
  QVector<QRectF> markerLabelRects() const;
  QRectF lossLegendRect() const;

  // The formula of the header comment applied to raw.
  static QVector<double> smooth(const QVector<double>& raw, double weight);

  // Hover read-out for the point whose key (step or epoch, per the x axis) is nearest key:
  // its step, epoch and the value of every shown curve, numbers as QString::number(v, 'g', 4),
  // smoothed loss values in parentheses. Empty when there are no points.
  QString readoutAt(double key) const;

  // CSV: header `step,epoch,loss,loss_infonce,loss_rec,loss_denoise,lr,img_per_s,grad_norm,
  // contrastive_top1,knn_top1,grad_norm_*,grad_cos_*,cpu_percent,rss_mib,gpu_mem_mib,
  // gpu_reserved_mib` (CurveData::writeCsv), one line per point, shortest round-trip decimal, empty field
  // for NaN. Written atomically; on failure false with a message naming the path.
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  // The plot alone at width x height pixels (0 = its current size).
  bool exportPng(const QString& path, int width, int height, QString* error = nullptr);

  // Rescales and replots now instead of on the next timer tick (tests, export).
  void replotNow();

  // For tests. Terms: "loss", "loss_infonce", "loss_rec", "loss_denoise" (raw and smoothed);
  // "lr", "img_per_s", "contrastive_top1", "knn_top1", "grad_norm_infonce", "grad_norm_rec",
  // "grad_norm_denoise", "grad_cos_c_a", "grad_cos_c_n", "grad_cos_a_n", "cpu_percent",
  // "rss_mib", "gpu_mem_mib" (raw only). nullptr
  // for anything else.
  QCustomPlot* plot() const { return plot_; }
  QCPGraph* graph(const QString& term, bool smoothed) const;
  QCPAxis* lossAxis() const;
  QCPAxisRect* balanceRect() const { return balanceRect_; }
  QCPAxisRect* resourceRect() const { return resourceRect_; }
  // The resource rect holds no sample yet, or is hidden: shrunk to a thin strip.
  bool resourcesCollapsed() const { return resourceCollapsed_; }
  // The learning-rate/speed rect and the resource rect, shown or hidden (a 1 px strip; the
  // plot's context menu, remembered with the view settings). Both shown by default.
  void setRateShown(bool shown);
  bool rateShown() const { return rateShown_; }
  void setResourcesShown(bool shown);
  bool resourcesShown() const { return resourcesShown_; }
  QCPAxisRect* rateRect() const { return rateRect_; }
  QCPAxisRect* lossRect() const { return lossRect_; }
  QCPLegend* balanceLegend() const { return balanceLegend_; }
  // What graph(term, false) holds as (key, value) pairs, and the names in the balance legend:
  // for app tests, which cannot include qcustomplot.h (QT_NO_KEYWORDS).
  QVector<QPointF> plottedPoints(const QString& term) const;
  QStringList balanceLegendNames() const;
  // The balance rect as a stacked share of the encoder's update instead of norms and
  // cosines (the plot's context menu): the band of term k runs from the sum of the shares
  // before it to that sum plus its own. shareBand(k) is the top edge of band k as plotted.
  void setBalanceShare(bool share);
  bool balanceShare() const { return balanceShare_; }
  QVector<QPointF> shareBand(int term) const;
  // The balance rect holds no measurement yet: shrunk to a strip with a one-line hint.
  bool balanceCollapsed() const { return balanceCollapsed_; }
  int pointCount() const { return data_.size(); }
  // The stored values of a term (any CSV column but step), one per point.
  QVector<double> rawValues(const QString& term) const;
  // The smoothed values, one per point: smooth(rawValues(term), smoothing()). The plotted
  // line holds the same values, except for gaps where a log axis cannot show them.
  QVector<double> smoothedValues(const QString& term) const;

 protected:
  void changeEvent(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  static constexpr int kLossTerms = CurveData::kLossTerms;  // total, InfoNCE, rec, denoise
  static constexpr int kBalanceTerms = CurveData::kBalanceTerms;  // 3 norms, 3 cosines
  static constexpr int kResourceTerms = 3;                        // CPU %, resident MiB, GPU MiB
  static constexpr int kReplotIntervalMs = 33;
  static constexpr double kDefaultSmoothing = 0.6;

  struct Marker {
    qint64 step = 0;
    double epoch = 0.0;
    QString text;
    QVector<QCPAbstractItem*> items;  // one line per axis rect + the label
  };

  void buildPlot();
  void buildControls();
  void retranslateUi();
  void applyLossAxisScale();
  // The stacked axis rects, top to bottom; the last one labels the shared x axis.
  QList<QCPAxisRect*> rects() const { return {lossRect_, rateRect_, resourceRect_, accRect_, balanceRect_}; }
  QCPAxis* bottomXAxis() const;

  // The balance rect (curves_panel_balance.cpp).
  void buildBalanceRect();
  void retranslateBalance();
  void setBalanceData();                // all balance graph data from data_
  void addBalanceData(int firstIndex);  // points [firstIndex..] onto the balance graphs
  void updateBalanceVisibility();
  void setBalanceCollapsed(bool collapsed);
  void fitBalanceAxis(const QCPRange& keyRange);
  // The stacked share (curves_panel_share.cpp), drawn in the balance rect on its own axis.
  void buildShareGraphs();
  void retranslateShare();
  void setShareData();
  void addShareData(int firstIndex);
  void updateShareVisibility();
  void fitShareAxis(const QCPRange& keyRange);
  // Showing and hiding the optional rects (curves_panel_groups.cpp).
  void buildGroupActions();
  void retranslateGroups();
  static constexpr double kRateStretch = 1.0;  // the rate row's share of the height when shown
  // A rect in layout row `row` as a 1 px strip without ticks, tick labels and grid, or back
  // to its share `stretch` of the height with them.
  void setStripCollapsed(QCPAxisRect* rect, int row, bool collapsed, double stretch);
  // The resource rect (curves_panel_resources.cpp).
  void buildResourceRect();
  void retranslateResources();
  void setResourceData();                // all resource graph data from data_
  void addResourceData(int firstIndex);  // points [firstIndex..] onto the resource graphs
  void updateResourceVisibility();
  void fitResourceAxes(const QCPRange& keyRange);
  // The value range of the visible graphs within keyRange (positive values only for a log
  // axis); false when none has a finite point there.
  static bool visibleValueRange(const QList<QCPGraph*>& graphs, bool positiveOnly, const QCPRange& keyRange,
                                QCPRange& range);

  CurveData::Key keyKind() const;
  double keyOf(const MetricsPoint& p) const;
  double lossPlotValue(double v) const;  // NaN where the log axis cannot show v

  void rebuildGraphs();                       // all graph data from data_
  void appendToGraphs(int firstIndex);        // points [firstIndex..] onto the graphs
  void rebuildSmoothed();                     // smoothed lines only (weight / log change)
  void updateTermVisibility();
  void createMarkerItems(Marker& m);
  void removeMarkerItems(Marker& m);
  void placeMarkers();
  void layOutMarkerLabels();  // rows that avoid the legend and each other, in pixels
  // A value axis's label, kept whole for fitToRectHeights to show or leave out.
  void setValueAxisLabel(QCPAxis* axis, const QString& text);
  void fitToRectHeights();  // after each layout: labels and tick counts that fit the rects
  void rescaleAxes();
  void syncXRanges(const QCPAxis* source);
  void onPlotMouseMove(QMouseEvent* event);
  void showHover(bool on);
  void showLatestReadout();  // the read-out of the newest point, if any
  void onTimer();
  void exportCsvInteractive();
  void exportPngInteractive();

  CurveData data_{kDefaultSmoothing};
  QVector<Marker> markers_;
  bool logScale_ = false;
  LegendPlace legendPlace_ = LegendPlace::TopRight;
  QString exportFolder_;
  XAxis xAxis_ = XAxis::Steps;
  bool dirty_ = false;
  bool followData_ = true;  // x range tracks the data until the user pans or zooms
  bool settingRange_ = false;
  bool hovering_ = false;
  double hoverKey_ = 0.0;

  QCustomPlot* plot_ = nullptr;
  QCPAxisRect* lossRect_ = nullptr;
  QCPAxisRect* rateRect_ = nullptr;
  QCPAxisRect* accRect_ = nullptr;
  QCPAxisRect* balanceRect_ = nullptr;
  QCPAxisRect* resourceRect_ = nullptr;
  QCPLegend* rateLegend_ = nullptr;
  QCPLegend* resourceLegend_ = nullptr;
  QCPLegend* accLegend_ = nullptr;
  QCPLegend* balanceLegend_ = nullptr;
  QCPGraph* lossGraphs_[kLossTerms][2] = {};  // [term][smoothed]
  QCPGraph* lrGraph_ = nullptr;
  QCPGraph* imgGraph_ = nullptr;
  QCPGraph* contrastiveGraph_ = nullptr;
  QCPGraph* knnGraph_ = nullptr;
  QCPGraph* healthGraph_ = nullptr;              // representation health: health_std_ratio
  QCPGraph* balanceGraphs_[kBalanceTerms] = {};  // norms C, A, N; cosines C-A, C-N, A-N
  QCPGraph* resourceGraphs_[kResourceTerms] = {};  // CPU %, resident MiB, GPU MiB
  bool resourceCollapsed_ = false;                 // set by updateResourceVisibility
  bool rateShown_ = true, resourcesShown_ = true;  // the user's choice (curves_panel_groups.cpp)
  QAction *rateAction_ = nullptr, *resourcesAction_ = nullptr;
  QCPItemText* balanceHint_ = nullptr;           // shown while the rect is collapsed
  bool balanceCollapsed_ = false;
  QCPAxis* shareAxis_ = nullptr;                        // left, linear, shown in share mode
  QCPGraph* shareGraphs_[CurveData::kShareTerms] = {};  // top edges of the stacked bands C, A, N
  bool balanceShare_ = false;
  QAction* shareAction_ = nullptr;            // in the plot's context menu
  QVector<QCPItemStraightLine*> hoverLines_;  // one per axis rect
  QTimer* replotTimer_ = nullptr;

  QLabel* readoutLabel_ = nullptr;
  QLabel* smoothingLabel_ = nullptr;
  QSlider* smoothingSlider_ = nullptr;
  QLabel* smoothingValueLabel_ = nullptr;
  QCheckBox* logScaleCheck_ = nullptr;
  QLabel* xAxisLabel_ = nullptr;
  QComboBox* xAxisCombo_ = nullptr;
  QToolButton* exportButton_ = nullptr;
  QAction* exportCsvAction_ = nullptr;
  QAction* exportPngAction_ = nullptr;
  QVector<QAction*> legendActions_;  // one per LegendPlace, in the plot's context menu
};
