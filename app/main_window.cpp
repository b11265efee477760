#include "app/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <filesystem>

#include "app/config_bridge.h"
#include "app/export_task.h"
#include "app/language.h"
#include "core/train/checkpoint.h"
#include "core/train/event_log.h"
#include "core/train/metrics_log.h"
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

// A run directory from a checkpoint path: DIR/checkpoints/step_N -> DIR; DIR stays DIR.
QString runDirOf(const QString& checkpointOrRun) {
  QDir dir(checkpointOrRun);
  if (dir.exists("checkpoints")) return dir.absolutePath();
  dir.cdUp();
  dir.cdUp();
  return dir.absolutePath();
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

  worker_ = new TrainingWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.setObjectName("training");
  thread_.start();
  connect(worker_, &TrainingWorker::started, this, &MainWindow::onStarted);
  connect(worker_, &TrainingWorker::history, this, [this](const QVector<MetricsPoint>& p) { curves_->appendPoints(p); });
  connect(worker_, &TrainingWorker::metrics, this, &MainWindow::onMetrics);
  connect(worker_, &TrainingWorker::snapshot, this, [this](const SnapshotImages& s) {
    views_->setSnapshot(s);
    masks_->setSnapshot(s);
    noise_->setSnapshot(s);
    reconstruction_->setSnapshot(s);
    denoising_->setSnapshot(s);
    ++snapshotsShown_;
    Q_EMIT snapshotShown();
  });
  connect(worker_, &TrainingWorker::message, this, &MainWindow::log);
  connect(worker_, &TrainingWorker::settingChanged, this, [this](qint64 step, const QString& text) {
    curves_->addMarker(step, stepsPerEpoch_ > 0 ? double(step) / double(stepsPerEpoch_) : 0.0, text);
  });
  connect(worker_, &TrainingWorker::checkpointSaved, this, [this](const QString& path) {
    lastCheckpoint_ = path;
    lastCheckpointTime_ = QTime::currentTime().toString("HH:mm:ss");
    log(tr("Checkpoint saved: %1").arg(path));
    updateStatus();
  });
  connect(worker_, &TrainingWorker::failed, this, &MainWindow::showError);
  connect(worker_, &TrainingWorker::skippedFiles, this, [this](const QStringList& found, qint64 total) {
    // Each file once in the Log (bounded: the status bar keeps counting), the count in the
    // status bar; the whole list goes to the run folder's skipped_files.txt at the end.
    constexpr qint64 kListed = 100;
    for (const QString& line : found) {
      ++skippedFiles_;
      if (skippedFiles_ <= kListed) log(tr("Skipped unusable file %1").arg(line));
      else if (skippedFiles_ == kListed + 1) log(tr("More unusable files: they are counted in the status bar and listed in skipped_files.txt in the run folder."));
    }
    skippedFiles_ = total;
    updateStatus();
  });
  connect(worker_, &TrainingWorker::finished, this, &MainWindow::onFinished);
  // Snapshots by wall-clock time, not steps: the panels refresh every two seconds whatever
  // a step costs.
  snapshotTimer_.setInterval(qEnvironmentVariableIntValue("CAN_STUDIO_SNAPSHOT_MS") > 0 ? qEnvironmentVariableIntValue("CAN_STUDIO_SNAPSHOT_MS") : 2000);
  connect(&snapshotTimer_, &QTimer::timeout, this, [this] { worker_->requestSnapshot(); });

  buildActions();
  buildDocks();
  buildMenus();
  buildStatusBar();
  setup_->setValues(panelValues(base_));
  setup_->setValidator([this](const QString& key, const QMap<QString, QString>& values) {
    return fieldProblem(key, values, base_);
  });
  setup_->setCudaAvailable(torch::cuda::is_available());
  connect(setup_, &RunSetupPanel::liveChangeRequested, this, &MainWindow::onLiveChange);
  connect(setup_, &RunSetupPanel::loadPresetRequested, this, &MainWindow::loadPreset);
  connect(setup_, &RunSetupPanel::savePresetRequested, this, &MainWindow::savePreset);

  resize(1920, 1200);
  QSettings settings;
  const QByteArray defaultState = saveState();
  setProperty("defaultState", defaultState);
  restoreGeometry(settings.value("window/geometry").toByteArray());
  defaultLayoutPending_ = !restoreState(settings.value("window/state").toByteArray());
  const QString lang = settings.value("language", "en").toString();
  if (lang != "en") language_->switchTo(lang);
  retranslate();
  setState(State::Idle);
}

