#pragma once
// Per-class top-1 of an evaluation as grouped bars: one group per class (its name under it),
// one bar per protocol (kNN, linear probe) in the protocol's colour, on [0, 1]. The
// studio's evaluation view (app/eval_view) fills it from eval.json's per_class_top1.

#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;

class PerClassChart : public QWidget {
  Q_OBJECT

 public:
  struct Series {
    QString name;            // "kNN", "linear probe" (translated by the caller)
    QVector<double> values;  // per class, in [0, 1]
  };

  explicit PerClassChart(QWidget* parent = nullptr);

  // classNames may be empty or shorter than the values: missing names show as the index.
  void setData(const QStringList& classNames, const QVector<Series>& series);
  // What a bar shows (tests): series s, class c; NaN when there is none.
  double barValue(int series, int classIndex) const;
  QString tickLabel(int classIndex) const;
  static QColor seriesColor(int series);

 private:
  QCustomPlot* plot_ = nullptr;
  QStringList labels_;
  QVector<Series> series_;
};
