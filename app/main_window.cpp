#include "app/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QStatusBar>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTime>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

#include "app/config_bridge.h"
#include "app/file_actions.h"
#include "app/language.h"
#include "app/snapshot_history.h"
#include "widgets/curves_panel.h"
#include "widgets/denoising_panel.h"
#include "widgets/masks_panel.h"
#include "widgets/noise_panel.h"
#include "widgets/reconstruction_panel.h"
#include "widgets/run_setup_panel.h"
#include "widgets/views_panel.h"

// The icons' .qrc is compiled into the static can_studio_lib: the linker keeps its
// registration only when something calls it (Q_INIT_RESOURCE must be outside a namespace).
static void initStudioResources() { Q_INIT_RESOURCE(can_studio); }

namespace {

QString formatDuration(double seconds) {
  if (seconds < 0) return QStringLiteral("–");
  const qint64 s = static_cast<qint64>(seconds);
  return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'))
                   : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

}  // namespace

MainWindow::MainWindow(const QString& runsRoot, QWidget* parent) : QMainWindow(parent), runsRoot_(runsRoot) {
  initStudioResources();
  setObjectName("MainWindow");
  setWindowIcon(QIcon(":/icons/can-studio.svg"));
  language_ = new Language(this);
  // The studio's defaults on top of the engine's: a kNN point every 100 steps on small banks,
  // so the representation curve moves during an interactive session.
  base_.train.knn_every = 100;
  base_.train.knn_train_images = 2000;
  base_.train.knn_test_images = 500;

  run_ = new RunController(runsRoot, this);
  files_ = new FileActions(this, run_, [this] { return configFromPanel(setup_->values(), base_); });
  buildActions();
  buildDocks();
  buildExperiments();
  buildMenus();
  buildStatusBar();
  connectRun();
  setup_->setValues(panelValues(base_));
  setup_->setValidator([this](const QString& key, const QMap<QString, QString>& values) {
    return fieldProblem(key, values, base_);
  });
  setup_->setCudaAvailable(torch::cuda::is_available());
  connect(setup_, &RunSetupPanel::liveChangeRequested, this, [this](const QString& key, const QString& value) {
    if (run_) run_->applyLiveChange(key, value, setup_->values());
  });
  connect(setup_, &RunSetupPanel::valuesChanged, this, [this] {
    if (setupErrorShown_ && setup_->isValid()) {
      errorBanner_->hide();
      setupErrorShown_ = false;
    }
  });
  connect(setup_, &RunSetupPanel::loadPresetRequested, files_, &FileActions::loadPreset);
  connect(setup_, &RunSetupPanel::savePresetRequested, files_, &FileActions::savePreset);

  resize(1920, 1200);
  QSettings settings;
  const QByteArray defaultState = saveState();
  setProperty("defaultState", defaultState);
  restoreGeometry(settings.value("window/geometry").toByteArray());
  defaultLayoutPending_ = !restoreState(settings.value("window/state").toByteArray());
  curves_->restoreViewSettings(settings);
  const QString lang = settings.value("language", "en").toString();
  // English too: its plural forms (Language::switchTo). An unknown code falls back to English.
  if (!language_->switchTo(lang)) language_->switchTo("en");
  retranslate();
  onStateChanged(run_->state());
}

// The run (and its thread) ends before the panels its signals draw on are destroyed; a
// field that finishes its edit while the window goes away finds no run.
MainWindow::~MainWindow() {
  delete run_;
  run_ = nullptr;
}

void MainWindow::connectRun() {
  connect(run_, &RunController::stateChanged, this, &MainWindow::onStateChanged);
  connect(run_, &RunController::runStarting, this, [this](const QString& dir) {
    // Every panel starts empty: a failed start shows none of the previous run's pictures.
    curves_->clear();
    lastSnapshot_ = SnapshotImages();
    views_->clear();
    masks_->clear();
    noise_->clear();
    reconstruction_->clear();
    denoising_->clear();
    curves_->setExportFolder(dir);
    history_->startRun(dir);
    log(tr("Starting run in %1").arg(dir));
  });
  connect(run_, &RunController::progressChanged, this, &MainWindow::updateStatus);
  connect(run_, &RunController::historyLoaded, this, &MainWindow::showHistory);
  connect(run_, &RunController::metrics, curves_, &CurvesPanel::appendPoints);
  connect(run_, &RunController::snapshot, history_, &SnapshotHistory::onLiveSnapshot);
  connect(run_, &RunController::snapshotsKept, history_, &SnapshotHistory::setKeptSteps);
  connect(history_, &SnapshotHistory::show, this, &MainWindow::showSnapshot);
  connect(history_, &SnapshotHistory::failed, this, &MainWindow::showError);
  connect(run_, &RunController::settingChanged, curves_, &CurvesPanel::addMarker);
  connect(run_, &RunController::checkpointSaved, this,
          [this](const QString& path) { log(tr("Checkpoint saved: %1").arg(path)); });
  connect(run_, &RunController::filesSkipped, this, &MainWindow::onFilesSkipped);
  connect(run_, &RunController::message, this, &MainWindow::log);
  connect(run_, &RunController::failed, this, &MainWindow::showError);
  connect(run_, &RunController::runFinished, this, &MainWindow::onRunFinished);
  connect(files_, &FileActions::checkpointChosen, this, &MainWindow::openCheckpoint);
  connect(files_, &FileActions::presetLoaded, this, &MainWindow::setBaseConfig);
  connect(files_, &FileActions::message, this, &MainWindow::notify);
  connect(files_, &FileActions::failed, this, &MainWindow::showError);
}

void MainWindow::switchLanguage(const QString& code) {
  if (!language_->switchTo(code)) {
    showError(tr("The translation for %1 is missing.").arg(Language::nativeName(code)));
    return;
  }
  QSettings().setValue("language", code);
  for (QAction* a : menus_["language"]->actions()) a->setChecked(a->objectName() == "language_" + language_->current());
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QMainWindow::changeEvent(event);
}

void MainWindow::onStateChanged(State state) {
  const bool idle = state == State::Idle;
  actions_["start"]->setEnabled(idle);
  actions_["pause"]->setEnabled(state == State::Running);
  actions_["resume"]->setEnabled(state == State::Paused);
  actions_["stop"]->setEnabled(state == State::Running || state == State::Paused || state == State::Starting);
  actions_["save"]->setEnabled(state == State::Running || state == State::Paused);
  actions_["open"]->setEnabled(idle);
  actions_["loadPreset"]->setEnabled(idle);
  actions_["export"]->setEnabled(!run_->lastCheckpoint().isEmpty() && state != State::Stopping);
  setup_->setRunning(!idle);
  updateStatus();
  updateTitle();
  Q_EMIT stateChanged(state);
}

void MainWindow::updateStatus() {
  const QMap<State, QString> names = {{State::Idle, tr("Idle")},
                                      {State::Starting, tr("Starting…")},
                                      {State::Running, tr("Training")},
                                      {State::Paused, tr("Paused")},
                                      {State::Stopping, tr("Stopping…")}};
  stateLabel_->setText(names.value(run_->state()));
  stepLabel_->setText(
      tr("step %1 / %2 · epoch %3").arg(run_->step()).arg(run_->totalSteps()).arg(run_->epoch(), 0, 'f', 2));
  etaLabel_->setText(tr("ETA %1").arg(formatDuration(run_->etaSeconds())));
  speedLabel_->setText(tr("%1 img/s").arg(run_->imagesPerSecond(), 0, 'f', 1));
  const QString device = run_->device();
  deviceLabel_->setText(
      tr("device: %1").arg(device.isEmpty() ? (torch::cuda::is_available() ? "cuda" : "cpu") : device));
  checkpointLabel_->setText(run_->lastCheckpointTime().isEmpty() ? tr("no checkpoint yet")
                                                                 : tr("checkpoint %1").arg(run_->lastCheckpointTime()));
  const qint64 skipped = run_->skippedFiles();
  skippedLabel_->setText(tr("%n file(s) skipped", nullptr, int(skipped)));
  skippedLabel_->setToolTip(tr("Training files that could not be read; the Log names each one."));
  skippedLabel_->setVisible(skipped > 0);
}

QString MainWindow::errorText() const { return errorBanner_->isHidden() ? QString() : errorLabel_->text(); }

void MainWindow::showError(const QString& text) {
  setupErrorShown_ = false;
  errorLabel_->setText(text);
  errorBanner_->show();
  log(tr("Error: %1").arg(text));
}

void MainWindow::notify(const QString& text) {
  log(text);
  statusBar()->showMessage(text, 10000);  // where the eye is; the Log keeps it
}

void MainWindow::updateTitle() {
  // Which run is loaded, and what Start will do with it.
  const QString resume = run_->resumeFrom();
  const QString dir = !resume.isEmpty() ? runDirOf(resume) : run_->runDir();
  const QString name = QFileInfo(dir).fileName();
  QString title = tr("CAN Studio");
  if (state() != State::Idle && !name.isEmpty())
    title = tr("%1 — CAN Studio").arg(name);
  else if (!resume.isEmpty())
    title = tr("%1 at step %2 (Start continues it) — CAN Studio").arg(name).arg(checkpointStep(resume));
  else
    title = tr("New run — CAN Studio");
  setWindowTitle(title);
}

void MainWindow::log(const QString& text) {
  log_->appendPlainText(QTime::currentTime().toString("HH:mm:ss  ") + text);
}

bool MainWindow::startRun(qint64 stopAfterSteps) {
  if (state() != State::Idle) return false;
  if (!setup_->isValid()) {
    showError(tr("The run setup has an invalid value: %1").arg(setup_->firstError()));
    setupErrorShown_ = true;  // cleared as soon as the form is valid again
    setup_->revealField(setup_->firstErrorKey());
    return false;
  }
  can::RunConfig config;
  try {
    config = configFromPanel(setup_->values(), base_);
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return false;
  }
  errorBanner_->hide();
  return run_->start(config, stopAfterSteps);
}

bool MainWindow::openCheckpoint(const QString& path) {
  if (state() != State::Idle) return false;
  can::RunConfig config;
  QString error;
  if (!run_->openCheckpoint(path, &config, &error)) {  // draws its curves on success
    showError(tr("Cannot open %1: %2").arg(path, error));
    return false;
  }
  base_ = config;
  setup_->setValues(panelValues(base_));
  errorBanner_->hide();
  curves_->setExportFolder(run_->runDir());
  notify(tr("Opened %1: Start continues this run; Export writes its encoder.").arg(run_->lastCheckpoint()));
  updateTitle();
  return true;
}

void MainWindow::setBaseConfig(const can::RunConfig& config) {
  base_ = config;
  base_.explicit_keys.clear();  // the panel's mode sets its keys again (mask ratio, augmentation)
  setup_->setValues(panelValues(base_));
}

void MainWindow::showHistory(const RunHistory& history) {
  curves_->clear();
  curves_->appendPoints(history.points);
  for (const RunHistory::Marker& m : history.markers) curves_->addMarker(m.step, m.epoch, m.text);
  history_->setKept(history.runDir, history.snapshotSteps);
}

void MainWindow::showSnapshot(const SnapshotImages& s) {
  // Only panels a user can see are redrawn (a closed dock costs nothing); a dock that
  // opens again gets the latest snapshot then (visibilityChanged, buildDocks).
  lastSnapshot_ = s;
  for (const auto& [dock, panel] : imagePanels())
    if (dock->isVisible()) panel(s);
  ++snapshotsShown_;
  Q_EMIT snapshotShown();
}

QVector<QPair<QDockWidget*, std::function<void(const SnapshotImages&)>>> MainWindow::imagePanels() const {
  return {{docks_["viewsDock"], [this](const SnapshotImages& s) { views_->setSnapshot(s); }},
          {docks_["masksDock"], [this](const SnapshotImages& s) { masks_->setSnapshot(s); }},
          {docks_["noiseDock"], [this](const SnapshotImages& s) { noise_->setSnapshot(s); }},
          {docks_["reconstructionDock"], [this](const SnapshotImages& s) { reconstruction_->setSnapshot(s); }},
          {docks_["denoisingDock"], [this](const SnapshotImages& s) { denoising_->setSnapshot(s); }}};
}

void MainWindow::onFilesSkipped(const QStringList& found, qint64 total) {
  // Each file once in the Log (bounded: the status bar keeps counting), the count in the
  // status bar; the whole list goes to the run folder's skipped_files.txt at the end.
  constexpr qint64 kListed = 100;
  qint64 n = total - found.size();  // files already reported
  for (const QString& line : found) {
    ++n;
    if (n <= kListed)
      log(tr("Skipped unusable file %1").arg(line));
    else if (n == kListed + 1)
      log(
          tr("More unusable files: they are counted in the status bar and listed in skipped_files.txt in the run "
             "folder."));
  }
}

void MainWindow::onRunFinished(TrainingWorker::Outcome outcome, qint64 step) {
  const QMap<TrainingWorker::Outcome, QString> what = {{TrainingWorker::Outcome::Finished, tr("finished")},
                                                       {TrainingWorker::Outcome::Stopped, tr("stopped")},
                                                       {TrainingWorker::Outcome::Failed, tr("failed")}};
  notify(tr("Run %1 at step %2").arg(what.value(outcome)).arg(step));
  Q_EMIT runFinished(outcome, step);
  if (closeAfterStop_) close();
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (!defaultLayoutPending_) return;
  defaultLayoutPending_ = false;
  // Dock sizes only take once the window has its size.
  QTimer::singleShot(0, this, [this] { applyDefaultLayout(); });
}

void MainWindow::applyDefaultLayout() {
  // Restoring the saved start-up state puts every dock back; its sizes were those of a
  // window not yet shown, so they are set again for this window: at 1920 wide, room for the
  // views' three columns and the masks' two; on a laptop, the share each keeps at 1366.
  // The window keeps its size: a layout whose minimum is larger is clipped by Qt, never
  // grown past the screen.
  const QSize before = size();
  restoreState(property("defaultState").toByteArray());
  const int w = width(), h = height();
  auto share = [](int total, double fraction, int lo, int hi) { return std::clamp(int(total * fraction), lo, hi); };
  resizeDocks({docks_["setupDock"], docks_["viewsDock"], docks_["masksDock"]},
              {share(w, 0.17, 240, 320), share(w, 0.18, 230, 350), share(w, 0.2, 230, 430)}, Qt::Horizontal);
  resizeDocks({docks_["noiseDock"], docks_["reconstructionDock"], docks_["denoisingDock"]},
              {w * 30 / 100, w * 35 / 100, w * 35 / 100}, Qt::Horizontal);
  resizeDocks({docks_["noiseDock"]}, {share(h, 0.4, 200, 380)}, Qt::Vertical);
  if (size() != before) resize(before);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (state() != State::Idle) {
    if (!closeAfterStop_) {
      if (confirmClose_ &&
          QMessageBox::question(this, tr("Training is running"),
                                tr("Stop the run, save a checkpoint and quit?")) != QMessageBox::Yes) {
        event->ignore();
        return;
      }
      closeAfterStop_ = true;
      run_->stop();
      log(tr("Stopping: the window closes once the checkpoint is saved."));
    }
    event->ignore();  // closes from onRunFinished
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  curves_->saveViewSettings(settings);
  event->accept();
}
