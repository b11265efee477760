#include "widgets/confusion_matrix_view.h"

#include <QEvent>
#include <QPainter>

#include <algorithm>

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("confusionMatrix"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ConfusionMatrixView::setMatrix(const QStringList& classNames, const QVector<QVector<qint64>>& matrix) {
  names_ = classNames;
  matrix_ = matrix;
  for (const auto& row : matrix_)
    if (row.size() != matrix_.size() || std::any_of(row.begin(), row.end(), [](qint64 v) { return v < 0; })) {
      matrix_.clear();
      break;
    }
  updateGeometry();
  update();
}

double ConfusionMatrixView::rowShare(int r, int c) const {
  if (r < 0 || r >= matrix_.size() || c < 0 || c >= matrix_.size()) return 0.0;
  qint64 total = 0;
  for (qint64 v : matrix_[r]) total += v;
  return total > 0 ? static_cast<double>(matrix_[r][c]) / static_cast<double>(total) : 0.0;
}

QString ConfusionMatrixView::label(int i) const {
  return i < names_.size() && !names_[i].isEmpty() ? names_[i] : QString::number(i);
}

QString ConfusionMatrixView::rowLabel(int i) const { return QString("%1 %2").arg(i).arg(label(i)); }

int ConfusionMatrixView::labelWidth() const {
  int w = 0;
  for (int i = 0; i < matrix_.size(); ++i) w = std::max(w, fontMetrics().horizontalAdvance(rowLabel(i)));
  return std::min(w + 8, width() / 3);
}

QRect ConfusionMatrixView::cellRect(int r, int c) const {
  const int n = static_cast<int>(matrix_.size());
  if (n == 0) return {};
  // Row names on the left, column indices on top (names would not fit over narrow cells;
  // the rows name every class, and the header says columns are predicted).
  const int left = labelWidth(), top = fontMetrics().height() * 2 + 4;
  const int side = std::max(1, std::min((width() - left - 2) / n, (height() - top - 2) / n));
  return QRect(left + c * side, top + r * side, side, side);
}

QSize ConfusionMatrixView::minimumSizeHint() const { return QSize(160, 160); }

void ConfusionMatrixView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  const int n = static_cast<int>(matrix_.size());
  if (n == 0) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter, tr("No evaluation yet"));
    return;
  }
  const QRect first = cellRect(0, 0);
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(first.left(), 0, first.width() * n, fontMetrics().height()), Qt::AlignCenter,
             tr("predicted class →"));
  QFont small = font();
  small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
  for (int c = 0; c < n; ++c) {
    const QRect cell = cellRect(0, c);
    p.drawText(QRect(cell.left(), fontMetrics().height() + 2, cell.width(), fontMetrics().height()), Qt::AlignCenter,
               QString::number(c));
  }
  for (int r = 0; r < n; ++r) {
    const QRect row = cellRect(r, 0);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(0, row.top(), row.left() - 4, row.height()), Qt::AlignRight | Qt::AlignVCenter,
               fontMetrics().elidedText(rowLabel(r), Qt::ElideRight, row.left() - 4));
    for (int c = 0; c < n; ++c) {
      const QRect cell = cellRect(r, c);
      const double share = rowShare(r, c);
      // Blue on the diagonal (right), red off it (wrong), both from white at 0.
      const QColor full = r == c ? QColor(0x1f, 0x77, 0xb4) : QColor(0xd6, 0x27, 0x28);
      const auto mix = [share](int a, int b) { return static_cast<int>(a + (b - a) * std::min(1.0, share)); };
      p.fillRect(cell, QColor(mix(255, full.red()), mix(255, full.green()), mix(255, full.blue())));
      p.setPen(QColor(0xdd, 0xdd, 0xdd));
      p.drawRect(cell.adjusted(0, 0, -1, -1));
      const QString count = QString::number(matrix_[r][c]);
      p.setFont(small);
      if (QFontMetrics(small).horizontalAdvance(count) + 2 <= cell.width() &&
          QFontMetrics(small).height() <= cell.height()) {
        p.setPen(share > 0.55 ? Qt::white : QColor(0x30, 0x30, 0x30));
        p.drawText(cell, Qt::AlignCenter, count);
      }
      p.setFont(font());
    }
  }
}

void ConfusionMatrixView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) update();
  QWidget::changeEvent(event);
}