MainWindow::~MainWindow() {
  worker_->requestStop();
  thread_.quit();
  thread_.wait();
}

void MainWindow::buildActions() {
  auto add = [this](const QString& name, const QString& icon, const QKeySequence& key, auto slot) {
    auto* a = new QAction(QIcon(icon), QString(), this);
    a->setObjectName(name);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    actions_.insert(name, a);
    return a;
  };
  add("start", ":/icons/start.svg", QKeySequence("Ctrl+R"), [this] { startRun(); });
  add("pause", ":/icons/pause.svg", QKeySequence("Ctrl+P"), [this] {
    worker_->requestPause();
    setState(State::Paused);
  });
  add("resume", ":/icons/resume.svg", QKeySequence("Ctrl+Shift+P"), [this] {
    worker_->requestResume();
    setState(State::Running);
  });
  add("stop", ":/icons/stop.svg", QKeySequence("Ctrl+."), [this] {
    worker_->requestStop();
    setState(State::Stopping);
  });
  add("save", ":/icons/save.svg", QKeySequence::Save, [this] { worker_->requestSave(); });
  add("open", ":/icons/open.svg", QKeySequence::Open, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open checkpoint or run folder"), runsRoot_);
    if (!dir.isEmpty()) openCheckpoint(dir);
  });
  add("export", ":/icons/export.svg", QKeySequence("Ctrl+E"), [this] { exportEncoder(); });
  add("loadPreset", QString(), QKeySequence(), [this] { loadPreset(); });
  add("savePreset", QString(), QKeySequence(), [this] { savePreset(); });
  add("quit", QString(), QKeySequence::Quit, [this] { close(); });
  add("resetLayout", QString(), QKeySequence(), [this] { restoreState(property("defaultState").toByteArray()); });

  toolbar_ = addToolBar(QString());
  toolbar_->setObjectName("runToolbar");
  toolbar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  for (const char* name : {"start", "pause", "resume", "stop", "save", "open", "export"}) toolbar_->addAction(actions_[name]);
}

QWidget* MainWindow::buttonFor(const QString& actionName) const {
  return toolbar_->widgetForAction(actions_.value(actionName));
}

QDockWidget* MainWindow::addPanel(const QString& objectName, QWidget* panel, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(this);
  dock->setObjectName(objectName);
  dock->setWidget(panel);
  addDockWidget(area, dock);
  docks_.insert(objectName, dock);
  return dock;
}

