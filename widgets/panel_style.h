#pragma once
// Look shared by the image panels, so a masked patch, a tile and a caption read the same in
// every tab.

#include <QColor>
#include <QLabel>
#include <QPalette>
#include <QRgb>
#include <QVBoxLayout>
#include <QWidget>
#include <initializer_list>

// Every masked patch, in every panel, is filled with this one flat grey: the eye learns
// "grey square = the encoder never saw it" once.
constexpr QRgb kMaskedGrey = qRgb(128, 128, 128);

// Tile sizes, in screen pixels, of the longest image side. Images are enlarged by an integer
// factor only (each source pixel an exact block), so these are targets, not exact sizes.
constexpr int kPreferredTilePx = 112;  // sizeHint: 28 px images drawn 4x
constexpr int kMinTilePx = 56;         // minimumSizeHint: below this a 28 px digit is unreadable
constexpr int kMaxTilePx = 224;        // beyond this, bigger tiles only cost screen space

// Grid geometry, in screen pixels.
constexpr int kGridMarginPx = 8;    // around the whole grid
constexpr int kTileSpacingPx = 10;  // between neighbouring tiles
constexpr int kTextPaddingPx = 4;   // around captions and titles

// A dark neutral background: coloured images and the mid grey of masked patches both stand
// out against it, which they would not against a light window colour.
constexpr QRgb kGridBackground = qRgb(38, 38, 40);
constexpr QRgb kGridText = qRgb(225, 225, 225);
constexpr QRgb kGridTitleText = qRgb(170, 200, 255);
constexpr QRgb kTileFrame = qRgb(90, 90, 96);

// Sigma histogram.
constexpr int kSigmaHistogramBins = 20;
constexpr int kSigmaHistogramHeightPx = 140;
constexpr QRgb kHistogramBar = qRgb(110, 160, 230);

// The whole panel on the grid's dark ground, so notes above a grid do not sit on a light
// strip of window colour.
inline void applyPanelPalette(QWidget* panel) {
  QPalette palette = panel->palette();
  palette.setColor(QPalette::Window, QColor(kGridBackground));
  palette.setColor(QPalette::WindowText, QColor(kGridText));
  palette.setColor(QPalette::Text, QColor(kGridText));
  panel->setPalette(palette);
  panel->setAutoFillBackground(true);
}

// A note above a grid: wrapped, indented like the grid's tiles. The object name lets tests
// find it.
inline QLabel* newPanelLabel(const QString& objectName) {
  auto* label = new QLabel;
  label->setObjectName(objectName);
  label->setWordWrap(true);
  label->setContentsMargins(kGridMarginPx, kTextPaddingPx, kGridMarginPx, 0);
  return label;
}

// The layout of every image panel: notes above, the (scrolling) grid taking the spare
// height, anything below it, edge to edge on the panel's dark ground.
inline void layOutImagePanel(QWidget* panel, std::initializer_list<QWidget*> above, QWidget* grid,
                             std::initializer_list<QWidget*> below = {}) {
  applyPanelPalette(panel);
  auto* layout = new QVBoxLayout(panel);
  layout->setContentsMargins(0, 0, 0, 0);
  for (QWidget* w : above) layout->addWidget(w);
  layout->addWidget(grid, 1);
  for (QWidget* w : below) layout->addWidget(w);
}
