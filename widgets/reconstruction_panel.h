#pragma once
// How well the decoder fills in what the encoder never saw (docs/method.md step 8): per view, the
// masked input, the reconstruction (predicted masked patches pasted into the target's
// visible ones) and the target itself.

#include <QBitArray>
#include <QImage>
#include <QVector>
#include <QWidget>

#include "widgets/snapshot_images.h"

class ImageGrid;
class QLabel;

class ReconstructionPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ReconstructionPanel(QWidget* parent = nullptr);

  // One row per (sample, view), sample-major: masked view | reconstruction | target.
  // Without a decoder, or with one but no prediction (A off), a message replaces the grid;
  // an inconsistent snapshot clears the panel.
  void setSnapshot(const SnapshotImages& snapshot);
  void clear();
  ImageGrid* grid() const { return grid_; }

  // `target` (as RGB32) with every masked patch (bit set in the row-major gridW x gridH
  // `mask`) replaced by the same pixels of `prediction`. Only masked patches are taken from
  // the prediction: the loss trains nothing else (L_rec is over M), so the decoder's other
  // outputs say nothing about reconstruction. Pixels outside either image are left as target.
  static QImage pasteReconstruction(const QImage& target, const QImage& prediction, const QBitArray& mask,
                                    int gridW, int gridH, int patchSize);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  enum class State { Empty, NoDecoder, NoReconstruction, Shown };
  void resetData();  // members only; showTexts() updates the widgets
  void showTexts();

  QLabel* message_ = nullptr;  // "no decoder" explanation
  QLabel* normPixNote_ = nullptr;
  ImageGrid* grid_ = nullptr;
  State state_ = State::Empty;
  bool normPix_ = false;
  int numViews_ = 0;
  int numSamples_ = 0;
  QVector<QImage> masked_;          // [V*k] composited once per snapshot
  QVector<QImage> reconstruction_;  // [V*k]
  QVector<QImage> target_;          // [V*k]
};
