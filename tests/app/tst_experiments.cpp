// The studio's experiments views driven as a user would: the runs browser (list, filter by
// text and tag, notes saved in the run folder, delete refused for what is not a run), the
// compare window (the runs' curves and the settings that differ), the Sweep dialog (a bad
// grid refused naming the key before anything runs) and the evaluation window (a real
// evaluation of a tiny run in the background, recorded in eval.json, and its cancel).
#include <QtTest/QtTest>

#include <fstream>

#include <nlohmann/json.hpp>

#include "app/compare_view.h"
#include "app/eval_view.h"
#include "app/runs_browser.h"
#include "app/runs_table_model.h"
#include "app/sweep_dialog.h"
#include "core/eval/eval_report.h"
#include "core/experiments/run_notes.h"
#include "tests/app/studio_fixtures.h"
#include "widgets/compare_plot.h"
#include "widgets/confusion_matrix_view.h"

using namespace studio_test;

namespace {

void writeFile(const QString& path, const std::string& text) {
  std::ofstream f(path.toStdString(), std::ios::binary);
  f << text;
}

// A run folder as can-train leaves it: config.json, n metrics lines, a run_ended event.
QString fakeRun(const QString& root, const QString& name, double sigmaMax, int64_t batch, int n,
                const char* status = "finished") {
  const QString dir = QDir(root).filePath(name);
  QDir().mkpath(dir);
  can::RunConfig c;
  c.loss.sigma_max = sigmaMax;
  c.train.batch_size = batch;
  can::save_run_config_file(c, QDir(dir).filePath("config.json").toStdString());
  std::string metrics;
  for (int s = 1; s <= n; ++s)
    metrics += nlohmann::json{{"step", s},           {"epoch", s / 10.0},  {"loss", 2.0 - 0.01 * s},
                              {"loss_infonce", 1.0}, {"loss_rec", 0.5},    {"loss_denoise", 0.001 * sigmaMax},
                              {"lr", 1e-4},          {"img_per_s", 100.0}, {"grad_norm", 1.0}}
                   .dump() +
               "\n";
  writeFile(QDir(dir).filePath("metrics.jsonl"), metrics);
  writeFile(
      QDir(dir).filePath("events.jsonl"),
      nlohmann::json{{"type", "setting_changed"}, {"step", 3}, {"key", "loss.mask_ratio"}, {"from", 0.75}, {"to", 0.5}}
              .dump() +
          "\n" + nlohmann::json{{"type", "run_ended"}, {"step", n}, {"status", status}}.dump() + "\n");
  return dir;
}

}  // namespace

class TestExperiments : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void browserListsFiltersAndKeepsNotes() {
    const QString root = scratch("browser");
    const QString a = fakeRun(root, "run-a", 0.05, 64, 20);
    fakeRun(root, "run-b", 0.25, 64, 30, "stopped");
    can::runs::write_run_notes(a.toStdString(), {{"baseline"}, "first try"});
    QDir().mkpath(QDir(root).filePath("not-a-run"));
    RunsBrowser browser(root);
    browser.rescanNow();
    QCOMPARE(browser.model()->rowCount(), 2);
    QCOMPARE(browser.table()->model()->rowCount(), 2);
    browser.setFilterText("STOPPED");  // case-insensitive, on the status
    QCOMPARE(browser.table()->model()->rowCount(), 1);
    QCOMPARE(browser.table()->model()->index(0, RunsTableModel::kName).data().toString(), QString("run-b"));
    browser.setFilterText("");
    browser.setFilterTag("baseline");
    QCOMPARE(browser.table()->model()->rowCount(), 1);
    browser.setFilterTag("");

    // Notes: typed in the browser, saved trimmed and de-duplicated in the run's notes.json.
    browser.selectRuns({a});
    QCOMPARE(browser.selectedRuns(), QStringList{a});
    QString error;
    QVERIFY2(browser.saveNotes(" baseline, sigma ,baseline,", "two\nlines", &error), qPrintable(error));
    const auto notes = can::runs::read_run_notes(a.toStdString());
    QCOMPARE(notes.tags, (std::vector<std::string>{"baseline", "sigma"}));
    QCOMPARE(notes.note, std::string("two\nlines"));
    QCOMPARE(browser.model()->run(browser.model()->rowOfPath(a))->tags.size(), size_t(2));

