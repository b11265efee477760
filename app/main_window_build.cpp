// MainWindow's construction: actions and toolbar, docks, menus, status bar, and their
// texts in the current language. The wiring and what the window shows of a run are in
// main_window.cpp.
#include "app/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

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
#include "widgets/snapshot_slider.h"
#include "widgets/views_panel.h"

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
  add("pause", ":/icons/pause.svg", QKeySequence("Ctrl+P"), [this] { run_->pause(); });
  add("resume", ":/icons/resume.svg", QKeySequence("Ctrl+Shift+P"), [this] { run_->resume(); });
  add("stop", ":/icons/stop.svg", QKeySequence("Ctrl+."), [this] { run_->stop(); });
  add("save", ":/icons/save.svg", QKeySequence::Save, [this] { run_->save(); });
  add("open", ":/icons/open.svg", QKeySequence::Open, [this] { files_->openCheckpoint(); });
  add("export", ":/icons/export.svg", QKeySequence("Ctrl+E"), [this] { files_->exportEncoder(); });
  add("loadPreset", QString(), QKeySequence(), [this] { files_->loadPreset(); });
  add("savePreset", QString(), QKeySequence(), [this] { files_->savePreset(); });
  add("quit", QString(), QKeySequence::Quit, [this] { close(); });
  add("resetLayout", QString(), QKeySequence(), [this] { applyDefaultLayout(); });

  toolbar_ = addToolBar(QString());
  toolbar_->setObjectName("runToolbar");
  toolbar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  for (const char* name : {"start", "pause", "resume", "stop", "save", "open", "export"})
    toolbar_->addAction(actions_[name]);
  // The image panels' step slider: beside the run controls, the rest of the row its own.
  historyToolbar_ = addToolBar(QString());
  historyToolbar_->setObjectName("historyToolbar");
  slider_ = new SnapshotSlider;
  historyToolbar_->addWidget(slider_);
  history_ = new SnapshotHistory(slider_, this);
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

  setup_ = new RunSetupPanel(setupFields());
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
  for (const auto& [dock, panel] : imagePanels())
    connect(dock, &QDockWidget::visibilityChanged, this, [this, draw = panel](bool visible) {
      if (visible && lastSnapshot_.numSamples > 0) draw(lastSnapshot_);
    });
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
  QMenu* experiments = menuBar()->addMenu(QString());
  menus_.insert("experiments", experiments);
  experiments->addAction(docks_["runsDock"]->toggleViewAction());
  for (const char* name : {"compare", "evaluate", "inspector", "bench", "sweep"}) experiments->addAction(actions_[name]);
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
  checkpointLabel_->setObjectName("checkpointLabel");
  etaLabel_->setObjectName("etaLabel");
  skippedLabel_->hide();
}

void MainWindow::retranslate() {
  if (run_) updateTitle();
  const QMap<QString, QString> actionTexts = {{"start", tr("Start")},
                                              {"pause", tr("Pause")},
                                              {"resume", tr("Resume")},
                                              {"stop", tr("Stop")},
                                              {"save", tr("Save checkpoint")},
                                              {"open", tr("Open checkpoint…")},
                                              {"export", tr("Export encoder…")},
                                              {"loadPreset", tr("Load preset…")},
                                              {"savePreset", tr("Save preset…")},
                                              {"quit", tr("Quit")},
                                              {"resetLayout", tr("Reset layout")}};
  for (auto it = actionTexts.begin(); it != actionTexts.end(); ++it) actions_[it.key()]->setText(it.value());
  actions_["stop"]->setToolTip(tr("Stop after the current step and save a checkpoint"));
  actions_["export"]->setToolTip(tr("Export the encoder of the last checkpoint as safetensors with timm names"));
  const QMap<QString, QString> dockTitles = {{"setupDock", tr("Run setup")},
                                             {"viewsDock", tr("Views")},
                                             {"masksDock", tr("Masks")},
                                             {"noiseDock", tr("Noise")},
                                             {"reconstructionDock", tr("Reconstruction")},
                                             {"denoisingDock", tr("Denoising")},
                                             {"logDock", tr("Log")}};
  for (auto it = dockTitles.begin(); it != dockTitles.end(); ++it) docks_[it.key()]->setWindowTitle(it.value());
  menus_["file"]->setTitle(tr("&File"));
  menus_["run"]->setTitle(tr("&Run"));
  retranslateExperiments();
  menus_["view"]->setTitle(tr("&View"));
  menus_["language"]->setTitle(tr("&Language"));
  toolbar_->setWindowTitle(tr("Run controls"));
  historyToolbar_->setWindowTitle(tr("Snapshot history"));
  updateStatus();
}
