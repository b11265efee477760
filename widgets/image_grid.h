#pragma once
// A table of small images (tiles) with optional column titles above, row titles on the
// left and a caption under each image. Every panel of training images draws through it.
//
// Images are enlarged by the largest integer factor s that lets the whole table fit the
// widget (at least 1), without smoothing: source pixel (x, y) of a tile is exactly the s x s
// block at tileRect(row, col).topLeft() + (x*s, y*s). Blurred 28 px digits would hide the
// patch borders the panels are about.

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QScrollArea;

class ImageGrid : public QWidget {
  Q_OBJECT

 public:
  struct Tile {
    QImage image;
    QString caption;  // drawn in a strip under the image, never over it
  };

  explicit ImageGrid(QWidget* parent = nullptr);

  void setColumnTitles(const QStringList& titles);
  void setRowTitles(const QStringList& titles);
  // rows[r][c]; rows may be ragged (a missing tile leaves its cell empty).
  void setTiles(const QVector<QVector<Tile>>& rows);
  // All three at once, with one relayout: what a panel calls when its snapshot changes.
  void setContents(const QStringList& columnTitles, const QStringList& rowTitles,
                   const QVector<QVector<Tile>>& rows);
  // Removes tiles and titles.
  void clear();

  int rowCount() const { return rows_.size(); }
  int columnCount() const;
  QStringList columnTitles() const { return columnTitles_; }
  QStringList rowTitles() const { return rowTitles_; }
  // Where the image of tile (row, col) is drawn, in widget coordinates; null if no tile.
  QRect tileRect(int row, int col) const;
  // "" / a null image when there is no such tile.
  QString caption(int row, int col) const;
  const QImage& tileImage(int row, int col) const;
  // The current enlargement factor (>= 1).
  int scale() const;

  // Row and column titles and the first tile with its caption, at the smallest readable
  // scale: what a panel shows at the least.
  QSize firstTileSize() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

  // The grid inside a frameless scroll area that resizes it, so a grid taller than the
  // panel scrolls instead of shrinking its tiles below minimumSizeHint. The area's own
  // minimum keeps the first tile visible (at least 220x160, at most 420x260).
  static QScrollArea* inScrollArea(ImageGrid* grid, QWidget* parent = nullptr);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  // Positions of everything at one scale; recomputed on demand (cheap: a few dozen tiles).
  struct Layout {
    QSize total;
    int rowTitleWidth = 0;
    int columnTitleHeight = 0;
    int captionHeight = 0;
    QVector<int> columnX, columnWidth;  // per column
    QVector<int> rowY;                  // top of each row's image area
    int imageHeight = 0;                // scaled height of the tallest image
  };

  Layout layoutAt(int scale) const;
  QRect tileRectIn(const Layout& layout, int scale, int row, int col) const;  // tile must exist
  int maxScale() const;
  int scaleForTarget(int targetPx) const;
  const QImage& scaledImage(int row, int col, int scale) const;
  void contentChanged();

  QVector<QVector<Tile>> rows_;
  QStringList columnTitles_;
  QStringList rowTitles_;
  QSize maxImageSize_;  // largest width and height over all tiles
  // Enlarged copies of the tiles, made once per scale rather than at every paint.
  mutable QVector<QVector<QImage>> scaled_;
  mutable int scaledAt_ = 0;
};
