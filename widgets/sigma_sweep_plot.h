#pragma once
// The sigma sweep drawn (docs/bench.md): side-by-side panels (L_denoise and L_rec against
// sigma from 0 to 2 sigma_max), each with a few curves (true, wrong, zero sigma embedding)
// sharing the x axis, a legend, and a dashed vertical marker at sigma_max. The Bench
// window's A/B tab uses it too for the B - A difference curves.
//
// Plain Qt data in, so the plot is testable without LibTorch; app/bench_view fills it from
// core/analysis/sigma_sweep.

#include <QColor>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;

class SigmaSweepPlot : public QWidget {
  Q_OBJECT

 public:
  struct Curve {
    QString name;
    QColor color;
    QVector<double> y;  // one value per x
  };
  struct Panel {
    QString title;  // the y axis label
    QVector<Curve> curves;
  };

  explicit SigmaSweepPlot(QWidget* parent = nullptr);

  // x: the sigmas; marker: where the dashed line goes (<= 0: none); xLabel under each panel.
  // A panel without curves is left out.
  void setData(const QVector<double>& x, const QVector<Panel>& panels, double marker, const QString& xLabel);
  void clear();

  int panelCount() const { return rects_.size(); }
  // What is drawn: the (x, y) points of curve c of panel p, read back from the plot.
  QVector<QPointF> plotted(int panel, int curve) const;
  double markerX() const { return marker_; }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_ = nullptr;
  QVector<QCPAxisRect*> rects_;
  QVector<QVector<int>> graphIndex_;  // [panel][curve] -> the plot's graph index
  double marker_ = 0;
};
