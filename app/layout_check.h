#pragma once
// What a user sees of the window's layout, measured: the size of every visible dock and
// every visible text that does not fit its widget. can-studio prints both in its summary
// line (--steps), and the layout test asserts on them.

#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>

class QWidget;

struct DockSize {
  QString name;  // the dock's objectName
  QSize size;
};

QVector<DockSize> visibleDockSizes(const QWidget& window);

// Visible labels (plain text, not word-wrapped; a mnemonic's & not counted) whose text is
// wider than their contents, and visible buttons narrower than their size hint, as
// "label NAME 'TEXT': NEED px in HAVE" lines.
QStringList clippedTexts(const QWidget& window);
