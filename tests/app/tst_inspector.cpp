// The Inspector window driven as a user would, on a tiny run trained for a few steps:
// patches clicked in the mask editor give exactly that mask, and the inspection on screen
// was computed with exactly that mask; its losses equal core's inspect() run here on the
// same image, mask, sigma and seed; the search box finds an index and a class.
#include <QtTest/QtTest>

#include <algorithm>

#include "app/inspector_view.h"
#include "core/analysis/inspection.h"
#include "core/eval/features.h"
#include "core/train/checkpoint.h"
#include "tests/app/studio_fixtures.h"
#include "widgets/dataset_browser.h"
#include "widgets/patch_mask_editor.h"

using namespace studio_test;

namespace {

// Waits until the view shows a result for a request with this mask (or times out).
bool waitForShown(InspectorView& v, const QVector<bool>& mask, int timeoutMs = 60000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < timeoutMs) {
    if (v.hasResult() && v.shownResult().request.mask == mask) return true;
    QTest::qWait(10);
  }
  return false;
}

}  // namespace

class TestInspector : public QObject {
  Q_OBJECT
  QString run_;

 private Q_SLOTS:
  void initTestCase() {
    const QString data = makeDataset("inspector-data");
    MainWindow w(scratch("inspector-runs"));
    w.setConfirmClose(false);
    w.setBaseConfig(tinyConfig(data));
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(3));
    QVERIFY(finished.wait(60000));
    run_ = w.runDir();
  }

  void clickedMaskIsTheInspectedMask() {
    InspectorView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy opened(&view, &InspectorView::checkpointOpened);
    view.setCheckpoint(run_);
    QVERIFY(opened.wait(60000));
    QVERIFY2(opened.last().at(0).toString().isEmpty(), qPrintable(opened.last().at(0).toString()));
    PatchMaskEditor* editor = view.maskEditor();
    QCOMPARE(editor->grid(), 4);
    QVERIFY(waitForShown(view, editor->mask()));

    // Clear, then click four patches at their centres; one of them twice (masked, unmasked).
    editor->setMask(QVector<bool>(16, false));
    for (int t : {1, 4, 6, 11, 9, 9}) QTest::mouseClick(editor, Qt::LeftButton, {}, editor->patchCentre(t));
    QVector<bool> want(16, false);
    for (int t : {1, 4, 6, 11}) want[t] = true;
    QCOMPARE(editor->mask(), want);
    QVERIFY2(waitForShown(view, want), qPrintable(view.statusText()));
    QCOMPARE(view.lastRequest().mask, want);
    QCOMPARE(view.shownResult().maskUsed, want);
    QVERIFY(view.lastUpdateMs() > 0);

    // The same inspection in core, here: the losses on screen are its.
    view.setSigma(0.04);
    QVERIFY(
        QTest::qWaitFor([&] { return view.hasResult() && view.shownResult().request.sigma == view.sigma(); }, 60000));
    const InspectorRequest& rq = view.shownResult().request;
    can::RunConfig config;
    auto model = can::load_model(run_.toStdString(), &config);
    auto ds = can::data::open_dataset(config.data, can::data::Split::Train);
    const auto mean = config.data.resolved_mean(1), stdv = config.data.resolved_std(1);
    can::analysis::InspectionRequest core;
    core.image = can::eval::eval_batch(*ds, rq.index, 1, 1, 16, mean, stdv)[0];
    core.mask.assign(want.begin(), want.end());
    core.sigma = rq.sigma;
    core.noise_seed = rq.noiseSeed;
    const auto ins = can::analysis::inspect(model, config.loss, core);
    QVERIFY(rq.sigma > 0);
    QCOMPARE(view.shownResult().lossRec, ins.loss_rec);
    QCOMPARE(view.shownResult().lossDenoise, ins.loss_denoise);
    QVERIFY(ins.loss_rec > 0 && ins.loss_denoise > 0);
    QVERIFY2(view.lossText().contains(QString::number(ins.loss_rec, 'g', 4)), qPrintable(view.lossText()));
  }

  void searchFindsAnIndexAndAClass() {
    InspectorView view;
    view.resize(1000, 700);
    view.show();
    QSignalSpy opened(&view, &InspectorView::checkpointOpened);
    view.setCheckpoint(run_);
    QVERIFY(opened.wait(60000));
    DatasetBrowser* b = view.browser();
    QVERIFY(b->search("37"));
    QCOMPARE(b->currentIndex(), qint64(37));
    QCOMPARE(b->thumbnails()->rowCount(), 64);
    // "Trouser" is class 1 of Fashion-MNIST (a unique prefix is enough, any case); the
    // generated labels are i % 10. "s" is ambiguous (Sandal, Shirt, Sneaker).
    QVERIFY(!b->search("s"));
    QVERIFY(b->search("TROUS"));
    QCOMPARE(b->thumbnails()->rowCount(), 7);  // 1, 11, ..., 61
    for (int r = 0; r < b->thumbnails()->rowCount(); ++r) QCOMPARE(b->thumbnails()->datasetIndex(r) % 10, qint64(1));
    QCOMPARE(b->currentIndex(), qint64(1));
    // An index of another class shows every image again.
    QVERIFY(b->search("40"));
    QCOMPARE(b->thumbnails()->rowCount(), 64);
    QCOMPARE(b->currentIndex(), qint64(40));
    QVERIFY(!b->search("no such class"));
    QVERIFY(!b->search("64"));
    QCOMPARE(b->currentIndex(), qint64(40));
    QVERIFY(QTest::qWaitFor([&] { return view.hasResult() && view.shownResult().request.index == 40; }, 60000));
  }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
