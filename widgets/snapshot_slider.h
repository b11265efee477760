#pragma once
// The step slider of the image panels: one position per snapshot the run keeps in
// RUN/snapshots (core/train/snapshot_store.h), and a "Live" toggle. Live, the panels follow
// the newest snapshot of the run as it trains; moving the slider (or picking a step) leaves
// Live and asks for that kept snapshot; Live again follows the newest once more. Knows
// nothing of files: app/snapshot_history loads what it asks for.

#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

class SnapshotSlider : public QWidget {
  Q_OBJECT

 public:
  explicit SnapshotSlider(QWidget* parent = nullptr);

  // The kept steps, ascending. A picked step still among them stays picked; one that is
  // gone (the bound removed it) moves to the nearest kept one.
  void setSteps(const QVector<qint64>& steps);
  QVector<qint64> steps() const { return steps_; }
  bool isLive() const { return live_; }
  // Back to following the newest snapshot (emits liveChanged(true) when it was not).
  void setLive(bool live);
  // Leaves Live and picks the kept step nearest `step` (emits stepPicked with it).
  // Nothing happens without kept steps.
  void pickStep(qint64 step);
  qint64 pickedStep() const;  // -1 while Live or without kept steps

 Q_SIGNALS:
  void stepPicked(qint64 step);
  void liveChanged(bool live);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void onSliderMoved(int index);
  void updateTexts();

  QVector<qint64> steps_;
  bool live_ = true;
  int picked_ = -1;  // index into steps_ while not live
  QLabel* title_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* stepLabel_ = nullptr;
  QToolButton* liveButton_ = nullptr;
};
