#include "widgets/patch_mask_editor.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

PatchMaskEditor::PatchMaskEditor(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setCursor(Qt::PointingHandCursor);
}

void PatchMaskEditor::setImage(const QImage& image) {
  image_ = image;
  update();
}

void PatchMaskEditor::setGrid(int grid) {
  if (grid == grid_) return;
  grid_ = std::max(grid, 0);
  mask_ = QVector<bool>(grid_ * grid_, false);
  update();
}

void PatchMaskEditor::setMask(const QVector<bool>& mask) {
  if (mask.size() != grid_ * grid_) return;
  mask_ = mask;
  update();
}

int PatchMaskEditor::maskedCount() const { return static_cast<int>(std::count(mask_.begin(), mask_.end(), true)); }

// The largest square that fits, a whole number of pixels per patch so the grid is exact.
QRect PatchMaskEditor::imageRect() const {
  if (grid_ <= 0) return {};
  const int side = std::min(width(), height());
  const int cell = std::max(1, side / grid_);
  const int s = cell * grid_;
  return {(width() - s) / 2, (height() - s) / 2, s, s};
}

QRect PatchMaskEditor::patchRect(int t) const {
  if (t < 0 || t >= grid_ * grid_) return {};
  const QRect r = imageRect();
  const int cell = r.width() / grid_;
  return {r.left() + (t % grid_) * cell, r.top() + (t / grid_) * cell, cell, cell};
}

int PatchMaskEditor::patchAt(const QPoint& pos) const {
  const QRect r = imageRect();
  if (!r.contains(pos) || grid_ <= 0) return -1;
  const int cell = r.width() / grid_;
  const int col = std::min((pos.x() - r.left()) / cell, grid_ - 1),
            row = std::min((pos.y() - r.top()) / cell, grid_ - 1);
  return row * grid_ + col;
}

void PatchMaskEditor::paintPatch(int t) {
  if (t < 0 || mask_[t] == dragValue_) return;
  mask_[t] = dragValue_;
  update(patchRect(t));
  Q_EMIT maskEdited(mask_);
}

void PatchMaskEditor::mousePressEvent(QMouseEvent* event) {
  const int t = patchAt(event->position().toPoint());
  if (event->button() != Qt::LeftButton || t < 0) return QWidget::mousePressEvent(event);
  dragging_ = true;
  dragValue_ = !mask_[t];
  paintPatch(t);
}

void PatchMaskEditor::mouseMoveEvent(QMouseEvent* event) {
  if (dragging_) paintPatch(patchAt(event->position().toPoint()));
}

void PatchMaskEditor::mouseReleaseEvent(QMouseEvent*) { dragging_ = false; }

void PatchMaskEditor::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const QRect r = imageRect();
  if (r.isEmpty()) return;
  if (image_.isNull())
    p.fillRect(r, palette().mid());
  else
    p.drawImage(r, image_);  // integer cells: the nearest-neighbour enlargement keeps pixels square
  for (int t = 0; t < mask_.size(); ++t) {
    if (!mask_[t]) continue;
    const QRect cell = patchRect(t);
    p.fillRect(cell, QColor(0, 0, 0, 170));
    p.fillRect(cell, QBrush(QColor(255, 255, 255, 70), Qt::BDiagPattern));
  }
  p.setPen(QPen(QColor(255, 200, 0, 160), 1));
  const int cell = r.width() / grid_;
  for (int i = 0; i <= grid_; ++i) {
    p.drawLine(r.left() + i * cell, r.top(), r.left() + i * cell, r.bottom());
    p.drawLine(r.left(), r.top() + i * cell, r.right(), r.top() + i * cell);
  }
}
