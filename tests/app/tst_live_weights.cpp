// Live weights (docs/bench.md "Inspector"): a copy of the training model taken between two
// steps of a real (tiny) studio run, the run going on. The copy equals the checkpoint saved
// after the same step; it stays so while training goes on and the model moves away from it;
// it comes while the run is paused too; and the Inspector's "Live weights" button shows an
// inspection computed from it (its losses are core's inspect() on the copy).
#include <QtTest/QtTest>

#include "app/inspector_view.h"
#include "app/live_weights.h"
#include "app/run_controller.h"
#include "core/analysis/inspection.h"
#include "core/eval/features.h"
#include "core/model/model_copy.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_info.h"
#include "tests/app/studio_fixtures.h"

using namespace studio_test;

namespace {

using Weights = std::shared_ptr<const LiveWeights>;

Weights weightsOf(const QSignalSpy& spy, int i) { return qvariant_cast<Weights>(spy.at(i).at(0)); }

// Every parameter and buffer equal, bit for bit; `differing` counts the tensors that are not.
bool sameTensors(const can::CanModel& a, const can::CanModel& b, int* differing = nullptr) {
  int n = 0;
  auto compare = [&n](const torch::OrderedDict<std::string, torch::Tensor>& x,
                      const torch::OrderedDict<std::string, torch::Tensor>& y) {
    if (x.size() != y.size()) return false;
    for (const auto& item : x) {
      const torch::Tensor* other = y.find(item.key());
      if (!other) return false;
      if (!torch::equal(item.value(), *other)) ++n;
    }
    return true;
  };
  const bool shaped = compare(a->named_parameters(true), b->named_parameters(true)) &&
                      compare(a->named_buffers(true), b->named_buffers(true));
  if (differing) *differing = n;
  return shaped && n == 0;
}

// Asks for a copy and waits for it (the GUI thread only sets a flag; the copy comes queued).
Weights takeCopy(MainWindow& w) {
  QSignalSpy ready(w.runController(), &RunController::weightsReady);
  if (!w.runController()->requestWeights()) return nullptr;
  if (!ready.wait(60000)) return nullptr;
  Weights copy = weightsOf(ready, 0);
  if (copy && ready.at(0).at(1).toLongLong() != copy->step) return nullptr;
  return copy;
}

}  // namespace

class TestLiveWeights : public QObject {
  Q_OBJECT
  QString data_;

 private Q_SLOTS:
  void initTestCase() { data_ = makeDataset("live-weights-data"); }

  void copyIsTheModelAtItsStepAndStaysSo() {
    MainWindow w(scratch("live-weights-runs"));
    w.setConfirmClose(false);
    w.setBaseConfig(tinyConfig(data_));
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(!w.runController()->requestWeights());  // no run: nothing is asked
    QVERIFY(w.startRun());
    QVERIFY(waitForStep(w, 3));

    // A copy and a checkpoint after the same step: both requests are flags read between
    // steps, so they may fall on neighbouring steps; ask again until they meet.
    Weights copy;
    QString checkpoint;
    for (int attempt = 0; attempt < 30 && !copy; ++attempt) {
      QSignalSpy ready(w.runController(), &RunController::weightsReady);
      QSignalSpy saved(w.runController(), &RunController::checkpointSaved);
      QVERIFY(w.runController()->requestWeights());
      w.runController()->save();
      QVERIFY(ready.count() > 0 || ready.wait(60000));
      QVERIFY(saved.count() > 0 || saved.wait(60000));
      Weights c = weightsOf(ready, 0);
      QVERIFY(c && c->model);
      if (can::checkpoint_step(saved.at(0).at(0).toString().toStdString()) == c->step) {
        copy = c;
        checkpoint = saved.at(0).at(0).toString();
      }
    }
    QVERIFY2(copy, "no copy and checkpoint of the same step in 30 tries");
    QVERIFY(copy->step >= 3);
    QCOMPARE(copy->runDir, w.runDir());
    QVERIFY(!copy->model->is_training());
    for (const auto& p : copy->model->parameters()) QCOMPARE(p.device().type(), torch::kCPU);
    const can::CanModel saved = can::load_model(checkpoint.toStdString());
    QVERIFY2(sameTensors(copy->model, saved), qPrintable(checkpoint));

    // Training goes on: the model moves away from the copy, the copy stays the checkpoint.
    QVERIFY(waitForStep(w, copy->step + 5));
    const Weights later = takeCopy(w);
    QVERIFY(later);
    QVERIFY(later->step > copy->step);
    int differing = 0;
    QVERIFY(!sameTensors(later->model, copy->model, &differing));
    QVERIFY2(differing > 0, "training changed nothing between the two copies");
    QVERIFY2(sameTensors(copy->model, saved), "the copy changed as training went on");

    // While paused the copy comes too (the pause loop reads the flag), of the paused step.
    w.runController()->pause();
    QVERIFY(QTest::qWaitFor([&] { return w.state() == RunController::State::Paused; }, 60000));
    const qint64 pausedAt = w.worker()->lastStep();
    QTest::qWait(50);
    const Weights paused = takeCopy(w);
    QVERIFY(paused);
    QCOMPARE(paused->step, w.worker()->lastStep());
    QVERIFY(paused->step >= pausedAt);
    QTest::qWait(50);
    QCOMPARE(w.worker()->lastStep(), paused->step);  // still paused: the copy did not step it
    w.runController()->resume();

    w.runController()->stop();
    QVERIFY(finished.wait(60000));
    QVERIFY(!w.runController()->requestWeights());
    QVERIFY2(sameTensors(copy->model, saved), "the copy changed when the run ended");
  }

