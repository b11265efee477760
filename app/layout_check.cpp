#include "app/layout_check.h"

#include <QAbstractButton>
#include <QDockWidget>
#include <QLabel>
#include <QRegularExpression>
#include <QWidget>

QVector<DockSize> visibleDockSizes(const QWidget& window) {
  QVector<DockSize> out;
  for (QDockWidget* d : window.findChildren<QDockWidget*>())
    if (d->isVisible()) out.append({d->objectName(), d->size()});
  return out;
}

QStringList clippedTexts(const QWidget& window) {
  QStringList out;
  for (QLabel* l : window.findChildren<QLabel*>()) {
    if (!l->isVisible() || l->wordWrap() || l->text().isEmpty() || l->textFormat() == Qt::RichText) continue;
    QString shown = l->text();
    if (l->buddy()) shown.remove(QRegularExpression("&(?!&)"));  // a mnemonic's & is not drawn
    const int need = l->fontMetrics().horizontalAdvance(shown);
    if (need > l->contentsRect().width())
      out << QString("label %1 '%2': %3 px in %4")
                 .arg(l->objectName(), l->text())
                 .arg(need)
                 .arg(l->contentsRect().width());
  }
  for (QAbstractButton* b : window.findChildren<QAbstractButton*>()) {
    if (!b->isVisible() || b->text().isEmpty()) continue;
    if (b->sizeHint().width() > b->width() + 1)
      out << QString("button %1 '%2': wants %3 px, has %4")
                 .arg(b->objectName(), b->text())
                 .arg(b->sizeHint().width())
                 .arg(b->width());
  }
  return out;
}