void MainWindow::buildDocks() {
  // The error banner sits above the curves: visible without a modal dialog, dismissable.
  auto* central = new QWidget;
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(0, 0, 0, 0);
  errorBanner_ = new QWidget;
  errorBanner_->setObjectName("errorBanner");
  errorBanner_->setStyleSheet("#errorBanner { background: #fdecea; border: 1px solid #e0a39b; }");
  auto* bannerRow = new QHBoxLayout(errorBanner_);
  errorLabel_ = new QLabel;
  errorLabel_->setObjectName("errorLabel");
  errorLabel_->setWordWrap(true);
  errorLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* dismiss = new QPushButton(QStringLiteral("✕"));
  dismiss->setFlat(true);
  dismiss->setObjectName("dismissError");
  connect(dismiss, &QPushButton::clicked, errorBanner_, &QWidget::hide);
  bannerRow->addWidget(errorLabel_, 1);
  bannerRow->addWidget(dismiss);
  errorBanner_->hide();
  curves_ = new CurvesPanel;
  column->addWidget(errorBanner_);
  column->addWidget(curves_, 1);
  setCentralWidget(central);

  setup_ = new RunSetupPanel;
  views_ = new ViewsPanel;
  masks_ = new MasksPanel;
  noise_ = new NoisePanel;
  reconstruction_ = new ReconstructionPanel;
  denoising_ = new DenoisingPanel;
  log_ = new QPlainTextEdit;
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(2000);
  addPanel("setupDock", setup_, Qt::LeftDockWidgetArea);
  QDockWidget* viewsDock = addPanel("viewsDock", views_, Qt::RightDockWidgetArea);
  QDockWidget* masksDock = addPanel("masksDock", masks_, Qt::RightDockWidgetArea);
  splitDockWidget(viewsDock, masksDock, Qt::Horizontal);
  QDockWidget* noiseDock = addPanel("noiseDock", noise_, Qt::BottomDockWidgetArea);
  QDockWidget* reconDock = addPanel("reconstructionDock", reconstruction_, Qt::BottomDockWidgetArea);
  QDockWidget* denoiseDock = addPanel("denoisingDock", denoising_, Qt::BottomDockWidgetArea);
  splitDockWidget(noiseDock, reconDock, Qt::Horizontal);
  splitDockWidget(reconDock, denoiseDock, Qt::Horizontal);
  QDockWidget* logDock = addPanel("logDock", log_, Qt::LeftDockWidgetArea);
  tabifyDockWidget(docks_["setupDock"], logDock);
  docks_["setupDock"]->raise();

}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(QString());
  menus_.insert("file", file);
  for (const char* name : {"open", "loadPreset", "savePreset", "export"}) file->addAction(actions_[name]);
  file->addSeparator();
  file->addAction(actions_["quit"]);
  QMenu* run = menuBar()->addMenu(QString());
  menus_.insert("run", run);
  for (const char* name : {"start", "pause", "resume", "stop", "save"}) run->addAction(actions_[name]);
  QMenu* view = menuBar()->addMenu(QString());
  menus_.insert("view", view);
  for (QDockWidget* dock : docks_) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  view->addAction(actions_["resetLayout"]);
  QMenu* lang = menuBar()->addMenu(QString());
  lang->setObjectName("languageMenu");
  menus_.insert("language", lang);
  auto* group = new QActionGroup(this);
  for (const QString& code : Language::available()) {
    // Each language in its own name, so a user who cannot read the current one finds theirs.
    QAction* a = lang->addAction(Language::nativeName(code));
    a->setObjectName("language_" + code);
    a->setCheckable(true);
    a->setChecked(code == "en");
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, code] { switchLanguage(code); });
  }
}

