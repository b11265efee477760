// The studio's layout at the window sizes researchers use (1280x720, 1366x768, 1920x1200)
// in all three languages, with a run's images in the panels and the curves' objective-balance
// rect open: the window keeps the size it was given (its minimum fits), every image dock is
// at least 220x160 and shows its first sample's first image whole, no label or button text
// is clipped, and View -> Reset layout gives the same dock geometry as a fresh start at that
// size.

#include "app/layout_check.h"
#include "app/main_window.h"
#include "tests/app/studio_fixtures.h"
#include "widgets/curves_panel.h"
#include "widgets/image_grid.h"

#include <QtTest/QtTest>

#include <QElapsedTimer>

#include <cstdlib>
#include <QtWidgets>

using namespace studio_test;

namespace {

const char* const kImageDocks[] = {"viewsDock", "masksDock", "noiseDock", "reconstructionDock", "denoisingDock"};

QMap<QString, QRect> dockGeometry(const MainWindow& w) {
  QMap<QString, QRect> out;
  // A dock behind another's tab stays "visible" but is moved out of the window, keeping
  // whatever geometry it last had: only the docks a user sees count.
  for (QDockWidget* d : w.findChildren<QDockWidget*>())
    if (d->isVisible() && !d->visibleRegion().isEmpty()) out.insert(d->objectName(), d->geometry());
  return out;
}

// The dock geometry once the layout has settled: the default layout is applied by a zero
// timer after the first show and takes effect through posted layout requests, so a fixed
// wait can end before either ran on a busy machine. Settled = the same geometry over three
// polls with the event loop run in between (5 s at most).
QMap<QString, QRect> settledDockGeometry(const MainWindow& w) {
  QMap<QString, QRect> last = dockGeometry(w);
  QElapsedTimer timer;
  timer.start();
  for (int same = 0; same < 3 && timer.elapsed() < 5000;) {
    QTest::qWait(20);
    const QMap<QString, QRect> now = dockGeometry(w);
    same = now == last ? same + 1 : 0;
    last = now;
  }
  return last;
}

}  // namespace

class TestStudioLayout : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("CAN Studio tests");
    QCoreApplication::setApplicationName("tst_studio_layout");
    QSettings().clear();
  }

  void layoutFitsEverySizeAndLanguage() {
    MainWindow w(scratch("layout"));
    can::RunConfig c = tinyConfig(makeDataset("layout_data"));
    c.train.snapshot_samples = 8;  // the studio's default
    c.train.snapshot_every = 2;
    w.setBaseConfig(c);
    w.setConfirmClose(false);
    w.resize(1920, 1200);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(4));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    QTRY_VERIFY_WITH_TIMEOUT(w.panelsFilled(), 10000);
    // Objective-balance measurements (the trainer's come every train.balance_every steps,
    // beyond this short run): the curves then show their fourth rect in full and a fourth
    // read-out line, the layout with the least room to spare.
    QVector<MetricsPoint> balance;
    for (qint64 step = 5; step <= 60; ++step) {
      MetricsPoint p;
      p.step = step;
      p.epoch = step / 8.0;
      p.loss = p.lossInfoNce = 4.0 - step / 30.0;
      p.lossRec = p.lossDenoise = 0.5;
      p.lr = 1e-4;
      p.imgPerS = 500.0;
      if (step % 10 == 0) {
        p.gradNormInfoNce = 0.02;
        p.gradNormRec = 0.4;
        p.gradNormDenoise = 3.0;
        p.gradCosCA = -0.2;
        p.gradCosCN = 0.1;
        p.gradCosAN = 0.6;
      }
      balance.append(p);
    }
    w.curvesPanel()->appendPoints(balance);

    for (const QSize size : {QSize(1280, 720), QSize(1366, 768), QSize(1920, 1200)}) {
      // What a fresh start at this size looks like (empty panels, English).
      QMap<QString, QRect> fresh;
      {
        MainWindow first(scratch("layout_fresh"));
        first.resize(size);
        first.show();
        fresh = settledDockGeometry(first);
      }
      for (const char* lang : {"en", "de", "zh_CN"}) {
        const QString where = QString("%1x%2 %3").arg(size.width()).arg(size.height()).arg(lang);
        w.switchLanguage(lang);
        w.resize(size);
        QTest::qWait(20);
        w.action("resetLayout")->trigger();
        settledDockGeometry(w);
        QCOMPARE(w.size(), size);  // not grown: the layout's minimum fits
        for (const char* name : kImageDocks) {
          auto* dock = w.findChild<QDockWidget*>(name);
          QVERIFY2(dock && dock->isVisible(), qPrintable(where + " " + name));
          QVERIFY2(dock->width() >= 220 && dock->height() >= 160,
                   qPrintable(QString("%1 %2: %3x%4").arg(where, name).arg(dock->width()).arg(dock->height())));
          // The first grid of the dock shows its first sample's first image whole (the other
          // columns may scroll).
          auto* grid = dock->findChild<ImageGrid*>();
          QVERIFY2(grid && grid->rowCount() > 0, qPrintable(where + " " + name + ": no images"));
          auto* area = qobject_cast<QScrollArea*>(grid->parentWidget()->parentWidget());
          QVERIFY(area);
          const QRect tile = grid->tileRect(0, 0);
          const QRect shown(grid->mapTo(area->viewport(), tile.topLeft()), tile.size());
          QVERIFY2(area->viewport()->rect().contains(shown),
                   qPrintable(QString("%1 %2: first tile at %3,%4 %5x%6, viewport %7x%8")
                                  .arg(where, name)
                                  .arg(shown.x())
                                  .arg(shown.y())
                                  .arg(shown.width())
                                  .arg(shown.height())
                                  .arg(area->viewport()->width())
                                  .arg(area->viewport()->height())));
        }
        const QStringList clipped = clippedTexts(w);
        QVERIFY2(clipped.isEmpty(), qPrintable(where + ": " + clipped.join("; ")));
        if (QString(lang) == "en") {
          const QMap<QString, QRect> reset = dockGeometry(w);
          // Each edge within a pixel: after a session in Chinese, the CJK fallback font's
          // taller lines leave one dock a pixel off when the layout is reset in English
          // (seen with fonts-wqy-microhei installed; exact without a CJK font).
          const auto near = [](const QRect& a, const QRect& b) {
            return std::abs(a.left() - b.left()) <= 1 && std::abs(a.top() - b.top()) <= 1 &&
                   std::abs(a.right() - b.right()) <= 1 && std::abs(a.bottom() - b.bottom()) <= 1;
          };
          for (auto it = fresh.begin(); it != fresh.end(); ++it)
            QVERIFY2(reset.contains(it.key()) && near(reset.value(it.key()), it.value()),
                     qPrintable(QString("%1 %2: reset %3,%4 %5x%6, fresh %7,%8 %9x%10")
                                    .arg(where, it.key())
                                    .arg(reset.value(it.key()).x())
                                    .arg(reset.value(it.key()).y())
                                    .arg(reset.value(it.key()).width())
                                    .arg(reset.value(it.key()).height())
                                    .arg(it.value().x())
                                    .arg(it.value().y())
                                    .arg(it.value().width())
                                    .arg(it.value().height())));
        }
      }
    }
    w.switchLanguage("en");
  }
};

QTEST_MAIN(TestStudioLayout)
#include "tst_studio_layout.moc"
