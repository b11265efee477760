#pragma once
// How well the decoder recovers the noise it was given (docs/method.md step 9): per view, the
// noise sigma*e that was added, the decoder's estimate of it on the visible patches, and the
// noisy view minus that estimate.

#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/snapshot_images.h"

class ImageGrid;
class QLabel;

class DenoisingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit DenoisingPanel(QWidget* parent = nullptr);

  // One row per (sample, view), sample-major: true noise | predicted noise | denoised.
  // Masked patches are grey in all three: L_denoise is over 1 - M only, so they hold no
  // estimate and take no part in the error. Without the noise objective a message replaces the grid; an
  // inconsistent snapshot clears the panel.
  void setSnapshot(const SnapshotImages& snapshot);
  void clear();
  ImageGrid* grid() const { return grid_; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  enum class State { Empty, NoDenoise, Shown };
  void resetData();  // members only; showTexts() updates the widgets
  void showTexts();

  QLabel* message_ = nullptr;  // "noise objective off" explanation
  QLabel* legend_ = nullptr;
  ImageGrid* grid_ = nullptr;
  State state_ = State::Empty;
  int numViews_ = 0;
  int numSamples_ = 0;
  QVector<QImage> trueNoise_;       // [V*k] masked patches grey
  QVector<QImage> predictedNoise_;  // [V*k] masked patches grey
  QVector<QImage> denoised_;        // [V*k] masked patches grey
  QVector<double> noiseScale_;      // [V*k]
  QVector<double> denoiseError_;    // [V*k]
};