void MainWindow::buildStatusBar() {
  for (QLabel** l :
       {&stateLabel_, &stepLabel_, &etaLabel_, &speedLabel_, &deviceLabel_, &checkpointLabel_, &skippedLabel_}) {
    *l = new QLabel;
    statusBar()->addPermanentWidget(*l);
  }
  stateLabel_->setObjectName("stateLabel");
  stepLabel_->setObjectName("stepLabel");
  skippedLabel_->setObjectName("skippedLabel");
  skippedLabel_->hide();
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

void MainWindow::retranslate() {
  setWindowTitle(tr("CAN Studio"));
  const QMap<QString, QString> actionTexts = {
      {"start", tr("Start")},         {"pause", tr("Pause")},
      {"resume", tr("Resume")},       {"stop", tr("Stop")},
      {"save", tr("Save checkpoint")}, {"open", tr("Open checkpoint…")},
      {"export", tr("Export encoder…")}, {"loadPreset", tr("Load preset…")},
      {"savePreset", tr("Save preset…")}, {"quit", tr("Quit")},
      {"resetLayout", tr("Reset layout")}};
  for (auto it = actionTexts.begin(); it != actionTexts.end(); ++it) actions_[it.key()]->setText(it.value());
  actions_["stop"]->setToolTip(tr("Stop after the current step and save a checkpoint"));
  actions_["export"]->setToolTip(tr("Export the encoder of the last checkpoint as safetensors with timm names"));
  const QMap<QString, QString> dockTitles = {
      {"setupDock", tr("Run setup")},  {"viewsDock", tr("Views")},
      {"masksDock", tr("Masks")},      {"noiseDock", tr("Noise")},
      {"reconstructionDock", tr("Reconstruction")}, {"denoisingDock", tr("Denoising")},
      {"logDock", tr("Log")}};
  for (auto it = dockTitles.begin(); it != dockTitles.end(); ++it) docks_[it.key()]->setWindowTitle(it.value());
  menus_["file"]->setTitle(tr("&File"));
  menus_["run"]->setTitle(tr("&Run"));
  menus_["view"]->setTitle(tr("&View"));
  menus_["language"]->setTitle(tr("&Language"));
  toolbar_->setWindowTitle(tr("Run controls"));
  updateStatus();
}

void MainWindow::setState(State state) {
  state_ = state;
  const bool idle = state == State::Idle;
  actions_["start"]->setEnabled(idle);
  actions_["pause"]->setEnabled(state == State::Running);
  actions_["resume"]->setEnabled(state == State::Paused);
  actions_["stop"]->setEnabled(state == State::Running || state == State::Paused || state == State::Starting);
  actions_["save"]->setEnabled(state == State::Running || state == State::Paused);
  actions_["open"]->setEnabled(idle);
  actions_["loadPreset"]->setEnabled(idle);
  actions_["export"]->setEnabled(!lastCheckpoint_.isEmpty() && state != State::Stopping);
  setup_->setRunning(!idle);
  updateStatus();
  Q_EMIT stateChanged(state);
}

void MainWindow::updateStatus() {
  const QMap<State, QString> names = {{State::Idle, tr("Idle")},
                                      {State::Starting, tr("Starting…")},
                                      {State::Running, tr("Training")},
                                      {State::Paused, tr("Paused")},
                                      {State::Stopping, tr("Stopping…")}};
  stateLabel_->setText(names.value(state_));
  stepLabel_->setText(tr("step %1 / %2 · epoch %3").arg(step_).arg(totalSteps_).arg(epoch_, 0, 'f', 2));
  const double elapsed = runClock_.isValid() ? runClock_.elapsed() / 1000.0 : 0.0;
  const qint64 done = step_ - firstStep_;
  etaLabel_->setText(tr("ETA %1").arg(
      formatDuration(state_ == State::Running && done > 0 ? elapsed / double(done) * double(totalSteps_ - step_) : -1)));
  speedLabel_->setText(tr("%1 img/s").arg(imgPerS_, 0, 'f', 1));
  deviceLabel_->setText(tr("device: %1").arg(device_.isEmpty() ? (torch::cuda::is_available() ? "cuda" : "cpu") : device_));
  checkpointLabel_->setText(lastCheckpointTime_.isEmpty() ? tr("no checkpoint yet")
                                                          : tr("checkpoint %1").arg(lastCheckpointTime_));
  skippedLabel_->setText(tr("%n file(s) skipped", nullptr, int(skippedFiles_)));
  skippedLabel_->setToolTip(tr("Training files that could not be read; the Log names each one."));
  skippedLabel_->setVisible(skippedFiles_ > 0);
}

QString MainWindow::errorText() const { return errorBanner_->isHidden() ? QString() : errorLabel_->text(); }

void MainWindow::showError(const QString& text) {
  errorLabel_->setText(text);
  errorBanner_->show();
  log(tr("Error: %1").arg(text));
}

void MainWindow::log(const QString& text) {
  log_->appendPlainText(QTime::currentTime().toString("HH:mm:ss  ") + text);
}

bool MainWindow::startRun(qint64 stopAfterSteps) {
  if (state_ != State::Idle) return false;
  if (!setup_->isValid()) {
    showError(tr("The run setup has an invalid value: %1").arg(setup_->firstError()));
    return false;
  }
  TrainingRequest request;
  try {
    request.config = configFromPanel(setup_->values(), base_);
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return false;
  }
  errorBanner_->hide();
  request.resumeFrom = resumeFrom_;
  request.stopAfterSteps = stopAfterSteps;
  request.runDir = resumeFrom_.isEmpty()
                       ? QDir(runsRoot_).filePath(QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss"))
                       : runDirOf(resumeFrom_);
  resumeFrom_.clear();
  runDir_ = request.runDir;
  curves_->clear();
  skippedFiles_ = 0;
  step_ = firstStep_ = totalSteps_ = 0;
  epoch_ = imgPerS_ = 0;
  log(tr("Starting run in %1").arg(runDir_));
  setState(State::Starting);
  QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->start(request); }, Qt::QueuedConnection);
  return true;
}

