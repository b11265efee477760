#include "widgets/reconstruction_panel.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>
#include <cstring>

#include "widgets/image_grid.h"
#include "widgets/masks_panel.h"
#include "widgets/panel_style.h"
#include "widgets/snapshot_checks.h"

ReconstructionPanel::ReconstructionPanel(QWidget* parent)
    : QWidget(parent),
      message_(newPanelLabel(QStringLiteral("messageLabel"))),
      normPixNote_(newPanelLabel(QStringLiteral("normPixNote"))),
      grid_(new ImageGrid) {
  layOutImagePanel(this, {message_, normPixNote_}, ImageGrid::inScrollArea(grid_, this));
  showTexts();
}

QImage ReconstructionPanel::pasteReconstruction(const QImage& target, const QImage& prediction,
                                                const QBitArray& mask, int gridW, int gridH, int patchSize) {
  QImage out = target.convertToFormat(QImage::Format_RGB32);
  const QImage predicted = prediction.convertToFormat(QImage::Format_RGB32);
  if (patchSize <= 0) return out;
  for (int row = 0; row < gridH; ++row) {
    for (int col = 0; col < gridW; ++col) {
      const int bit = row * gridW + col;
      if (bit >= mask.size() || !mask.testBit(bit)) continue;
      const QRect r = patchRect(out, row, col, patchSize) & predicted.rect();
      for (int y = r.top(); y <= r.bottom(); ++y)
        std::memcpy(reinterpret_cast<QRgb*>(out.scanLine(y)) + r.left(),
                    reinterpret_cast<const QRgb*>(predicted.constScanLine(y)) + r.left(),
                    size_t(r.width()) * sizeof(QRgb));
    }
  }
  return out;
}

void ReconstructionPanel::setSnapshot(const SnapshotImages& snapshot) {
  resetData();
  if (viewEntryCount(snapshot) >= 0 && !snapshot.hasDecoder) {
    // SimCLR masks nothing and predicts nothing: say why the panel is empty.
    state_ = State::NoDecoder;
  } else if (viewEntryCount(snapshot) >= 0 && snapshot.prediction.isEmpty()) {
    // A decoder that only predicts noise (N without A): its masked outputs are untrained.
    state_ = State::NoReconstruction;
  } else if (snapshot.hasDecoder && masksMatch(snapshot) && hasOnePerView(snapshot.prediction, snapshot)) {
    state_ = State::Shown;
    numViews_ = snapshot.numViews;
    numSamples_ = snapshot.numSamples;
    normPix_ = snapshot.normPix;
    const int gw = snapshot.gridWidth, gh = snapshot.gridHeight, p = snapshot.patchSize;
    for (int idx = 0; idx < snapshot.views.size(); ++idx) {
      const QImage& target = snapshot.views[idx];
      const QBitArray& mask = snapshot.masks[idx];
      masked_.append(MasksPanel::maskedView(target, mask, gw, gh, p));
      reconstruction_.append(pasteReconstruction(target, snapshot.prediction[idx], mask, gw, gh, p));
      target_.append(target);
    }
  }
  showTexts();
}

void ReconstructionPanel::clear() {
  resetData();
  showTexts();
}

void ReconstructionPanel::resetData() {
  state_ = State::Empty;
  normPix_ = false;
  numViews_ = numSamples_ = 0;
  masked_.clear();
  reconstruction_.clear();
  target_.clear();
}

void ReconstructionPanel::showTexts() {
  message_->setVisible(state_ == State::NoDecoder || state_ == State::NoReconstruction);
  if (state_ == State::NoReconstruction)
    message_->setText(tr(
        "The reconstruction objective (A) is off in this run: the decoder predicts noise only, so there is "
        "nothing to reconstruct."));
  else
    message_->setText(tr("This mode has no decoder (SimCLR): there is nothing to reconstruct."));
  normPixNote_->setVisible(state_ == State::Shown && normPix_);
  normPixNote_->setText(
      tr("norm_pix is on: the decoder predicts each patch normalised to zero mean and unit "
         "variance; predictions are shown mapped back with each target patch's own mean and "
         "variance."));
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
      tiles.append({{masked_[idx], QString()}, {reconstruction_[idx], QString()}, {target_[idx], QString()}});
    }
  }
  grid_->setContents({tr("masked view"), tr("reconstruction"), tr("target")}, rowTitles, tiles);
}

void ReconstructionPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) showTexts();
  QWidget::changeEvent(event);
}
