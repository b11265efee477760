#include "widgets/image_grid.h"

#include <QEvent>
#include <QFontMetrics>
#include <QPainter>
#include <QPalette>
#include <QScrollArea>
#include <QStyle>
#include <algorithm>
#include <cstring>

#include "widgets/panel_style.h"

namespace {

// Each source pixel becomes an exact s x s block. Written out rather than QImage::scaled so
// the block geometry the tests rely on does not depend on Qt's sampling rules.
QImage enlarged(const QImage& source, int s) {
  const QImage src = source.convertToFormat(QImage::Format_RGB32);
  if (s <= 1 || src.isNull()) return src;
  QImage out(src.width() * s, src.height() * s, QImage::Format_RGB32);
  for (int y = 0; y < src.height(); ++y) {
    const auto* in = reinterpret_cast<const QRgb*>(src.constScanLine(y));
    auto* first = reinterpret_cast<QRgb*>(out.scanLine(y * s));
    for (int x = 0; x < src.width(); ++x) std::fill_n(first + x * s, s, in[x]);
    for (int r = 1; r < s; ++r)
      std::memcpy(out.scanLine(y * s + r), first, size_t(out.width()) * sizeof(QRgb));
  }
  return out;
}

QFont titleFont(QFont font) {
  font.setBold(true);
  return font;
}

}  // namespace

ImageGrid::ImageGrid(QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_OpaquePaintEvent);  // paintEvent fills every pixel
}

void ImageGrid::setColumnTitles(const QStringList& titles) {
  columnTitles_ = titles;
  contentChanged();
}

void ImageGrid::setRowTitles(const QStringList& titles) {
  rowTitles_ = titles;
  contentChanged();
}

void ImageGrid::setTiles(const QVector<QVector<Tile>>& rows) {
  rows_ = rows;
  contentChanged();
}

void ImageGrid::setContents(const QStringList& columnTitles, const QStringList& rowTitles,
                            const QVector<QVector<Tile>>& rows) {
  columnTitles_ = columnTitles;
  rowTitles_ = rowTitles;
  rows_ = rows;
  contentChanged();
}

void ImageGrid::clear() {
  rows_.clear();
  columnTitles_.clear();
  rowTitles_.clear();
  contentChanged();
}

int ImageGrid::columnCount() const {
  int n = 0;
  for (const auto& row : rows_) n = std::max(n, int(row.size()));
  return n;
}

QRect ImageGrid::tileRect(int row, int col) const {
  if (row < 0 || row >= rows_.size() || col < 0 || col >= rows_[row].size()) return {};
  const int s = scale();
  return tileRectIn(layoutAt(s), s, row, col);
}

QRect ImageGrid::tileRectIn(const Layout& l, int s, int row, int col) const {
  const QImage& image = rows_[row][col].image;
  if (image.isNull()) return {};
  const QSize size = image.size() * s;
  return QRect(l.columnX[col] + (l.columnWidth[col] - size.width()) / 2,
               l.rowY[row] + (l.imageHeight - size.height()) / 2, size.width(), size.height());
}

QString ImageGrid::caption(int row, int col) const {
  if (row < 0 || row >= rows_.size() || col < 0 || col >= rows_[row].size()) return {};
  return rows_[row][col].caption;
}

const QImage& ImageGrid::tileImage(int row, int col) const {
  static const QImage none;
  if (row < 0 || row >= rows_.size() || col < 0 || col >= rows_[row].size()) return none;
  return rows_[row][col].image;
}

int ImageGrid::maxScale() const {
  const int side = std::max(maxImageSize_.width(), maxImageSize_.height());
  return side > 0 ? std::max(1, kMaxTilePx / side) : 1;
}

int ImageGrid::scaleForTarget(int targetPx) const {
  const int side = std::max(maxImageSize_.width(), maxImageSize_.height());
  if (side <= 0) return 1;
  return std::clamp(targetPx / side, 1, maxScale());
}

int ImageGrid::scale() const {
  for (int s = maxScale(); s > 1; --s) {
    const QSize need = layoutAt(s).total;
    if (need.width() <= width() && need.height() <= height()) return s;
  }
  return 1;
}

