#pragma once
// The look of the curves panel, shared by its construction (curves_panel_build.cpp) and its
// updates (curves_panel.cpp): one hue per curve, quiet axes, and vertical line items (markers
// and the hover line) that span an axis rect whatever its value axis. Only for widgets/ .cpp
// files: qcustomplot.h uses the Qt keywords that app code turns off.

#include <qcustomplot.h>

#include <QColor>
#include <QPen>
#include <QString>

namespace curves_style {

// A colour-blind-friendly categorical palette (Tableau 10), one hue per curve.
inline const QColor kLossColors[] = {QColor(0x26, 0x26, 0x26), QColor(0x1f, 0x77, 0xb4),
                                     QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c)};
inline const QColor kLrColor(0x94, 0x67, 0xbd);
inline const QColor kImgColor(0x17, 0x9e, 0xaf);
inline const QColor kContrastiveColor(0xe3, 0x77, 0xc2);
inline const QColor kKnnColor(0xd6, 0x27, 0x28);
inline const QColor kHealthColor(0x17, 0xa2, 0xb8);  // representation health: embedding spread
inline const QColor kMarkerColor(0x70, 0x70, 0x70);
// The resource rect: CPU % (left axis), resident and GPU memory (right axis).
inline const QColor kCpuColor(0xbc, 0xbd, 0x22);
inline const QColor kRssColor(0x8c, 0x56, 0x4b);
inline const QColor kGpuMemColor(0x1f, 0x77, 0xb4);
// The balance rect's gradient norms use their terms' loss colours (kLossColors[1..3]); the
// cosines C-A, C-N, A-N take the palette's three remaining hues, drawn dashed.
inline const QColor kBalanceCosColors[] = {QColor(0x8c, 0x56, 0x4b), QColor(0x9a, 0x9b, 0x1c),
                                           QColor(0x7f, 0x7f, 0x7f)};

inline void styleAxis(QCPAxis* axis) {
  axis->setBasePen(QPen(QColor(0x90, 0x90, 0x90), 1));
  axis->setTickPen(QPen(QColor(0x90, 0x90, 0x90), 1));
  axis->setSubTickPen(QPen(QColor(0xb0, 0xb0, 0xb0), 1));
  axis->setTickLabelColor(QColor(0x40, 0x40, 0x40));
  axis->setLabelColor(QColor(0x30, 0x30, 0x30));
  axis->grid()->setPen(QPen(QColor(0xe4, 0xe4, 0xe4), 1));
  axis->grid()->setZeroLinePen(Qt::NoPen);
}

// Item positions: x in plot coordinates of rect's key axis, y as a fraction of its height,
// so vertical lines span the rect whatever the value axis (log included).
inline void attachToRect(QCPItemPosition* pos, QCPAxisRect* rect) {
  pos->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  pos->setAxisRect(rect);
  pos->setTypeX(QCPItemPosition::ptPlotCoords);
  pos->setTypeY(QCPItemPosition::ptAxisRectRatio);
}

inline QCPItemStraightLine* makeVerticalLine(QCustomPlot* plot, QCPAxisRect* rect, const QPen& pen,
                                             const QString& layer) {
  auto* line = new QCPItemStraightLine(plot);
  line->setLayer(layer);
  line->setPen(pen);
  line->setClipAxisRect(rect);
  line->setSelectable(false);
  attachToRect(line->point1, rect);
  attachToRect(line->point2, rect);
  return line;
}

inline void setVerticalLineKey(QCPItemStraightLine* line, double key) {
  line->point1->setCoords(key, 0.0);
  line->point2->setCoords(key, 1.0);
}

}  // namespace curves_style
