// The image panels' step slider: one position per kept step, picking the nearest kept
// step, following a step the bound removed to its nearest neighbour, and Live again.
#include <QtTest/QtTest>
#include <QtWidgets>

#include "widgets/snapshot_slider.h"

class TestSnapshotSlider : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void sliderPicksKeptStepsAndGoesLive() {
    SnapshotSlider slider;
    QSignalSpy picked(&slider, &SnapshotSlider::stepPicked);
    QSignalSpy live(&slider, &SnapshotSlider::liveChanged);
    QVERIFY(slider.isLive());
    slider.pickStep(50);  // nothing kept yet: nothing happens
    QVERIFY(slider.isLive() && picked.isEmpty());
    slider.setSteps({100, 200, 400, 800});
    QVERIFY(slider.isLive());
    slider.pickStep(390);  // the nearest kept one
    QVERIFY(!slider.isLive());
    QCOMPARE(slider.pickedStep(), qint64(400));
    QCOMPARE(picked.takeLast().at(0).toLongLong(), qint64(400));
    QCOMPARE(live.takeLast().at(0).toBool(), false);
    // The slider itself: one position per kept step.
    auto* bar = slider.findChild<QSlider*>("snapshotStepSlider");
    QCOMPARE(bar->maximum(), 3);
    bar->setValue(1);
    QCOMPARE(picked.takeLast().at(0).toLongLong(), qint64(200));
    QCOMPARE(slider.findChild<QLabel*>("snapshotStepLabel")->text(), QString("step 200"));
    // The bound removed step 200: the nearest kept one is shown instead.
    slider.setSteps({100, 300, 400, 800, 900});
    QCOMPARE(slider.pickedStep(), qint64(300));
    QCOMPARE(picked.takeLast().at(0).toLongLong(), qint64(300));
    // Live again.
    slider.findChild<QToolButton*>("snapshotLiveButton")->click();
    QVERIFY(slider.isLive());
    QCOMPARE(live.takeLast().at(0).toBool(), true);
    QCOMPARE(slider.pickedStep(), qint64(-1));
    QCOMPARE(bar->value(), bar->maximum());
  }
};

QTEST_MAIN(TestSnapshotSlider)
#include "tst_snapshot_slider.moc"
