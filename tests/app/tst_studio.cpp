// The studio driven like a user would: the real toolbar buttons, a tiny model on a small
// generated IDX dataset, the training thread behind them. Checks that pause, resume and
// stop act within a step, that closing mid-run saves a checkpoint that resumes, that bad
// input shows a message and leaves the window usable, that the event loop stays
// responsive, and that the language switch and the .ts files are complete.

#include "app/config_bridge.h"
#include "app/main_window.h"
#include "app/run_controller.h"
#include "app/training_worker.h"
#include "core/config/settings_schema.h"
#include "core/experiments/run_lock.h"
#include "core/experiments/run_scan.h"
#include "core/train/checkpoint.h"
#include "core/train/observer.h"
#include "tests/app/studio_fixtures.h"
#include "tests/core/data_fixtures.h"
#include "widgets/curves_panel.h"
#include "widgets/image_grid.h"
#include "widgets/run_setup_panel.h"

#include <QtTest/QtTest>
#include <QtWidgets>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <filesystem>


using namespace studio_test;

class TestStudio : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    // Settings of the tests' own, starting empty: no remembered language or layout.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("CAN Studio tests");
    QCoreApplication::setApplicationName("tst_studio");
    QSettings().clear();
  }

  void buttonsStartPauseResumeStop() {
    const QString runs = scratch("buttons");
    MainWindow w(runs);
    w.setBaseConfig(tinyConfig(makeDataset("buttons_data")));
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    click(w, "start");
    QTRY_VERIFY_WITH_TIMEOUT(w.state() == MainWindow::State::Running, 30000);
    QVERIFY(waitForStep(w, 3));

    click(w, "pause");
    QCOMPARE(w.state(), MainWindow::State::Paused);
    const qint64 atPause = w.worker()->lastStep();
    QTest::qWait(400);
    const qint64 paused = w.worker()->lastStep();
    QVERIFY2(paused <= atPause + 1, qPrintable(QString("%1 -> %2").arg(atPause).arg(paused)));
    QTest::qWait(300);
    // Nothing moves while paused but the step in flight at the click (which on a busy machine
    // may take longer than the first wait).
    QVERIFY2(w.worker()->lastStep() <= atPause + 1,
             qPrintable(QString("%1 -> %2").arg(atPause).arg(w.worker()->lastStep())));

    click(w, "resume");
    QCOMPARE(w.state(), MainWindow::State::Running);
    QVERIFY(waitForStep(w, w.worker()->lastStep() + 3));

    click(w, "stop");
    // Read after the click: the trainer may have finished another step between any earlier
    // read and the click (seen on a busy machine: "stop at 13, ended at 15").
    const qint64 atStop = w.worker()->lastStep();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished[0][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Stopped);
    const qint64 stoppedAt = finished[0][1].toLongLong();
    QVERIFY2(stoppedAt <= atStop + 1, qPrintable(QString("stop at %1, ended at %2").arg(atStop).arg(stoppedAt)));
    QCOMPARE(w.state(), MainWindow::State::Idle);
    QVERIFY(w.buttonFor("start")->isEnabled());
    // The stop saved the state it ended at, and the curves hold every step.
    QCOMPARE(QFileInfo(w.lastCheckpoint()).fileName(), QString("step_%1").arg(stoppedAt, 6, 10, QChar('0')));
    QTRY_COMPARE(w.curvesPanel()->pointCount(), int(stoppedAt));
    QVERIFY(w.panelsFilled());
  }

  void closingDuringTrainingSavesACheckpointThatResumes() {
    const QString runs = scratch("close");
    const QString data = makeDataset("close_data");
    QString runDir;
    qint64 savedStep = 0;
    {
      MainWindow w(runs);
      w.setBaseConfig(tinyConfig(data));
      w.setConfirmClose(false);
      w.show();
      QSignalSpy finished(&w, &MainWindow::runFinished);
      QVERIFY(w.startRun());
      QVERIFY(waitForStep(w, 4));
      QVERIFY(!w.close());  // refused for now: it stops, saves, then closes itself
      QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
      QTRY_VERIFY(!w.isVisible());
      savedStep = finished[0][1].toLongLong();
      runDir = w.runDir();
    }
    const std::string latest = can::resolve_checkpoint(runDir.toStdString());
    QCOMPARE(QFileInfo(QString::fromStdString(latest)).fileName(), QString("step_%1").arg(savedStep, 6, 10, QChar('0')));

    // A new window opens the run and continues it; its curves start with the old steps.
    MainWindow again(runs);
    again.show();
    QVERIFY(again.openCheckpoint(runDir));
    QCOMPARE(again.curvesPanel()->pointCount(), int(savedStep));  // inspecting shows the run so far
    QSignalSpy finished(&again, &MainWindow::runFinished);
    QVERIFY(again.startRun(/*stopAfterSteps=*/3));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished[0][1].toLongLong(), savedStep + 3);
    QCOMPARE(again.runDir(), QDir(runDir).absolutePath());
    QTRY_COMPARE(again.curvesPanel()->pointCount(), int(savedStep + 3));
  }

  // The step of an opened checkpoint is the one it holds (its state.json), not a number
  // read from its folder's name: a checkpoint folder renamed by hand opens with the curves
  // up to its step, and the run's history (metrics.jsonl, events.jsonl) loads in one place.
  void openedCheckpointStepComesFromTheCheckpoint() {
    MainWindow w(scratch("renamed"));
    w.setBaseConfig(tinyConfig(makeDataset("renamed_data")));
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(/*stopAfterSteps=*/5));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const qint64 savedStep = finished[0][1].toLongLong();
    QVERIFY(savedStep >= 5);
    const QString renamed = w.runDir() + "/checkpoints/best";
    QVERIFY(QDir().rename(w.lastCheckpoint(), renamed));
    QCOMPARE(checkpointStep(renamed), savedStep);

    MainWindow again(scratch("renamed_reopen"));
    QVERIFY(again.openCheckpoint(renamed));
    QCOMPARE(again.currentStep(), savedStep);
    QCOMPARE(QFileInfo(again.lastCheckpoint()).canonicalFilePath(), QFileInfo(renamed).canonicalFilePath());
    QCOMPARE(again.curvesPanel()->pointCount(), int(savedStep));
    const RunHistory upTo3 = loadRunHistory(w.runDir(), 3);
    QCOMPARE(upTo3.points.size(), 3);
    QCOMPARE(upTo3.points.back().step, qint64(3));
    QVERIFY(loadRunHistory(scratch("renamed_empty"), -1).points.isEmpty());  // no files: no history
  }

  // A folder with unusable files among good ones trains; each bad file is named once in the
  // Log, counted in the status bar, and listed in the run folder's skipped_files.txt, and
  // the three agree with the count in metrics.jsonl.
  void unusableFilesAreCountedAndListed() {
    const QString data = scratch("skip_data");
    QRandomGenerator rng(7);
    for (int i = 0; i < 24; ++i) {
      QImage img(16, 16, QImage::Format_Grayscale8);
      for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 16; ++x) img.setPixel(x, y, qRgb(0, 0, 0) | (rng.bounded(256) * 0x010101));
      QVERIFY(img.save(QString("%1/good%2.png").arg(data).arg(i)));
    }
    QFile(data + "/empty.png").open(QIODevice::WriteOnly);
    QFile text(data + "/text.png");
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("not an image at all, just text named .png\n");
    text.close();
    QFile good(data + "/good0.png"), cut(data + "/cut.png");
    QVERIFY(good.open(QIODevice::ReadOnly) && cut.open(QIODevice::WriteOnly));
    cut.write(good.read(40));  // the signature and part of the header
    cut.close();

    MainWindow w(scratch("skip_runs"));
    can::RunConfig c = tinyConfig(data);
    c.set_key("data.dataset", "folder");
    w.setBaseConfig(c);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(/*stopAfterSteps=*/9));  // 3 epochs of 27 files at batch 8
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);

    auto* label = w.findChild<QLabel*>("skippedLabel");
    QVERIFY(label && label->isVisibleTo(&w));
    QFile list(w.runDir() + "/skipped_files.txt");
    QVERIFY(list.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(list.readAll()).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(rows.size() >= 1 && rows.size() <= 3, qPrintable(rows.join(" | ")));
    for (const QString& row : rows)
      QVERIFY2(row.contains("/empty.png\t") || row.contains("/text.png\t") || row.contains("/cut.png\t"), qPrintable(row));
    QVERIFY2(label->text().startsWith(QString::number(rows.size()) + " "), qPrintable(label->text()));
    QString logText;
    for (auto* edit : w.findChildren<QPlainTextEdit*>()) logText += edit->toPlainText();
    QCOMPARE(logText.count("Skipped unusable file "), rows.size());
    QFile metrics(w.runDir() + "/metrics.jsonl");
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metrics.readAll().trimmed().split('\n');
    QCOMPARE(QJsonDocument::fromJson(lines.back()).object().value("skipped_files").toInt(), int(rows.size()));
  }

  void badDatasetPathShowsTheErrorAndTheWindowStaysUsable() {
    MainWindow w(scratch("bad_path"));
    can::RunConfig c = tinyConfig(makeDataset("bad_path_data"));
    c.data.path = "/nonexistent/fashion";
    w.setBaseConfig(c);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    click(w, "start");
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished[0][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Failed);
    QVERIFY2(w.errorText().contains("/nonexistent/fashion"), qPrintable(w.errorText()));
    QCOMPARE(w.state(), MainWindow::State::Idle);

    // Fix the path in the field, start again: it trains.
    auto* path = qobject_cast<QLineEdit*>(w.setupPanel()->field("data.path"));
    path->clear();
    QTest::keyClicks(path, QString::fromStdString(tinyConfig(makeDataset("bad_path_fixed")).data.path));
    QVERIFY(w.startRun(2));
    QVERIFY(w.errorText().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
    QCOMPARE(finished[1][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Stopped);
  }

  void failedStartLeavesNothingBehind() {
    const QString runs = scratch("failed_start");
    MainWindow w(runs);
    const can::RunConfig good = tinyConfig(makeDataset("failed_start_data"));
    w.setBaseConfig(good);
    w.show();
    QCOMPARE(w.windowTitle(), QString("New run — CAN Studio"));
    QSignalSpy finished(&w, &MainWindow::runFinished);
    // The title as the run enters Running (a 3-step run can end between two polls).
    QString titleWhileRunning;
    bool lockedWhileRunning = false;  // RUN/run.lock, for the runs browser
    connect(&w, &MainWindow::stateChanged, this, [&](MainWindow::State state) {
      if (state == MainWindow::State::Running && titleWhileRunning.isEmpty()) {
        titleWhileRunning = w.windowTitle();
        lockedWhileRunning = can::runs::run_is_locked(w.runDir().toStdString());
      }
    });
    QVERIFY(w.startRun(3));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(titleWhileRunning, QFileInfo(w.runDir()).fileName() + " — CAN Studio");
    QVERIFY(lockedWhileRunning);
    // Stopped after 3 steps: the lock gone, the scanner reads the run (total from run_started).
    const can::runs::RunSummary scanned = can::runs::scan_run(w.runDir().toStdString());
    QVERIFY(!QFileInfo::exists(w.runDir() + "/run.lock"));
    QCOMPARE(scanned.state, can::runs::RunState::kStopped);
    QCOMPARE(scanned.steps_done, int64_t{3});
    QVERIFY(scanned.total_steps > 3);
    QTRY_VERIFY_WITH_TIMEOUT(w.panelsFilled(), 10000);
    auto* checkpointLabel = w.findChild<QLabel*>("checkpointLabel");
    QVERIFY(checkpointLabel && checkpointLabel->text().contains(":"));  // "checkpoint HH:mm:ss"

    can::RunConfig bad = good;
    bad.data.path = "/nonexistent/fashion";
    w.setBaseConfig(bad);
    QVERIFY(w.startRun(3));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
    QCOMPARE(finished[1][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Failed);
    // No empty run folder, no picture or checkpoint time of the run before.
    QCOMPARE(QDir(runs).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
    for (ImageGrid* grid : w.findChildren<ImageGrid*>())
      QVERIFY2(grid->rowCount() == 0, qPrintable(grid->parentWidget()->parentWidget()->parentWidget()->objectName()));
    QCOMPARE(checkpointLabel->text(), QString("no checkpoint yet"));
    QCOMPARE(w.curvesPanel()->pointCount(), 0);
  }

  void closedDocksCostNothingAndCatchUpWhenOpened() {
    MainWindow w(scratch("hidden_docks"));
    w.setBaseConfig(tinyConfig(makeDataset("hidden_docks_data")));
    w.show();
    auto* viewsDock = w.findChild<QDockWidget*>("viewsDock");
    viewsDock->close();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(3));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.panelsFilled(), 10000);
    auto* viewsGrid = viewsDock->findChild<ImageGrid*>();
    auto* masksGrid = w.findChild<QDockWidget*>("masksDock")->findChild<ImageGrid*>();
    QVERIFY(masksGrid->rowCount() > 0);
    QCOMPARE(viewsGrid->rowCount(), 0);  // not drawn while closed
    viewsDock->show();
    QTRY_VERIFY(viewsGrid->rowCount() > 0);  // the latest snapshot, at once
  }

  void openedRunNamesItselfInTheTitle() {
    MainWindow w(scratch("title"));
    w.setBaseConfig(tinyConfig(makeDataset("title_data")));
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun(2));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    const QString dir = w.runDir();
    MainWindow again(scratch("title_again"));
    QVERIFY(again.openCheckpoint(dir));
    QCOMPARE(again.windowTitle(), QFileInfo(dir).fileName() + " at step 2 (Start continues it) — CAN Studio");
    QVERIFY(again.statusBar()->currentMessage().startsWith("Opened "));  // where the eye is
  }

  void impossibleValuesAreRefusedAtTheField() {
    MainWindow w(scratch("fields"));
    w.setBaseConfig(tinyConfig(makeDataset("fields_data")));
    w.show();
    auto* tau = qobject_cast<QLineEdit*>(w.setupPanel()->field("loss.tau"));
    tau->selectAll();
    QTest::keyClicks(tau, "0");
    QVERIFY2(w.setupPanel()->fieldError("loss.tau").contains("> 0"), qPrintable(w.setupPanel()->fieldError("loss.tau")));
    // The value as typed ("got 0"), not std::to_string's "got 0.000000".
    QVERIFY2(w.setupPanel()->fieldError("loss.tau").endsWith("got 0"),
             qPrintable(w.setupPanel()->fieldError("loss.tau")));
    auto* error = w.setupPanel()->findChild<QLabel*>("loss.tau.error");
    QVERIFY(error && !error->isHidden());
    auto* patch = qobject_cast<QLineEdit*>(w.setupPanel()->field("model.patch_size"));
    patch->selectAll();
    QTest::keyClicks(patch, "5");  // does not divide 16
    QVERIFY(!w.setupPanel()->fieldError("model.patch_size").isEmpty());
    QVERIFY(!w.startRun());
    // The banner names the first bad field in the form's words and focuses it.
    QVERIFY2(w.errorText().contains("Patch size: "), qPrintable(w.errorText()));
    QCOMPARE(w.focusWidget(), patch);
    QCOMPARE(w.state(), MainWindow::State::Idle);
    // Fixed values clear the banner at once.
    patch->selectAll();
    QTest::keyClicks(patch, "4");
    QVERIFY(!w.errorText().isEmpty());  // tau is still 0
    tau->selectAll();
    QTest::keyClicks(tau, "0.1");
    QVERIFY2(w.errorText().isEmpty(), qPrintable(w.errorText()));
  }

  // The setup form is built from the settings schema: each field's tooltip gives the
  // schema's help and range, and the mode sets every field the schema gives a value in it,
  // the augmentation included, so the run a user starts is the baseline as its paper runs it.
  void formComesFromTheSchema() {
    MainWindow w(scratch("schema_form"));
    const can::RunConfig base = tinyConfig(makeDataset("schema_form_data"));
    w.setBaseConfig(base);
    for (const SetupField& f : setupFields()) {
      const QString tip = w.setupPanel()->field(f.key)->toolTip();
      const can::SettingSpec& spec = *can::find_setting(f.key.toStdString());
      QVERIFY2(tip.contains(QString::fromStdString(spec.help)), qPrintable(f.key + ": " + tip));
      if (f.kind == SetupField::Kind::kLine && !spec.range_text().empty())
        QVERIFY2(tip.contains(QString::fromStdString(spec.range_text())), qPrintable(f.key + ": " + tip));
      QVERIFY2(tip.contains(f.key), qPrintable(tip));
    }
    auto* mode = qobject_cast<QComboBox*>(w.setupPanel()->field("objectives.mode"));
    mode->setCurrentIndex(mode->findData("mae"));
    const auto values = w.setupPanel()->values();
    QCOMPARE(values["loss.mask_ratio"], QString("0.75"));
    QCOMPARE(values["data.augment.preset"], QString("mae"));
    QCOMPARE(values["objectives.contrastive"], QString("false"));
    const can::RunConfig mae = configFromPanel(values, base);
    QCOMPARE(mae.data.augment.crop_scale_min, 0.2);  // MAE: RandomResizedCrop(0.2, 1)
    QCOMPARE(mae.data.augment.jitter_prob, 0.0);
    QCOMPARE(mae.loss.mask_ratio, 0.75);
    mode->setCurrentIndex(mode->findData("can"));
    QCOMPARE(w.setupPanel()->values()["data.augment.preset"], QString("simclr"));
    QCOMPARE(w.setupPanel()->values()["loss.mask_ratio"], QString("0.5"));
  }

  void nanLossStopsWithAMessage() {
    MainWindow w(scratch("nan"));
    w.setBaseConfig(tinyConfig(makeDataset("nan_data")));
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QVERIFY(waitForStep(w, 2));
    w.worker()->requestNanForTest();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished[0][0].value<TrainingWorker::Outcome>(), TrainingWorker::Outcome::Failed);
    QVERIFY2(w.errorText().contains("NaN") || w.errorText().contains("nan"), qPrintable(w.errorText()));
    QVERIFY(w.buttonFor("start")->isEnabled());
  }

  void liveChangeMarksTheCurves() {
    MainWindow w(scratch("live"));
    w.setBaseConfig(tinyConfig(makeDataset("live_data")));
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QVERIFY(waitForStep(w, 2));
    auto* ratio = qobject_cast<QLineEdit*>(w.setupPanel()->field("loss.mask_ratio"));
    QVERIFY(ratio->isEnabled());  // live settings stay editable while training
    QSignalSpy sent(w.setupPanel(), &RunSetupPanel::liveChangeRequested);
    ratio->selectAll();
    QTest::keyClicks(ratio, "0.25");
    // Typing sends nothing (not 0.2 on the way to 0.25): Enter applies the finished value.
    QCOMPARE(sent.size(), 0);
    QTest::keyClick(ratio, Qt::Key_Return);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0][1].toString(), QString("0.25"));
    QTest::keyClick(ratio, Qt::Key_Return);  // the same value again is not a change
    QCOMPARE(sent.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(w.curvesPanel()->markerCount(), 1, 30000);
    w.worker()->requestStop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);

    // The change is in the run's events.jsonl, typed, and a reopened run shows its marker.
    QFile events(w.runDir() + "/events.jsonl");
    QVERIFY(events.open(QIODevice::ReadOnly));
    QList<QJsonObject> changes;
    for (const QByteArray& line : events.readAll().split('\n')) {
      const QJsonObject o = QJsonDocument::fromJson(line).object();
      if (o.value("type").toString() == "setting_changed") changes.append(o);
    }
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes[0].value("key").toString(), QString("loss.mask_ratio"));
    QCOMPARE(changes[0].value("from").toDouble(), 0.5);
    QCOMPARE(changes[0].value("to").toDouble(), 0.25);
    MainWindow again(scratch("live_reopen"));
    QVERIFY(again.openCheckpoint(w.runDir()));
    QCOMPARE(again.curvesPanel()->markerCount(), 1);
  }

  void markerLabelsUseTheFormsSymbols() {
    auto label = [](const char* key, double from, double to) {
      can::SettingChange c;
      c.step = 3;
      c.key = key;
      c.from = from;
      c.to = to;
      return settingChangeLabel(c);
    };
    QCOMPARE(label("loss.sigma_max", 0.05, 0.2), QString("σ_max 0.05 → 0.2"));
    QCOMPARE(label("loss.mask_ratio", 0.5, 0.75), QString("m 0.5 → 0.75"));
    QCOMPARE(label("loss.w_denoise", 0.3, 1.0), QString("λ_N 0.3 → 1"));
    QCOMPARE(label("train.some_new_key", 1.0, 2.0), QString("train.some_new_key 1 → 2"));
  }

  void eventLoopStaysResponsiveWhileTraining() {
    MainWindow w(scratch("latency"));
    can::RunConfig c = tinyConfig(makeDataset("latency_data"));
    c.train.threads = 0;  // all cores: the GUI thread competes with the trainer
    w.setBaseConfig(c);
    w.show();
    QSignalSpy finished(&w, &MainWindow::runFinished);
    QVERIFY(w.startRun());
    QVERIFY(waitForStep(w, 1));
    QElapsedTimer clock, sinceTick;
    double maxGap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, [&] {
      if (sinceTick.isValid()) maxGap = std::max(maxGap, sinceTick.nsecsElapsed() / 1e6);
      sinceTick.restart();
      ++ticks;
    });
    ticker.start();
    clock.start();
    while (clock.elapsed() < 3000) QTest::qWait(20);
    ticker.stop();
    const qint64 steps = w.worker()->lastStep();
    w.worker()->requestStop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    qInfo("event loop while training: longest gap %.1f ms over %d ticks of 10 ms, %lld steps", maxGap, ticks,
          static_cast<long long>(steps));
    QVERIFY(steps > 1);
    QVERIFY2(maxGap < 1000.0, qPrintable(QString("GUI thread blocked for %1 ms").arg(maxGap)));
  }

  void languageSwitchChangesVisibleTexts() {
    MainWindow w(scratch("language"));
    w.show();
    auto* dock = w.findChild<QDockWidget*>("setupDock");
    QCOMPARE(dock->windowTitle(), QString("Run setup"));
    const QString startEn = w.action("start")->text();
    // Qt posts LanguageChange to the windows: the texts change once the event loop runs.
    w.switchLanguage("de");
    QVERIFY2(w.errorText().isEmpty(), qPrintable(w.errorText()));
    QTRY_VERIFY(dock->windowTitle() != "Run setup");
    QCOMPARE(dock->windowTitle(), QCoreApplication::translate("MainWindow", "Run setup"));
    const QString batchDe = QCoreApplication::translate("RunSetupPanel", "Batch size");
    QVERIFY(batchDe != "Batch size");
    const auto labels = w.setupPanel()->findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [&](QLabel* l) { return l->text() == batchDe; }));
    w.switchLanguage("zh_CN");
    QTRY_VERIFY(dock->windowTitle().contains(QChar(0x8fd0)));  // 运 of 运行设置
    const QString zh = dock->windowTitle();
    QVERIFY(std::any_of(zh.begin(), zh.end(), [](QChar ch) { return ch.unicode() >= 0x4e00 && ch.unicode() <= 0x9fff; }));
    w.switchLanguage("en");
    QTRY_COMPARE(dock->windowTitle(), QString("Run setup"));
    QCOMPARE(w.action("start")->text(), startEn);
    // English spells its plurals through can_studio_en.ts, never "run(s)".
    QCOMPARE(QCoreApplication::translate("RunsBrowser", "%n run(s)", nullptr, 1), QString("1 run"));
    QCOMPARE(QCoreApplication::translate("RunsBrowser", "%n run(s)", nullptr, 3), QString("3 runs"));
    QCOMPARE(QCoreApplication::translate("DatasetBrowser", "%n image(s) shown", nullptr, 1), QString("1 image shown"));
  }

  // The English file holds exactly the plural messages of the other languages, all filled.
  void englishHasEveryPluralForm() {
    const QString dir = qEnvironmentVariable("CAN_SOURCE_DIR") + "/translations";
    auto plurals = [&](const QString& name) {
      QFile f(dir + "/" + name);
      QMap<QString, QStringList> found;  // context/source -> forms
      if (!f.open(QIODevice::ReadOnly)) return found;
      QXmlStreamReader xml(&f);
      QString context, source;
      bool numerus = false;
      while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == u"name") context = xml.readElementText();
        if (xml.name() == u"message") numerus = xml.attributes().value("numerus") == u"yes";
        if (xml.name() == u"source") source = xml.readElementText();
        if (xml.name() == u"numerusform" && numerus) found[context + "/" + source] << xml.readElementText();
      }
      return found;
    };
    const auto en = plurals("can_studio_en.ts"), de = plurals("can_studio_de.ts");
    QVERIFY(!de.isEmpty());
    QCOMPARE(en.keys(), de.keys());
    for (auto it = en.begin(); it != en.end(); ++it) {
      QCOMPARE(it.value().size(), 2);  // English: one, other
      for (const QString& form : it.value()) QVERIFY2(!form.isEmpty() && !form.contains("(s)"), qPrintable(it.key()));
    }
  }

  void everyTranslationIsFinished() {
    const QString dir = qEnvironmentVariable("CAN_SOURCE_DIR") + "/translations";
    for (const QString& name : {"can_studio_de.ts", "can_studio_zh_CN.ts"}) {
      QFile f(dir + "/" + name);
      QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
      QXmlStreamReader xml(&f);
      int messages = 0;
      QString source;
      while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        if (xml.name() == u"source") source = xml.readElementText();
        if (xml.name() == u"translation") {
          ++messages;
          const QString type = xml.attributes().value("type").toString();
          const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
          QVERIFY2(type.isEmpty(), qPrintable(name + ": " + type + ": " + source));
          QVERIFY2(!text.trimmed().isEmpty(), qPrintable(name + ": empty: " + source));
        }
      }
      QVERIFY(!xml.hasError());
      QVERIFY2(messages > 100, qPrintable(QString("%1: only %2 messages").arg(name).arg(messages)));
    }
  }
};

QTEST_MAIN(TestStudio)
#include "tst_studio.moc"