ImageGrid::Layout ImageGrid::layoutAt(int s) const {
  const QFontMetrics fm(font());
  const QFontMetrics titleFm(titleFont(font()));
  Layout l;

  const int columns = std::max(columnCount(), int(columnTitles_.size()));
  bool anyCaption = false;
  for (const auto& row : rows_)
    for (const auto& tile : row) anyCaption = anyCaption || !tile.caption.isEmpty();
  const bool anyColumnTitle =
      std::any_of(columnTitles_.begin(), columnTitles_.end(), [](const QString& t) { return !t.isEmpty(); });

  l.captionHeight = anyCaption ? fm.height() + 2 * kTextPaddingPx : 0;
  l.columnTitleHeight = anyColumnTitle ? titleFm.height() + 2 * kTextPaddingPx : 0;
  for (const QString& title : rowTitles_)
    if (!title.isEmpty())
      l.rowTitleWidth = std::max(l.rowTitleWidth, titleFm.horizontalAdvance(title) + 3 * kTextPaddingPx);
  l.imageHeight = maxImageSize_.height() * s;

  // A column is as wide as its widest image, caption or title: captions are never elided.
  l.columnWidth.fill(0, columns);
  for (const auto& row : rows_) {
    for (int c = 0; c < row.size(); ++c) {
      const Tile& tile = row[c];
      l.columnWidth[c] = std::max(l.columnWidth[c], tile.image.width() * s);
      if (!tile.caption.isEmpty())
        l.columnWidth[c] =
            std::max(l.columnWidth[c], fm.horizontalAdvance(tile.caption) + 2 * kTextPaddingPx);
    }
  }
  for (int c = 0; c < columnTitles_.size(); ++c)
    if (!columnTitles_[c].isEmpty())
      l.columnWidth[c] =
          std::max(l.columnWidth[c], titleFm.horizontalAdvance(columnTitles_[c]) + 2 * kTextPaddingPx);

  int x = kGridMarginPx + l.rowTitleWidth;
  for (int c = 0; c < columns; ++c) {
    l.columnX.append(x);
    x += l.columnWidth[c] + (c + 1 < columns ? kTileSpacingPx : 0);
  }
  int y = kGridMarginPx + l.columnTitleHeight;
  for (int r = 0; r < rows_.size(); ++r) {
    l.rowY.append(y);
    y += l.imageHeight + l.captionHeight + (r + 1 < rows_.size() ? kTileSpacingPx : 0);
  }
  l.total = QSize(x + kGridMarginPx, y + kGridMarginPx);
  return l;
}

QSize ImageGrid::sizeHint() const { return layoutAt(scaleForTarget(kPreferredTilePx)).total; }

QSize ImageGrid::minimumSizeHint() const { return layoutAt(scaleForTarget(kMinTilePx)).total; }

const QImage& ImageGrid::scaledImage(int row, int col, int s) const {
  if (scaledAt_ != s) {
    scaled_.clear();
    scaledAt_ = s;
  }
  if (scaled_.isEmpty()) {
    scaled_.resize(rows_.size());
    for (int r = 0; r < rows_.size(); ++r) {
      scaled_[r].reserve(rows_[r].size());
      for (const Tile& tile : rows_[r]) scaled_[r].append(enlarged(tile.image, s));
    }
  }
  return scaled_[row][col];
}

