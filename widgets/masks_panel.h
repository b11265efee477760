#pragma once
// Which patches each view hides from the encoder: the view with every masked patch flat
// grey (kMaskedGrey), one column per view, and the mask ratio in effect.

#include <QBitArray>
#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/snapshot_images.h"

class ImageGrid;
class QLabel;

class MasksPanel : public QWidget {
  Q_OBJECT

 public:
  explicit MasksPanel(QWidget* parent = nullptr);

  // One row per sample, one column per view. An inconsistent snapshot clears the panel.
  void setSnapshot(const SnapshotImages& snapshot);
  void clear();
  ImageGrid* grid() const { return grid_; }

  // `view` (as RGB32) with each patch whose bit is set in `mask` (row-major gridW x gridH,
  // true = masked) filled with kMaskedGrey. Patches outside the image are clipped; bits
  // past the end of `mask` count as visible.
  static QImage maskedView(const QImage& view, const QBitArray& mask, int gridW, int gridH, int patchSize);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void showTexts();  // ratio label and grid in the current language

  QLabel* ratioLabel_ = nullptr;
  ImageGrid* grid_ = nullptr;
  bool hasSnapshot_ = false;
  int numViews_ = 0;
  int numSamples_ = 0;
  int numPatches_ = 0;  // T
  double maskRatio_ = 0.0;
  QVector<QImage> masked_;     // [V*k] composited once per snapshot
  QVector<int> maskedCounts_;  // [V*k]
};
