#include "widgets/masks_panel.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>
#include <algorithm>

#include "widgets/image_grid.h"
#include "widgets/panel_style.h"
#include "widgets/snapshot_checks.h"

MasksPanel::MasksPanel(QWidget* parent)
    : QWidget(parent), ratioLabel_(newPanelLabel(QStringLiteral("maskRatioLabel"))), grid_(new ImageGrid) {
  layOutImagePanel(this, {ratioLabel_}, ImageGrid::inScrollArea(grid_, this));
  showTexts();
}

QImage MasksPanel::maskedView(const QImage& view, const QBitArray& mask, int gridW, int gridH,
                              int patchSize) {
  QImage out = view.convertToFormat(QImage::Format_RGB32);
  if (patchSize <= 0) return out;
  for (int row = 0; row < gridH; ++row) {
    for (int col = 0; col < gridW; ++col) {
      const int bit = row * gridW + col;
      if (bit >= mask.size() || !mask.testBit(bit)) continue;
      const QRect r = patchRect(out, row, col, patchSize);
      for (int y = r.top(); y <= r.bottom(); ++y) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(y));
        std::fill(line + r.left(), line + r.left() + r.width(), kMaskedGrey);
      }
    }
  }
  return out;
}

void MasksPanel::setSnapshot(const SnapshotImages& snapshot) {
  if (!masksMatch(snapshot)) {
    clear();
    return;
  }
  hasSnapshot_ = true;
  numViews_ = snapshot.numViews;
  numSamples_ = snapshot.numSamples;
  numPatches_ = snapshot.gridWidth * snapshot.gridHeight;
  maskRatio_ = snapshot.maskRatio;
  masked_.clear();
  maskedCounts_.clear();
  for (int idx = 0; idx < snapshot.views.size(); ++idx) {
    const QBitArray& mask = snapshot.masks[idx];
    masked_.append(
        maskedView(snapshot.views[idx], mask, snapshot.gridWidth, snapshot.gridHeight, snapshot.patchSize));
    maskedCounts_.append(mask.count(true));
  }
  showTexts();
}

void MasksPanel::clear() {
  hasSnapshot_ = false;
  numViews_ = numSamples_ = numPatches_ = 0;
  maskRatio_ = 0.0;
  masked_.clear();
  maskedCounts_.clear();
  showTexts();
}

void MasksPanel::showTexts() {
  ratioLabel_->setVisible(hasSnapshot_);
  ratioLabel_->setText(tr("mask ratio %1").arg(maskRatio_, 0, 'f', 2));
  if (!hasSnapshot_) {
    grid_->clear();
    return;
  }
  QStringList columns, rowTitles;
  for (int v = 0; v < numViews_; ++v) columns << tr("view %1").arg(v + 1);
  QVector<QVector<ImageGrid::Tile>> tiles;
  for (int i = 0; i < numSamples_; ++i) {
    rowTitles << tr("sample %1").arg(i + 1);
    QVector<ImageGrid::Tile> row;
    for (int v = 0; v < numViews_; ++v) {
      const int idx = v * numSamples_ + i;
      row.append({masked_[idx], tr("%1 of %2 patches masked").arg(maskedCounts_[idx]).arg(numPatches_)});
    }
    tiles.append(row);
  }
  grid_->setContents(columns, rowTitles, tiles);
}

void MasksPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) showTexts();
  QWidget::changeEvent(event);
}
