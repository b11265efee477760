#include "widgets/noise_panel.h"

#include <QEvent>
#include <QLabel>
#include <QScrollArea>

#include "widgets/image_grid.h"
#include "widgets/panel_style.h"
#include "widgets/sigma_histogram.h"
#include "widgets/snapshot_checks.h"

NoisePanel::NoisePanel(QWidget* parent)
    : QWidget(parent),
      grid_(new ImageGrid),
      histogramTitle_(newPanelLabel(QStringLiteral("histogramTitle"))),
      histogram_(new SigmaHistogram) {
  layOutImagePanel(this, {}, ImageGrid::inScrollArea(grid_, this), {histogramTitle_, histogram_});
  showTexts();
}

void NoisePanel::setSnapshot(const SnapshotImages& snapshot) {
  if (!hasOnePerView(snapshot.noisy, snapshot) || !hasOnePerView(snapshot.sigma, snapshot)) {
    clear();
    return;
  }
  hasSnapshot_ = true;
  numViews_ = snapshot.numViews;
  numSamples_ = snapshot.numSamples;
  sigmaMax_ = snapshot.sigmaMax;
  batchSize_ = snapshot.sigmaBatch.size();
  noisy_ = snapshot.noisy;
  sigma_ = snapshot.sigma;
  histogram_->setValues(snapshot.sigmaBatch, snapshot.sigmaMax);
  showTexts();
}

void NoisePanel::clear() {
  hasSnapshot_ = false;
  numViews_ = numSamples_ = batchSize_ = 0;
  sigmaMax_ = 0.0;
  noisy_.clear();
  sigma_.clear();
  histogram_->clear();
  showTexts();
}

void NoisePanel::showTexts() {
  histogramTitle_->setVisible(hasSnapshot_);
  histogram_->setVisible(hasSnapshot_);
  if (!hasSnapshot_) {
    grid_->clear();
    return;
  }
  if (sigmaMax_ > 0.0)
    histogramTitle_->setText(
        tr("σ of the %n view(s) in the batch, drawn uniformly from [0, σ_max]", nullptr, batchSize_));
  else
    histogramTitle_->setText(tr("No noise is added in this run (σ_max = 0)."));

  QStringList columns, rowTitles;
  for (int v = 0; v < numViews_; ++v) columns << tr("noisy view %1").arg(v + 1);
  QVector<QVector<ImageGrid::Tile>> tiles;
  for (int i = 0; i < numSamples_; ++i) {
    rowTitles << tr("sample %1").arg(i + 1);
    QVector<ImageGrid::Tile> row;
    for (int v = 0; v < numViews_; ++v) {
      const int idx = v * numSamples_ + i;
      // A formula, not prose: the same in every language.
      row.append({noisy_[idx], QStringLiteral("σ = %1").arg(sigma_[idx], 0, 'f', 3)});
    }
    tiles.append(row);
  }
  grid_->setContents(columns, rowTitles, tiles);
}

void NoisePanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) showTexts();
  QWidget::changeEvent(event);
}
