#pragma once
// A confusion matrix as a grid: row = true class, column = predicted class, each cell
// shaded by its share of its row (the recall of the diagonal, where the errors go off it)
// and labelled with its count when the cell is large enough to read. Class names label
// the rows and columns (the index when there is none). Painted directly: a QTableView would
// need a model for a read-only picture.

#include <QRect>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class ConfusionMatrixView : public QWidget {
  Q_OBJECT

 public:
  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  // matrix[true][predicted] counts; a ragged or negative matrix is shown as empty.
  void setMatrix(const QStringList& classNames, const QVector<QVector<qint64>>& matrix);
  int classCount() const { return matrix_.size(); }
  // The share of row r's images predicted as class c, in [0, 1] (0 for an empty row).
  double rowShare(int r, int c) const;
  // Where cell (r, c) is painted, in widget pixels, at the current size.
  QRect cellRect(int r, int c) const;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  QString label(int i) const;
  QString rowLabel(int i) const;  // "3 Dress": the index (the columns' header) and the name
  int labelWidth() const;

  QStringList names_;
  QVector<QVector<qint64>> matrix_;
};
