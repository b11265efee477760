#pragma once
// The studio's main window: run setup, the image panels and the curves as dockable panels
// (layout remembered in QSettings), run controls in a toolbar, progress in the status bar.
// It builds the window (main_window_build.cpp) and wires signals: the run itself (worker
// thread, state machine, run folder, history, ETA) is a RunController's, the file dialogs
// are FileActions'. The window only draws what their signals bring.

#include <QMainWindow>
#include <QMap>
#include <QPair>
#include <QVector>

#include <functional>

#include "app/run_controller.h"
#include "app/training_worker.h"
#include "core/config/run_config.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QToolBar;
class CurvesPanel;
class DenoisingPanel;
class FileActions;
class Language;
class MasksPanel;
class NoisePanel;
class ReconstructionPanel;
class RunSetupPanel;
class SnapshotHistory;
class SnapshotSlider;
class ViewsPanel;
class BenchView;
class CompareView;
class EvalView;
class InspectorView;
class RunsBrowser;
class SweepDialog;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  using State = RunController::State;

  // runsRoot: where new runs get their folder (a timestamped sub-folder each).
  explicit MainWindow(const QString& runsRoot, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Starts a run with the setup panel's values; stopAfterSteps > 0 stops (and saves) after
  // that many steps. False, with the reason shown, when the setup is invalid.
  bool startRun(qint64 stopAfterSteps = 0);
  // Loads a checkpoint's config into the setup panel; the next start continues from it.
  bool openCheckpoint(const QString& path);
  // Closing during a run asks first; tests and automation turn the question off.
  void setConfirmClose(bool confirm) { confirmClose_ = confirm; }
  void switchLanguage(const QString& code);
  // Keys the panel does not show (kNN cadence, snapshot size...) come from this config;
  // the panel is set to its values.
  void setBaseConfig(const can::RunConfig& config);

  State state() const { return run_->state(); }
  QString runDir() const { return run_->runDir(); }
  QString lastCheckpoint() const { return run_->lastCheckpoint(); }
  QString errorText() const;  // the error banner's text, "" when none is shown
  qint64 currentStep() const { return run_->step(); }
  RunSetupPanel* setupPanel() const { return setup_; }
  CurvesPanel* curvesPanel() const { return curves_; }
  RunController* runController() const { return run_; }
  FileActions* fileActions() const { return files_; }
  TrainingWorker* worker() const { return run_->worker(); }
  QAction* action(const QString& name) const { return actions_.value(name); }
  QWidget* buttonFor(const QString& actionName) const;  // the toolbar button of an action
  // The start-up layout for the window's current size: docks where they start, sized in
  // proportion to the window (View -> Reset layout). Never resizes the window.
  void applyDefaultLayout();
  // Every image panel has shown a snapshot (automation waits for this before rendering).
  bool panelsFilled() const { return snapshotsShown_ > 0; }
  // The snapshot the image panels show, and the step slider above them (tests).
  const SnapshotImages& shownSnapshot() const { return lastSnapshot_; }
  SnapshotSlider* snapshotSlider() const { return slider_; }

  // Experiments (main_window_experiments.cpp): the runs browser dock, and the compare,
  // evaluation and sweep windows, each made when first asked for.
  RunsBrowser* runsBrowser() const { return runs_; }
  CompareView* showCompare(const QStringList& runDirs);
  EvalView* showEvaluation(const QString& checkpointOrRun);
  InspectorView* showInspector(const QString& checkpoint);
  SweepDialog* showSweep();
  BenchView* showBench(const QString& checkpointOrRun);

 Q_SIGNALS:
  void stateChanged(MainWindow::State state);
  void runFinished(TrainingWorker::Outcome outcome, qint64 step);
  void snapshotShown();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  // main_window_build.cpp: the window's parts and their texts.
  void buildActions();
  void buildMenus();
  void buildDocks();
  void buildStatusBar();
  void buildExperiments();  // main_window_experiments.cpp
  void retranslate();
  void retranslateExperiments();
  QDockWidget* addPanel(const QString& objectName, QWidget* panel, Qt::DockWidgetArea area);
  // main_window.cpp: the wiring and what the window shows of the run.
  void connectRun();
  void onStateChanged(State state);
  void onFilesSkipped(const QStringList& found, qint64 total);
  void onRunFinished(TrainingWorker::Outcome outcome, qint64 step);
  void showHistory(const RunHistory& history);
  void showSnapshot(const SnapshotImages& images);
  void showError(const QString& text);
  void log(const QString& text);
  void notify(const QString& text);  // the Log and, for ten seconds, the status bar
  void updateTitle();
  // Each image dock with the call that draws a snapshot in its panel.
  QVector<QPair<QDockWidget*, std::function<void(const SnapshotImages&)>>> imagePanels() const;
  void updateStatus();

  can::RunConfig base_;  // keys the panel does not show come from here (a loaded preset or checkpoint)
  SnapshotImages lastSnapshot_;   // what a dock that opens again shows
  bool setupErrorShown_ = false;  // the banner shows the setup form's error
  bool confirmClose_ = true, closeAfterStop_ = false, defaultLayoutPending_ = false;
  int snapshotsShown_ = 0;

  QString runsRoot_;
  RunController* run_ = nullptr;
  FileActions* files_ = nullptr;
  RunsBrowser* runs_ = nullptr;
  CompareView* compare_ = nullptr;
  EvalView* eval_ = nullptr;
  InspectorView* inspector_ = nullptr;
  SweepDialog* sweep_ = nullptr;
  BenchView* bench_ = nullptr;
  Language* language_ = nullptr;

  RunSetupPanel* setup_ = nullptr;
  SnapshotSlider* slider_ = nullptr;    // the image panels' step slider, in its own toolbar
  SnapshotHistory* history_ = nullptr;  // what the slider asks for: live or a kept snapshot
  CurvesPanel* curves_ = nullptr;
  ViewsPanel* views_ = nullptr;
  MasksPanel* masks_ = nullptr;
  NoisePanel* noise_ = nullptr;
  ReconstructionPanel* reconstruction_ = nullptr;
  DenoisingPanel* denoising_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
  QWidget* errorBanner_ = nullptr;
  QLabel* errorLabel_ = nullptr;
  QMap<QString, QAction*> actions_;
  QMap<QString, QDockWidget*> docks_;
  QMap<QString, QMenu*> menus_;
  QToolBar *toolbar_ = nullptr, *historyToolbar_ = nullptr;
  QLabel *stateLabel_ = nullptr, *stepLabel_ = nullptr, *etaLabel_ = nullptr, *speedLabel_ = nullptr,
         *deviceLabel_ = nullptr, *checkpointLabel_ = nullptr, *skippedLabel_ = nullptr;
};
