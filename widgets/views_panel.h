#pragma once
// The data as the model receives it: each sample's un-augmented image next to its
// augmented view(s) (two with the contrastive term, one without).

#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/snapshot_images.h"

class ImageGrid;

class ViewsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ViewsPanel(QWidget* parent = nullptr);

  // One row per sample: original | view 1 | view 2 (view 2 only when numViews == 2).
  // An inconsistent snapshot clears the panel.
  void setSnapshot(const SnapshotImages& snapshot);
  void clear();
  ImageGrid* grid() const { return grid_; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void showTiles();  // grid from the cached images, texts in the current language

  ImageGrid* grid_ = nullptr;
  int numViews_ = 0;
  QVector<QVector<QImage>> rows_;  // [sample][original, view 1, view 2]
};