void MainWindow::onStarted(const QString& device, qint64 totalSteps, qint64 stepsPerEpoch, qint64 firstStep) {
  device_ = device;
  totalSteps_ = totalSteps;
  stepsPerEpoch_ = stepsPerEpoch;
  step_ = firstStep_ = firstStep;
  runClock_.start();
  snapshotTimer_.start();
  if (state_ == State::Starting) setState(State::Running);
  updateStatus();
}

void MainWindow::onMetrics(const QVector<MetricsPoint>& points) {
  curves_->appendPoints(points);
  const MetricsPoint& last = points.back();
  step_ = last.step;
  epoch_ = last.epoch;
  imgPerS_ = last.imgPerS;
  updateStatus();
}

void MainWindow::onFinished(TrainingWorker::Outcome outcome, qint64 step) {
  snapshotTimer_.stop();
  const QMap<TrainingWorker::Outcome, QString> what = {{TrainingWorker::Outcome::Finished, tr("finished")},
                                                       {TrainingWorker::Outcome::Stopped, tr("stopped")},
                                                       {TrainingWorker::Outcome::Failed, tr("failed")}};
  log(tr("Run %1 at step %2").arg(what.value(outcome)).arg(step));
  step_ = step;
  setState(State::Idle);
  Q_EMIT runFinished(outcome, step);
  if (closeAfterStop_) close();
}

void MainWindow::onLiveChange(const QString& key, const QString& value) {
  bool ok = false;
  const double v = value.toDouble(&ok);
  if (!ok) return;
  if (key == "loss.mask_ratio") {
    worker_->requestMaskRatio(v);
  } else if (key == "loss.sigma_max") {
    worker_->requestSigmaMax(v);
  } else {  // the three weights travel together
    const auto values = setup_->values();
    worker_->requestLossWeights(values["loss.w_infonce"].toDouble(), values["loss.w_rec"].toDouble(),
                                values["loss.w_denoise"].toDouble());
  }
}

