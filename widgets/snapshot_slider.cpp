#include "widgets/snapshot_slider.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

#include <algorithm>

SnapshotSlider::SnapshotSlider(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("snapshotSlider"));
  title_ = new QLabel(this);
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName(QStringLiteral("snapshotStepSlider"));
  slider_->setMinimumWidth(120);
  slider_->setPageStep(1);
  slider_->setTracking(true);
  title_->setBuddy(slider_);
  stepLabel_ = new QLabel(this);
  stepLabel_->setObjectName(QStringLiteral("snapshotStepLabel"));
  // Room for "step 1000000" so the slider does not jump as the text changes.
  stepLabel_->setMinimumWidth(stepLabel_->fontMetrics().horizontalAdvance(QStringLiteral("step 0000000")));
  liveButton_ = new QToolButton(this);
  liveButton_->setObjectName(QStringLiteral("snapshotLiveButton"));
  liveButton_->setCheckable(true);
  liveButton_->setChecked(true);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 0, 6, 0);
  row->addWidget(title_);
  row->addWidget(slider_, 1);
  row->addWidget(stepLabel_);
  row->addWidget(liveButton_);
  connect(slider_, &QSlider::valueChanged, this, &SnapshotSlider::onSliderMoved);
  connect(liveButton_, &QToolButton::toggled, this, [this](bool on) {
    if (on) {
      setLive(true);
    } else if (live_) {  // unchecked by hand: hold the newest kept snapshot
      if (steps_.isEmpty()) {
        liveButton_->setChecked(true);
        return;
      }
      pickStep(steps_.last());
    }
  });
  setSteps({});
}

void SnapshotSlider::setSteps(const QVector<qint64>& steps) {
  const qint64 was = pickedStep();
  steps_ = steps;
  if (!live_ && !steps_.isEmpty()) {
    auto it = std::lower_bound(steps_.begin(), steps_.end(), was);
    int i = static_cast<int>(it - steps_.begin());
    if (i >= steps_.size() || (i > 0 && was - steps_[i - 1] < steps_[i] - was)) --i;
    i = std::clamp(i, 0, static_cast<int>(steps_.size()) - 1);
    picked_ = i;
  } else if (steps_.isEmpty()) {
    picked_ = -1;
  }
  {
    const QSignalBlocker block(slider_);
    slider_->setRange(0, std::max(0, static_cast<int>(steps_.size()) - 1));
    slider_->setValue(live_ ? slider_->maximum() : std::max(0, picked_));
  }
  slider_->setEnabled(!steps_.isEmpty());
  updateTexts();
  // The step the bound removed was shown: show its nearest neighbour instead.
  if (!live_ && picked_ >= 0 && steps_[picked_] != was) Q_EMIT stepPicked(steps_[picked_]);
}

void SnapshotSlider::setLive(bool live) {
  if (!live) {
    if (live_ && !steps_.isEmpty()) pickStep(steps_.last());
    return;
  }
  {
    const QSignalBlocker block(liveButton_);
    liveButton_->setChecked(true);
  }
  if (live_) return;
  live_ = true;
  picked_ = -1;
  {
    const QSignalBlocker block(slider_);
    slider_->setValue(slider_->maximum());
  }
  updateTexts();
  Q_EMIT liveChanged(true);
}

void SnapshotSlider::pickStep(qint64 step) {
  if (steps_.isEmpty()) return;
  auto it = std::lower_bound(steps_.begin(), steps_.end(), step);
  int i = static_cast<int>(it - steps_.begin());
  if (i >= steps_.size() || (i > 0 && step - steps_[i - 1] < steps_[i] - step)) --i;
  {
    const QSignalBlocker block(slider_);
    slider_->setValue(i);
  }
  onSliderMoved(i);
}

qint64 SnapshotSlider::pickedStep() const { return live_ || picked_ < 0 ? -1 : steps_[picked_]; }

void SnapshotSlider::onSliderMoved(int index) {
  if (index < 0 || index >= steps_.size()) return;
  const bool wasLive = live_;
  live_ = false;
  picked_ = index;
  {
    const QSignalBlocker block(liveButton_);
    liveButton_->setChecked(false);
  }
  updateTexts();
  if (wasLive) Q_EMIT liveChanged(false);
  Q_EMIT stepPicked(steps_[index]);
}

void SnapshotSlider::updateTexts() {
  title_->setText(tr("Snapshots"));
  liveButton_->setText(tr("Live"));
  liveButton_->setToolTip(tr("Show the newest snapshot of the run as it trains"));
  slider_->setToolTip(tr("Show a snapshot the run kept (%n kept, in the run folder's snapshots/)", nullptr,
                         static_cast<int>(steps_.size())));
  stepLabel_->setText(live_ ? tr("live") : tr("step %1").arg(steps_[picked_]));
}

void SnapshotSlider::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) updateTexts();
  QWidget::changeEvent(event);
}
