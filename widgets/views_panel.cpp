#include "widgets/views_panel.h"

#include <QEvent>
#include <QScrollArea>

#include "widgets/image_grid.h"
#include "widgets/panel_style.h"
#include "widgets/snapshot_checks.h"

ViewsPanel::ViewsPanel(QWidget* parent) : QWidget(parent), grid_(new ImageGrid) {
  layOutImagePanel(this, {}, ImageGrid::inScrollArea(grid_, this));
}

void ViewsPanel::setSnapshot(const SnapshotImages& snapshot) {
  if (viewEntryCount(snapshot) < 0) {
    clear();
    return;
  }
  numViews_ = snapshot.numViews;
  rows_.clear();
  for (int i = 0; i < snapshot.numSamples; ++i) {
    QVector<QImage> row{snapshot.originals[i]};
    for (int v = 0; v < snapshot.numViews; ++v) row.append(snapshot.views[snapshot.index(v, i)]);
    rows_.append(row);
  }
  showTiles();
}

void ViewsPanel::clear() {
  numViews_ = 0;
  rows_.clear();
  grid_->clear();
}

void ViewsPanel::showTiles() {
  if (rows_.isEmpty()) {
    grid_->clear();
    return;
  }
  QStringList columns{tr("original")};
  for (int v = 0; v < numViews_; ++v) columns << tr("view %1").arg(v + 1);
  QStringList rowTitles;
  QVector<QVector<ImageGrid::Tile>> tiles;
  for (int i = 0; i < rows_.size(); ++i) {
    rowTitles << tr("sample %1").arg(i + 1);
    QVector<ImageGrid::Tile> row;
    for (const QImage& image : rows_[i]) row.append({image, QString()});
    tiles.append(row);
  }
  grid_->setContents(columns, rowTitles, tiles);
}

void ViewsPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) showTiles();
  QWidget::changeEvent(event);
}
