#pragma once
// Several runs' loss curves overlaid: one QCustomPlot with a 2x2 grid of axis rects (the
// weighted total, L_InfoNCE, L_rec, L_denoise), one colour per run in every rect, one legend
// by run name above them, smoothing shared by every run (the debiased EMA of CurveData), and
// the runs aligned by step, epoch or images seen. Each run's setting changes show as dashed
// vertical lines in its colour. A term a run does not train (all zero) is left out for it.
//
// Plain Qt data in (CompareRun), so the panel is testable without LibTorch; the studio's
// compare view (app/compare_view) reads the run folders.

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

#include "widgets/metrics_point.h"

class QCustomPlot;
class QCPAxisRect;
class QCPLegend;

struct CompareRun {
  QString name;
  QVector<MetricsPoint> points;
  struct Marker {
    qint64 step = 0;
    QString text;
  };
  QVector<Marker> markers;
  double imagesPerStep = 0.0;  // images one optimizer step consumes (for Align::Images)
};

class ComparePlot : public QWidget {
  Q_OBJECT

 public:
  enum class Align { Step, Epoch, Images };
  static constexpr int kTerms = 4;  // CurveData's loss terms, in its order

  explicit ComparePlot(QWidget* parent = nullptr);

  void setRuns(const QVector<CompareRun>& runs);
  int runCount() const { return runs_.size(); }
  void setAlign(Align align);
  Align align() const { return align_; }
  void setSmoothing(double weight);  // clamped to [0, 0.99]
  double smoothing() const { return smoothing_; }

  // The colour of run i (a categorical palette, cycled).
  static QColor runColor(int i);
  // What is drawn for a run and term: (x per the alignment, smoothed value) of every point
  // with a finite value; empty when the run does not train that term.
  QVector<QPointF> plotted(int run, int term) const;
  // The x of a step of run i under the current alignment (the epoch of the last point at or
  // before it for Align::Epoch).
  double keyOf(int run, qint64 step) const;
  int markerLineCount() const { return markerLines_; }

  // Export: the figure as shown, or every run's raw and smoothed points as CSV with the
  // header `run,step,epoch,images,term,value,smoothed`.
  bool exportPng(const QString& path, int width, int height, QString* error = nullptr);
  bool exportCsv(const QString& path, QString* error = nullptr) const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void rebuild();
  void retranslate();
  double xOf(const CompareRun& run, const MetricsPoint& p) const;

  QVector<CompareRun> runs_;
  Align align_ = Align::Step;
  double smoothing_ = 0.6;
  int markerLines_ = 0;
  QCustomPlot* plot_ = nullptr;
  QCPAxisRect* rects_[kTerms] = {};
  QCPLegend* legend_ = nullptr;
};