void ImageGrid::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(kGridBackground));
  if (rows_.isEmpty() && columnTitles_.isEmpty()) {
    // Empty state: say what will appear here, rather than a large dark rectangle.
    painter.setPen(QColor(kGridText));
    painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                     tr("The images of the run appear here at its first snapshot. Press Start, or open a checkpoint."));
    return;
  }

  const int s = scale();
  const Layout l = layoutAt(s);
  const QFont captionFont = font();

  painter.setFont(titleFont(font()));
  painter.setPen(QColor(kGridTitleText));
  for (int c = 0; c < columnTitles_.size() && c < l.columnX.size(); ++c)
    painter.drawText(QRect(l.columnX[c], kGridMarginPx, l.columnWidth[c], l.columnTitleHeight),
                     Qt::AlignCenter, columnTitles_[c]);
  for (int r = 0; r < rowTitles_.size() && r < l.rowY.size(); ++r)
    painter.drawText(QRect(kGridMarginPx, l.rowY[r], l.rowTitleWidth - kTextPaddingPx, l.imageHeight),
                     Qt::AlignLeft | Qt::AlignVCenter, rowTitles_[r]);

  painter.setFont(captionFont);
  for (int r = 0; r < rows_.size(); ++r) {
    for (int c = 0; c < rows_[r].size(); ++c) {
      const QRect target = tileRectIn(l, s, r, c);
      if (target.isValid()) {
        // Frame first, image second: the frame lies just outside the image area.
        painter.setPen(QColor(kTileFrame));
        painter.drawRect(target.adjusted(-1, -1, 0, 0));
        painter.drawImage(target.topLeft(), scaledImage(r, c, s));
      }
      const QString& text = rows_[r][c].caption;
      if (!text.isEmpty()) {
        painter.setPen(QColor(kGridText));
        painter.drawText(QRect(l.columnX[c], l.rowY[r] + l.imageHeight, l.columnWidth[c], l.captionHeight),
                         Qt::AlignCenter, text);
      }
    }
  }
}

void ImageGrid::changeEvent(QEvent* event) {
  if (event->type() == QEvent::FontChange) contentChanged();
  if (event->type() == QEvent::LanguageChange) update();
  QWidget::changeEvent(event);
}

void ImageGrid::contentChanged() {
  maxImageSize_ = QSize(0, 0);
  for (const auto& row : rows_)
    for (const auto& tile : row) maxImageSize_ = maxImageSize_.expandedTo(tile.image.size());
  scaled_.clear();
  scaledAt_ = 0;
  updateGeometry();
  // The scroll area's minimum follows the first row (GridScrollArea): layouts cache it, so
  // the area announces the change itself.
  if (auto* area = qobject_cast<QScrollArea*>(parentWidget() ? parentWidget()->parentWidget() : nullptr))
    area->updateGeometry();
  update();
}

QSize ImageGrid::firstTileSize() const {
  const Layout l = layoutAt(scaleForTarget(kMinTilePx));
  if (rows_.isEmpty() || l.columnX.isEmpty()) return l.total;
  return QSize(l.columnX[0] + l.columnWidth[0] + kGridMarginPx,
               l.rowY[0] + l.imageHeight + l.captionHeight + kGridMarginPx);
}

namespace {

// The scroll area of a grid. Its minimum is what keeps a dock usable on a small screen:
// the first sample's first image whole (with the titles and its caption, at the smallest
// readable scale; the other columns scroll), within kMaxMinimum, and never under kFloor
// even before the first snapshot.
// Without it, QScrollArea's minimum (a few pixels) let QMainWindow squeeze image docks to
// 60 px strips at 1366x768.
class GridScrollArea : public QScrollArea {
 public:
  GridScrollArea(ImageGrid* grid, QWidget* parent) : QScrollArea(parent), grid_(grid) {}
  QSize minimumSizeHint() const override {
    static constexpr QSize kFloor{220, 160};
    static constexpr QSize kMaxMinimum{420, 260};
    const QSize row = grid_->firstTileSize();
    const QSize all = grid_->minimumSizeHint();
    const int bar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    QSize min = row.boundedTo(kMaxMinimum);
    if (all.height() > min.height()) min.rwidth() += bar;  // a vertical scroll bar shows
    if (all.width() > min.width()) min.rheight() += bar;   // a horizontal one
    return min.expandedTo(kFloor);
  }

 private:
  ImageGrid* grid_;
};

}  // namespace

QScrollArea* ImageGrid::inScrollArea(ImageGrid* grid, QWidget* parent) {
  auto* area = new GridScrollArea(grid, parent);
  area->setFrameShape(QFrame::NoFrame);
  area->setWidgetResizable(true);
  area->setWidget(grid);
  // The viewport shows around the grid while it resizes: same colour, no flash.
  QPalette palette = area->viewport()->palette();
  palette.setColor(QPalette::Window, QColor(kGridBackground));
  area->viewport()->setPalette(palette);
  area->viewport()->setAutoFillBackground(true);
  return area;
}
