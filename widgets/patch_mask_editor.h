#pragma once
// An image with its patch grid on which a mask is drawn by hand (the Inspector): a click
// toggles the patch under the cursor, dragging paints the state the first patch took, and
// masked patches are drawn darkened and hatched. The mask is row-major over the grid,
// true = masked, as core/analysis/inspection takes it.

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QVector>
#include <QWidget>

class PatchMaskEditor : public QWidget {
  Q_OBJECT

 public:
  explicit PatchMaskEditor(QWidget* parent = nullptr);

  void setImage(const QImage& image);
  // grid patches per side; resets the mask to all visible when the grid changes.
  void setGrid(int grid);
  int grid() const { return grid_; }
  // A mask of grid*grid entries (else ignored); emits nothing: the caller set it.
  void setMask(const QVector<bool>& mask);
  const QVector<bool>& mask() const { return mask_; }
  int maskedCount() const;

  // Where patch t is drawn, in widget coordinates (tests click at its centre).
  QRect patchRect(int t) const;
  QPoint patchCentre(int t) const { return patchRect(t).center(); }

  QSize sizeHint() const override { return {320, 320}; }
  QSize minimumSizeHint() const override { return {160, 160}; }

 Q_SIGNALS:
  // After every change made with the mouse (once per patch a drag crosses).
  void maskEdited(const QVector<bool>& mask);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QRect imageRect() const;
  int patchAt(const QPoint& pos) const;  // -1 outside the image
  void paintPatch(int t);

  QImage image_;
  int grid_ = 0;
  QVector<bool> mask_;
  bool dragging_ = false, dragValue_ = false;
};
