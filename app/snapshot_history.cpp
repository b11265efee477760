#include "app/snapshot_history.h"

#include <QSignalBlocker>

#include "app/snapshot_images.h"
#include "core/train/snapshot_store.h"
#include "widgets/snapshot_slider.h"

SnapshotImages loadKeptSnapshot(const QString& runDir, qint64 step) {
  const can::SnapshotStore store(runDir.toStdString(), 0, 0);
  const can::StoredSnapshot kept = can::read_snapshot_file(store.path_of(step));
  const SnapshotContext context{kept.settings.mask_ratio, kept.settings.sigma_max, kept.settings.norm_pix,
                                kept.settings.denoise};
  return toSnapshotImages(kept.snapshot, context);
}

SnapshotHistory::SnapshotHistory(SnapshotSlider* slider, QObject* parent) : QObject(parent), slider_(slider) {
  connect(slider_, &SnapshotSlider::stepPicked, this, &SnapshotHistory::showKept);
  connect(slider_, &SnapshotSlider::liveChanged, this, &SnapshotHistory::onLiveChanged);
}

void SnapshotHistory::startRun(const QString& runDir) {
  runDir_ = runDir;
  latestLive_ = SnapshotImages();
  // Quietly: the panels were just cleared and the run's first snapshot comes live.
  const QSignalBlocker quiet(slider_);
  slider_->setLive(true);
  // A continued run's own kept snapshots stay reachable (the worker drops those after its
  // first step); a new folder has none.
  const auto steps = can::SnapshotStore::list_snapshot_steps(runDir.toStdString());
  slider_->setSteps(QVector<qint64>(steps.begin(), steps.end()));
}

void SnapshotHistory::setKept(const QString& runDir, const QVector<qint64>& steps) {
  runDir_ = runDir;
  slider_->setSteps(steps);
  if (slider_->isLive() && latestLive_.numSamples == 0 && !steps.isEmpty()) showKept(steps.last());
}

void SnapshotHistory::setKeptSteps(const QVector<qint64>& steps) { slider_->setSteps(steps); }

void SnapshotHistory::onLiveSnapshot(const SnapshotImages& images) {
  latestLive_ = images;
  if (slider_->isLive()) Q_EMIT show(images);
}

bool SnapshotHistory::showKept(qint64 step) {
  try {
    Q_EMIT show(loadKeptSnapshot(runDir_, step));
    return true;
  } catch (const std::exception& e) {
    Q_EMIT failed(tr("Cannot show the snapshot of step %1: %2").arg(step).arg(QString::fromStdString(e.what())));
    return false;
  }
}

void SnapshotHistory::onLiveChanged(bool live) {
  if (!live) return;  // the picked step follows (stepPicked)
  if (latestLive_.numSamples > 0)
    Q_EMIT show(latestLive_);
  else if (!slider_->steps().isEmpty())
    showKept(slider_->steps().last());
}
