#include "widgets/attention_view.h"

#include <QPainter>

#include <algorithm>

AttentionView::AttentionView(QWidget* parent) : QWidget(parent) {
  setObjectName("attentionView");
  setMinimumSize(160, 160);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void AttentionView::setData(const QImage& view, const QVector<double>& map, const QBitArray& masked, int grid) {
  view_ = view.convertToFormat(QImage::Format_Grayscale8).convertToFormat(QImage::Format_RGB32);
  map_ = map;
  masked_ = masked;
  grid_ = grid;
  update();
}

void AttentionView::clear() { setData({}, {}, {}, 0); }

double AttentionView::visibleSum() const {
  double sum = 0;
  for (int t = 0; t < map_.size(); ++t)
    if (!masked_.testBit(t)) sum += map_[t];
  return sum;
}

double AttentionView::tint(int t) const {
  if (t < 0 || t >= map_.size() || masked_.testBit(t)) return 0.0;
  double top = 0;
  for (int s = 0; s < map_.size(); ++s)
    if (!masked_.testBit(s)) top = std::max(top, map_[s]);
  return top > 0 ? std::clamp(map_[t] / top, 0.0, 1.0) : 0.0;
}

void AttentionView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().window());
  if (view_.isNull() || grid_ <= 0 || map_.size() != grid_ * grid_) return;
  const int side = std::min(width(), height());
  const QRect target((width() - side) / 2, (height() - side) / 2, side, side);
  p.drawImage(target, view_);
  const double cell = static_cast<double>(side) / grid_;
  for (int t = 0; t < map_.size(); ++t) {
    const QRectF r(target.left() + (t % grid_) * cell, target.top() + (t / grid_) * cell, cell, cell);
    if (masked_.testBit(t)) {
      p.fillRect(r, QColor(0, 0, 0, 170));
    } else {
      p.fillRect(r, QColor(230, 30, 30, static_cast<int>(200 * tint(t))));
    }
  }
  // The weights in percent where there is room: the tint alone reads only relatively.
  if (cell >= 36) {
    QFont f = font();
    f.setPixelSize(std::max(10, static_cast<int>(cell / 5)));
    p.setFont(f);
    for (int t = 0; t < map_.size(); ++t) {
      if (masked_.testBit(t)) continue;
      const QRectF r(target.left() + (t % grid_) * cell, target.top() + (t / grid_) * cell, cell, cell);
      p.setPen(Qt::black);
      p.drawText(r.translated(1, 1), Qt::AlignCenter, QString::number(100.0 * map_[t], 'f', 1) + QLatin1Char('%'));
      p.setPen(Qt::white);
      p.drawText(r, Qt::AlignCenter, QString::number(100.0 * map_[t], 'f', 1) + QLatin1Char('%'));
    }
  }
  p.setPen(QPen(QColor(255, 255, 255, 40), 1));
  for (int k = 1; k < grid_; ++k) {
    p.drawLine(QPointF(target.left() + k * cell, target.top()), QPointF(target.left() + k * cell, target.bottom()));
    p.drawLine(QPointF(target.left(), target.top() + k * cell), QPointF(target.right(), target.top() + k * cell));
  }
}
