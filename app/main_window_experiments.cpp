// MainWindow's experiments: the runs browser dock (tabbed with the run setup), and the
// windows it opens: compare runs, evaluate a checkpoint, sweep settings. Each window is made
// when first asked for and kept, so a running evaluation or sweep survives closing it.
#include "app/main_window.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QMessageBox>

#include "app/bench_view.h"
#include "app/compare_view.h"
#include "app/config_bridge.h"
#include "app/eval_view.h"
#include "app/inspector_view.h"
#include "app/runs_browser.h"
#include "app/sweep_dialog.h"
#include "widgets/run_setup_panel.h"

void MainWindow::buildExperiments() {
  runs_ = new RunsBrowser(runsRoot_);
  QDockWidget* dock = addPanel("runsDock", runs_, Qt::LeftDockWidgetArea);
  tabifyDockWidget(docks_["setupDock"], dock);
  docks_["setupDock"]->raise();

  auto add = [this](const QString& name, const QKeySequence& key, auto slot) {
    auto* a = new QAction(this);
    a->setObjectName(name);
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    actions_.insert(name, a);
  };
  add("compare", QKeySequence("Ctrl+Shift+C"), [this] {
    const QStringList selected = runs_->selectedRuns();
    if (selected.isEmpty()) {
      docks_["runsDock"]->show();
      docks_["runsDock"]->raise();
      notify(tr("Select the runs to compare in the Runs list"));
      return;
    }
    showCompare(selected);
  });
  add("evaluate", QKeySequence(), [this] {
    const QStringList selected = runs_->selectedRuns();
    showEvaluation(selected.size() == 1 ? selected.front() : run_->lastCheckpoint());
  });
  add("inspector", QKeySequence(), [this] {
    const QStringList selected = runs_->selectedRuns();
    showInspector(selected.size() == 1 ? selected.front() : run_->lastCheckpoint());
  });
  add("bench", QKeySequence(), [this] {
    const QStringList selected = runs_->selectedRuns();
    showBench(selected.size() == 1 ? selected.front() : run_->lastCheckpoint());
  });
  add("sweep", QKeySequence(), [this] { showSweep(); });

  connect(runs_, &RunsBrowser::openRequested, this, [this](const QString& dir) {
    if (state() != State::Idle) {
      notify(tr("Stop the current run before opening another"));
      return;
    }
    openCheckpoint(dir);
  });
  connect(runs_, &RunsBrowser::compareRequested, this, [this](const QStringList& dirs) { showCompare(dirs); });
  connect(runs_, &RunsBrowser::evaluateRequested, this, [this](const QString& dir) { showEvaluation(dir); });
  connect(runs_, &RunsBrowser::sweepRequested, this, [this] { showSweep(); });
  connect(runs_, &RunsBrowser::message, this, &MainWindow::notify);
  // A run that starts or ends changes the list: rescan then rather than on the next tick.
  connect(this, &MainWindow::stateChanged, runs_, [this] { runs_->rescan(); });
}

void MainWindow::retranslateExperiments() {
  docks_["runsDock"]->setWindowTitle(tr("Runs"));
  actions_["compare"]->setText(tr("Compare selected runs"));
  actions_["evaluate"]->setText(tr("Evaluate checkpoint…"));
  actions_["inspector"]->setText(tr("Inspector…"));
  actions_["bench"]->setText(tr("Bench…"));
  actions_["sweep"]->setText(tr("Sweep settings…"));
  if (QMenu* menu = menus_.value("experiments")) menu->setTitle(tr("E&xperiments"));
}

CompareView* MainWindow::showCompare(const QStringList& runDirs) {
  if (!compare_) {
    compare_ = new CompareView(this);
    compare_->setWindowFlag(Qt::Window);
    compare_->resize(std::min(1400, width()), std::min(900, height()));
  }
  if (!compare_->setRuns(runDirs)) notify(compare_->messageText());
  compare_->show();
  compare_->raise();
  return compare_;
}

EvalView* MainWindow::showEvaluation(const QString& checkpointOrRun) {
  if (!eval_) {
    eval_ = new EvalView(this);
    eval_->setWindowFlag(Qt::Window);
    eval_->resize(std::min(1200, width()), std::min(800, height()));
    connect(eval_, &EvalView::finished, this, [this](const QString& error, bool cancelled) {
      if (error.isEmpty())
        runs_->rescan();  // the browser shows the new scores
      else if (!cancelled)
        log(error);
    });
  }
  if (!eval_->running() && !checkpointOrRun.isEmpty()) eval_->setCheckpoint(checkpointOrRun);
  eval_->show();
  eval_->raise();
  return eval_;
}

InspectorView* MainWindow::showInspector(const QString& checkpoint) {
  if (!inspector_) {
    inspector_ = new InspectorView(this);
    inspector_->setWindowFlag(Qt::Window);
    inspector_->resize(std::min(1400, width()), std::min(900, height()));
    inspector_->setCurrentRunCheckpoint([this] { return run_->lastCheckpoint(); });
    // Live weights: the request only sets a flag the trainer reads between two steps; the
    // copy comes back queued, to the Inspector if it asked for one.
    inspector_->setLiveWeightsSource([this] { return run_->requestWeights(); });
    connect(run_, &RunController::weightsReady, inspector_,
            [this](std::shared_ptr<const LiveWeights> weights, qint64 step) {
              if (inspector_->waitingForLiveWeights()) inspector_->setLiveWeights(std::move(weights), step);
            });
    auto training = [this] {
      const auto s = run_->state();
      return s == RunController::State::Running || s == RunController::State::Paused;
    };
    inspector_->setLiveAvailable(training());
    connect(run_, &RunController::stateChanged, inspector_,
            [this, training] { inspector_->setLiveAvailable(training()); });
  }
  if (!checkpoint.isEmpty()) inspector_->setCheckpoint(checkpoint);
  inspector_->show();
  inspector_->raise();
  return inspector_;
}

BenchView* MainWindow::showBench(const QString& checkpointOrRun) {
  if (!bench_) {
    bench_ = new BenchView(this);
    bench_->setWindowFlag(Qt::Window);
    bench_->resize(std::min(1300, width()), std::min(860, height()));
  }
  if (!bench_->running() && !checkpointOrRun.isEmpty()) bench_->setCheckpoint(checkpointOrRun);
  bench_->show();
  bench_->raise();
  return bench_;
}

SweepDialog* MainWindow::showSweep() {
  if (!sweep_) {
    sweep_ = new SweepDialog(runsRoot_, this);
    sweep_->resize(std::min(900, width()), std::min(700, height()));
    connect(sweep_, &SweepDialog::sweepStarted, this, [this](const QString& folder) {
      log(tr("Sweep started in %1").arg(folder));
      runs_->rescan();
    });
    connect(sweep_, &SweepDialog::sweepFinished, this, [this](const QString& folder, int code) {
      log(code == 0 ? tr("Sweep finished: %1").arg(folder) : tr("Sweep ended (code %1): %2").arg(code).arg(folder));
      runs_->rescan();
    });
  }
  if (!sweep_->running()) {
    // The grid varies the setup form's config: what Start would run.
    try {
      sweep_->setBase(configFromPanel(setup_->values(), base_));
    } catch (const std::exception&) {
      sweep_->setBase(base_);  // the form's error is shown in its banner; the grid starts from the base
    }
  }
  sweep_->show();
  sweep_->raise();
  return sweep_;
}
