#pragma once
// The studio's main window: run setup, the image panels and the curves as dockable panels
// (layout remembered in QSettings), run controls in a toolbar, progress in the status bar.
// Training happens in a TrainingWorker on its own QThread; this window only sets its
// control flags and draws what its queued signals bring.

#include <QElapsedTimer>
#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include "app/training_worker.h"
#include "core/config/run_config.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QToolButton;
class CurvesPanel;
class DenoisingPanel;
class Language;
class MasksPanel;
class NoisePanel;
class ReconstructionPanel;
class RunSetupPanel;
class ViewsPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum class State { Idle, Starting, Running, Paused, Stopping };

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

  State state() const { return state_; }
  QString runDir() const { return runDir_; }
  QString lastCheckpoint() const { return lastCheckpoint_; }
  QString errorText() const;  // the error banner's text, "" when none is shown
  qint64 currentStep() const { return step_; }
  RunSetupPanel* setupPanel() const { return setup_; }
  CurvesPanel* curvesPanel() const { return curves_; }
  TrainingWorker* worker() const { return worker_; }
  QAction* action(const QString& name) const { return actions_.value(name); }
  QWidget* buttonFor(const QString& actionName) const;  // the toolbar button of an action
  // Every image panel has shown a snapshot (automation waits for this before rendering).
  bool panelsFilled() const { return snapshotsShown_ > 0; }

 Q_SIGNALS:
  void stateChanged(MainWindow::State state);
  void runFinished(TrainingWorker::Outcome outcome, qint64 step);
  void snapshotShown();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void buildActions();
  void buildMenus();
  void buildDocks();
  void buildStatusBar();
  void retranslate();
  void setState(State state);
  void showError(const QString& text);
  void log(const QString& text);
  void updateStatus();
  void loadPreset();
  void savePreset();
  void exportEncoder();
  void onStarted(const QString& device, qint64 totalSteps, qint64 stepsPerEpoch, qint64 firstStep);
  void onMetrics(const QVector<MetricsPoint>& points);
  void onFinished(TrainingWorker::Outcome outcome, qint64 step);
  void onLiveChange(const QString& key, const QString& value);
  QDockWidget* addPanel(const QString& objectName, QWidget* panel, Qt::DockWidgetArea area);

  QString runsRoot_, runDir_, resumeFrom_, lastCheckpoint_, device_;
  can::RunConfig base_;  // keys the panel does not show come from here (a loaded preset or checkpoint)
  State state_ = State::Idle;
  bool confirmClose_ = true, closeAfterStop_ = false, defaultLayoutPending_ = false;
  qint64 step_ = 0, firstStep_ = 0, totalSteps_ = 0, stepsPerEpoch_ = 0;
  double epoch_ = 0, imgPerS_ = 0;
  int snapshotsShown_ = 0;
  QElapsedTimer runClock_;
  QString lastCheckpointTime_;

  QThread thread_;
  TrainingWorker* worker_ = nullptr;
  QTimer snapshotTimer_;
  Language* language_ = nullptr;

  RunSetupPanel* setup_ = nullptr;
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
  QToolBar* toolbar_ = nullptr;
  QLabel *stateLabel_ = nullptr, *stepLabel_ = nullptr, *etaLabel_ = nullptr, *speedLabel_ = nullptr,
         *deviceLabel_ = nullptr, *checkpointLabel_ = nullptr, *skippedLabel_ = nullptr;
  qint64 skippedFiles_ = 0;  // training files the loader could not use in this run
};
