#include "widgets/denoising_panel.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>

#include "widgets/image_grid.h"
#include "widgets/masks_panel.h"
#include "widgets/panel_style.h"
#include "widgets/snapshot_checks.h"

DenoisingPanel::DenoisingPanel(QWidget* parent)
    : QWidget(parent),
      message_(newPanelLabel(QStringLiteral("messageLabel"))),
      legend_(newPanelLabel(QStringLiteral("legendLabel"))),
      grid_(new ImageGrid) {
  layOutImagePanel(this, {message_, legend_}, ImageGrid::inScrollArea(grid_, this));
  showTexts();
}

void DenoisingPanel::setSnapshot(const SnapshotImages& snapshot) {
  resetData();
  if (viewEntryCount(snapshot) >= 0 && !snapshot.hasDenoise) {
    state_ = State::NoDenoise;
  } else if (snapshot.hasDenoise && hasOnePerView(snapshot.trueNoise, snapshot) &&
             hasOnePerView(snapshot.predictedNoise, snapshot) && hasOnePerView(snapshot.denoised, snapshot) &&
             hasOnePerView(snapshot.noiseScale, snapshot) && hasOnePerView(snapshot.denoiseError, snapshot)) {
    state_ = State::Shown;
    numViews_ = snapshot.numViews;
    numSamples_ = snapshot.numSamples;
    noiseScale_ = snapshot.noiseScale;
    denoiseError_ = snapshot.denoiseError;
    // Without usable masks the images are still worth showing, just not greyed.
    const bool grey = masksMatch(snapshot);
    const int gw = snapshot.gridWidth, gh = snapshot.gridHeight, p = snapshot.patchSize;
    for (int idx = 0; idx < snapshot.views.size(); ++idx) {
      auto shown = [&](const QImage& image) {
        return grey ? MasksPanel::maskedView(image, snapshot.masks[idx], gw, gh, p) : image;
      };
      trueNoise_.append(shown(snapshot.trueNoise[idx]));
      predictedNoise_.append(shown(snapshot.predictedNoise[idx]));
      denoised_.append(shown(snapshot.denoised[idx]));
    }
  }
  showTexts();
}

void DenoisingPanel::clear() {
  resetData();
  showTexts();
}

void DenoisingPanel::resetData() {
  state_ = State::Empty;
  numViews_ = numSamples_ = 0;
  trueNoise_.clear();
  predictedNoise_.clear();
  denoised_.clear();
  noiseScale_.clear();
  denoiseError_.clear();
}

void DenoisingPanel::showTexts() {
  message_->setVisible(state_ == State::NoDenoise);
  message_->setText(
      tr("The noise objective (N) is off in this run: no noise is added, so there is nothing to "
         "denoise."));
  legend_->setVisible(state_ == State::Shown);
  legend_->setText(
      tr("True and predicted noise share one colour scale per row, set by the true noise (its "
         "largest value is full colour; a prediction beyond it saturates). Grey: masked patches, "
         "where the decoder predicts pixels, not noise."));
  if (state_ != State::Shown) {
    grid_->clear();
    return;
  }
  QStringList rowTitles;
  QVector<QVector<ImageGrid::Tile>> tiles;
  for (int i = 0; i < numSamples_; ++i) {
    for (int v = 0; v < numViews_; ++v) {
      const int idx = v * numSamples_ + i;
      rowTitles << (numViews_ > 1 ? tr("sample %1, view %2").arg(i + 1).arg(v + 1)
                                  : tr("sample %1").arg(i + 1));
      tiles.append({{trueNoise_[idx], tr("scale ±%1").arg(noiseScale_[idx], 0, 'g', 3)},
                    {predictedNoise_[idx], tr("error %1").arg(denoiseError_[idx], 0, 'g', 3)},
                    {denoised_[idx], QString()}});
    }
  }
  grid_->setContents({tr("true noise"), tr("predicted noise"), tr("denoised")}, rowTitles, tiles);
}

void DenoisingPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) showTexts();
  QWidget::changeEvent(event);
}