  void inspectorShowsTheLiveWeights() {
    MainWindow w(scratch("live-weights-inspector-runs"));
    w.setConfirmClose(false);
    w.setBaseConfig(tinyConfig(data_));
    InspectorView* view = w.showInspector(QString());
    QVERIFY(view);
    QPushButton* live = view->liveButton();
    QVERIFY(!live->isEnabled());  // no run trains
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QVERIFY(waitForStep(w, 3));
    QVERIFY(QTest::qWaitFor([&] { return live->isEnabled(); }, 60000));

    // Twice: the second press brings a newer copy and the same image and mask stay.
    QSignalSpy ready(w.runController(), &RunController::weightsReady);
    Weights copy;
    for (int press = 0; press < 2; ++press) {
      if (press == 1) {
        QVERIFY(waitForStep(w, copy->step + 3));
        view->setSigma(0.04);
        view->selectImage(5);
      }
      const int before = ready.count();
      QTest::mouseClick(live, Qt::LeftButton);
      QVERIFY(view->waitingForLiveWeights());
      QVERIFY(ready.count() > before || ready.wait(60000));
      copy = weightsOf(ready, ready.count() - 1);
      QVERIFY(copy);
      QVERIFY2(QTest::qWaitFor(
                   [&] {
                     return view->hasResult() && view->shownResult().liveWeights &&
                            view->shownResult().weightsStep == copy->step &&
                            view->shownResult().request == view->lastRequest();
                   },
                   60000),
               qPrintable(view->statusText()));
      QVERIFY(view->showsLiveWeights());
      QCOMPARE(view->weightsStep(), copy->step);
      QVERIFY2(view->statusText().startsWith(QString("Live weights of step %1.").arg(copy->step)),
               qPrintable(view->statusText()));
    }
    const InspectorRequest rq = view->shownResult().request;
    QCOMPARE(rq.index, qint64(5));
    QVERIFY(rq.sigma > 0);

    // The inspection on screen is core's on the copy (a deep copy of it here, so that this
    // thread runs no module the Inspector's thread runs).
    const can::RunConfig& config = copy->config;
    auto data = config.data;
    data.min_image_side = 0;
    auto ds = can::data::open_dataset(data, can::data::Split::Train);
    const auto mean = data.resolved_mean(1), stdv = data.resolved_std(1);
    can::analysis::InspectionRequest core;
    core.image = can::eval::eval_batch(*ds, rq.index, 1, 1, 16, mean, stdv)[0];
    core.mask.assign(rq.mask.begin(), rq.mask.end());
    core.sigma = rq.sigma;
    core.noise_seed = rq.noiseSeed;
    can::CanModel mine = can::copy_model(copy->model);
    const auto ins = can::analysis::inspect(mine, config.loss, core);
    QVERIFY(ins.loss_rec > 0 && ins.loss_denoise > 0);
    QCOMPARE(view->shownResult().lossRec, ins.loss_rec);
    QCOMPARE(view->shownResult().lossDenoise, ins.loss_denoise);

    w.runController()->stop();
    QVERIFY(finished.wait(60000));
    QVERIFY(QTest::qWaitFor([&] { return !live->isEnabled(); }, 10000));
  }
};

QTEST_MAIN(TestLiveWeights)
#include "tst_live_weights.moc"