    // Delete: a folder that is not a run is refused, named; a run goes.
    QVERIFY(!browser.deleteRun(QDir(root).filePath("not-a-run"), false, &error));
    QVERIFY2(error.contains("not-a-run"), qPrintable(error));
    QVERIFY(QDir(QDir(root).filePath("not-a-run")).exists());
    QVERIFY(browser.deleteRun(a, false, &error));
    QVERIFY(!QDir(a).exists());
    QCOMPARE(browser.model()->rowCount(), 1);
  }

  void compareShowsCurvesAndTheSettingsThatDiffer() {
    const QString root = scratch("compare");
    const QStringList runs = {fakeRun(root, "s005", 0.05, 64, 20), fakeRun(root, "s025", 0.25, 64, 25),
                              fakeRun(root, "s100", 1.0, 128, 30)};
    CompareView view;
    QVERIFY(view.setRuns(runs + QStringList{QDir(root).filePath("missing")}));
    QCOMPARE(view.plot()->runCount(), 3);
    QVERIFY2(view.messageText().contains("missing"), qPrintable(view.messageText()));
    QCOMPARE(view.plot()->plotted(2, 0).size(), 30);
    QCOMPARE(view.plot()->markerLineCount(), 3 * 4);  // one change per run, in each of its four rects
    // Images seen: step x train.batch_size from each run's config.
    view.plot()->setAlign(ComparePlot::Align::Images);
    QCOMPARE(view.plot()->plotted(2, 0)[9].x(), 10.0 * 128);
    QCOMPARE(view.plot()->plotted(0, 0)[9].x(), 10.0 * 64);
    // The diff: exactly the two keys that differ, each run's value in its column.
    QTableWidget* diff = view.diffTable();
    QCOMPARE(diff->rowCount(), 2);
    QCOMPARE(diff->verticalHeaderItem(0)->text(), QString("loss.sigma_max"));
    QCOMPARE(diff->verticalHeaderItem(1)->text(), QString("train.batch_size"));
    QCOMPARE(diff->item(0, 1)->text().toDouble(), 0.25);
    QCOMPARE(diff->item(1, 2)->text(), QString("128"));
  }

  void sweepDialogRefusesABadGridByName() {
    const QString root = scratch("sweep");
    SweepDialog dialog(root);
    dialog.setBase(can::RunConfig{});
    dialog.setSeeds("0,1");
    QString problem;
    QStringList args = dialog.sweepArguments(&problem);  // the default axis: sigma_max x 3
    QVERIFY2(!args.isEmpty(), qPrintable(problem));
    QCOMPARE(dialog.pointCount(), 6);
    QVERIFY(args.contains("loss.sigma_max=0.05,0.25,1.0"));
    QCOMPARE(args[args.indexOf("--seeds") + 1], QString("0,1"));
    dialog.addAxis("loss.sigma_mx", "0.1");
    QVERIFY(dialog.sweepArguments(&problem).isEmpty());
    QVERIFY2(problem.contains("loss.sigma_mx") && problem.contains("loss.sigma_max"), qPrintable(problem));
    QVERIFY(!dialog.start());
    QVERIFY(!QFileInfo::exists(QDir(dialog.outFolder()).filePath("base.json")));  // nothing ran
    QVERIFY(dialog.problemText().contains("loss.sigma_mx"));
  }

  // The dialog's grid runs as can-sweep in the background: both points train, are
  // evaluated, show in the runs browser as finished with their scores, and the dialog
  // shows the summary table.
  void sweepDialogRunsTheGrid() {
    const QString exe = QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-sweep");
    if (!QFileInfo::exists(exe)) QSKIP("can-sweep not built");
    const QString data = makeDataset("sweep-data");
    can_test::write_idx_split(data.toStdString(), "t10k", 24, 16, 16, false);
    const QString runs = scratch("sweep-runs");
    can::RunConfig base = tinyConfig(data);
    base.set_key("train.steps", "4");
    SweepDialog dialog(runs);
    dialog.setSweepTool(exe);
    dialog.setBase(base);
    dialog.setSeeds("");
    dialog.setOutFolder(QDir(runs).filePath("sweep-test"));
    QVERIFY(dialog.findChild<QCheckBox*>() != nullptr);
    for (QCheckBox* box : dialog.findChildren<QCheckBox*>()) box->setChecked(box->text() == "kNN");
    QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
    QVERIFY2(dialog.start(), qPrintable(dialog.problemText()));
    QCOMPARE(dialog.pointCount(), 3);  // the default axis: sigma_max 0.05, 0.25, 1.0
    QVERIFY(finished.wait(180000));
    QCOMPARE(finished.last().at(1).toInt(), 0);
    QVERIFY2(dialog.summaryText().contains("0.25"), qPrintable(dialog.summaryText()));
    RunsBrowser browser(runs);
    browser.rescanNow();
    QCOMPARE(browser.model()->rowCount(), 3);
    for (const auto& r : browser.model()->runs()) {
      QVERIFY2(r.state == can::runs::RunState::kFinished, r.name.c_str());
      QCOMPARE(r.steps_done, int64_t(4));
      QVERIFY2(r.knn_top1.has_value() && !r.linear_top1.has_value(), r.name.c_str());
      QVERIFY2(QString::fromStdString(r.name).startsWith("sweep-test/loss.sigma_max="), r.name.c_str());
    }
  }

  void evaluationRunsInTheBackgroundAndIsRecorded() {
    const QString data = makeDataset("eval-data");
    can_test::write_idx_split(data.toStdString(), "t10k", 40, 16, 16, false);
    const QString runs = scratch("eval-runs");
    MainWindow w(runs);
    w.setConfirmClose(false);
    w.setBaseConfig(tinyConfig(data));
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(3));
    QVERIFY(finished.wait(60000));
    const QString run = w.runDir();

    // Cancel at once: nothing is recorded.
    EvalView* view = w.showEvaluation(run);
    QSignalSpy done(view, &EvalView::finished);
    QVERIFY(view->start());
    view->cancel();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.last().at(1).toBool(), true);
    QVERIFY(!QFileInfo::exists(QDir(run).filePath("eval.json")));

    QVERIFY(view->start());
    QVERIFY(done.wait(120000));
    QVERIFY2(done.last().at(0).toString().isEmpty(), qPrintable(done.last().at(0).toString()));
    const auto reports = can::eval::read_eval_json(can::eval::eval_json_path(run.toStdString()));
    QCOMPARE(reports.size(), size_t(1));
    const auto& r = reports.front();
    QCOMPARE(r.step, qint64(3));
    QCOMPARE(r.test_images, qint64(40));
    QVERIFY(r.knn && r.linear);
    // The view shows what was recorded: the confusion matrix's rows are its rows.
    ConfusionMatrixView* cm = view->confusionView();
    QCOMPARE(cm->classCount(), int(r.num_classes));
    for (int row = 0; row < cm->classCount(); ++row) {
      int64_t n = 0;
      for (int64_t v : r.knn->confusion[row]) n += v;
      if (n > 0) QCOMPARE(cm->rowShare(row, row), double(r.knn->confusion[row][row]) / double(n));
    }
    // The runs browser reads the same file.
    w.runsBrowser()->rescanNow();
    const auto* listed = w.runsBrowser()->model()->run(w.runsBrowser()->model()->rowOfPath(run));
    QVERIFY(listed && listed->knn_top1 && listed->linear_top1);
    QCOMPARE(*listed->knn_top1, r.knn->top1);
    QCOMPARE(*listed->linear_top1, r.linear->top1);
  }
};

QTEST_MAIN(TestExperiments)
#include "tst_experiments.moc"