bool MainWindow::openCheckpoint(const QString& path) {
  if (state_ != State::Idle) return false;
  try {
    const std::string resolved = can::resolve_checkpoint(path.toStdString());
    base_ = can::load_run_config(resolved);
    resumeFrom_ = QString::fromStdString(resolved);
    lastCheckpoint_ = resumeFrom_;
  } catch (const std::exception& e) {
    showError(tr("Cannot open %1: %2").arg(path, QString::fromStdString(e.what())));
    return false;
  }
  setup_->setValues(panelValues(base_));
  errorBanner_->hide();
  // Inspecting a run starts with its curves up to the checkpoint (a resumed start continues them).
  // Checkpoint directories are named step_NNNNNN (core/train/checkpoint.h).
  const qint64 checkpointStep = QFileInfo(resumeFrom_).fileName().mid(5).toLongLong();
  curves_->clear();
  QVector<MetricsPoint> history;
  for (const auto& m : can::read_metrics_log(QDir(runDirOf(resumeFrom_)).filePath("metrics.jsonl").toStdString(),
                                             checkpointStep))
    history.push_back(toMetricsPoint(m));
  curves_->appendPoints(history);
  // ... and the markers of its live changes up to the checkpoint (events.jsonl).
  for (const auto& change : can::read_setting_changes(
           QDir(runDirOf(resumeFrom_)).filePath("events.jsonl").toStdString(), checkpointStep)) {
    double epoch = 0.0;
    for (const auto& p : history)
      if (p.step <= change.step) epoch = p.epoch;
    curves_->addMarker(change.step, epoch, settingChangeLabel(change));
  }
  step_ = checkpointStep;
  log(tr("Opened %1: Start continues this run; Export writes its encoder.").arg(resumeFrom_));
  setState(State::Idle);
  return true;
}

void MainWindow::setBaseConfig(const can::RunConfig& config) {
  base_ = config;
  base_.mask_ratio_explicit = false;  // the panel's mode sets the ratio again
  setup_->setValues(panelValues(base_));
}

void MainWindow::loadPreset() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load preset"), QString(), tr("Run config (*.json)"));
  if (path.isEmpty()) return;
  try {
    setBaseConfig(can::load_run_config_file(path.toStdString()));
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return;
  }
  log(tr("Loaded preset %1").arg(path));
}

void MainWindow::savePreset() {
  can::RunConfig config;
  try {
    config = configFromPanel(setup_->values(), base_);
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
    return;
  }
  const QString path = QFileDialog::getSaveFileName(this, tr("Save preset"), "can-run.json", tr("Run config (*.json)"));
  if (path.isEmpty()) return;
  try {
    can::save_run_config_file(config, path.toStdString());
    log(tr("Saved preset %1 (use it with can-train --config)").arg(path));
  } catch (const std::exception& e) {
    showError(QString::fromStdString(e.what()));
  }
}

void MainWindow::exportEncoder() {
  if (lastCheckpoint_.isEmpty()) return;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Export encoder"), "encoder.safetensors", tr("safetensors (*.safetensors)"));
  if (path.isEmpty()) return;
  auto* task = new ExportTask(lastCheckpoint_, path, this);
  connect(task, &ExportTask::done, this, [this, path](const QString& error) {
    if (error.isEmpty())
      log(tr("Exported the encoder to %1 (timm names, architecture in the .json next to it)").arg(path));
    else
      showError(tr("Export failed: %1").arg(error));
  });
  task->start();
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (!defaultLayoutPending_) return;
  defaultLayoutPending_ = false;
  // Dock sizes only take once the window has its size: room for the views' three columns
  // and the masks' two, and for a row of three panes at the bottom.
  QTimer::singleShot(0, this, [this] {
    resizeDocks({docks_["setupDock"], docks_["viewsDock"], docks_["masksDock"]}, {320, 350, 430}, Qt::Horizontal);
    resizeDocks({docks_["noiseDock"]}, {380}, Qt::Vertical);
  });
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (state_ != State::Idle) {
    if (!closeAfterStop_) {
      if (confirmClose_ &&
          QMessageBox::question(this, tr("Training is running"),
                                tr("Stop the run, save a checkpoint and quit?")) != QMessageBox::Yes) {
        event->ignore();
        return;
      }
      closeAfterStop_ = true;
      worker_->requestStop();
      setState(State::Stopping);
      log(tr("Stopping: the window closes once the checkpoint is saved."));
    }
    event->ignore();  // closes from onFinished
    return;
  }
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  event->accept();
}
