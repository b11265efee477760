#pragma once
// The Bench window's background work (docs/bench.md "In the studio"): loads checkpoint A
// and runs can-analyze's analysis on it (core/analysis/analysis_run: the same batch, draws
// and functions, so the window shows what can-analyze prints); with a checkpoint B, runs B
// on A's batch and draws (core/analysis/ab_comparison) for the A/B tab. On a thread of its
// own so the window stays live; cancel() stops it between stages, and the window ignores
// (and waits for) a task it no longer wants.

#include <QImage>
#include <QString>
#include <QThread>
#include <QVector>

#include <atomic>
#include <memory>

#include "core/analysis/ab_comparison.h"
#include "core/analysis/analysis_run.h"

struct BenchRequest {
  QString checkpointA, checkpointB;  // B "" = no A/B
  qint64 images = 16;
  quint64 seed = 0;
  int abImages = 4;  // images shown side by side in the A/B tab
};

// Everything the window draws; the tensors stay on the CPU and are read on the GUI thread
// once the task is done.
struct BenchResult {
  can::analysis::AnalysisInput a;
  can::analysis::AnalysisResult analysis;
  // A/B: filled when checkpointB was given.
  bool hasB = false;
  QString dirB;
  QString incompatible;                     // why A and B cannot be compared ("" when they can)
  can::analysis::AnalysisInput b;           // B's model on A's batch and draws, with params_on(B, A)
  can::analysis::AnalysisResult analysisB;  // B's sigma sweep only
  can::analysis::Reconstruction recA, recB;
  can::analysis::SweepDifference difference;  // B - A, true curves (both need N)
  bool hasDifference = false;
};

class BenchTask : public QThread {
  Q_OBJECT

 public:
  explicit BenchTask(BenchRequest request, QObject* parent = nullptr);
  ~BenchTask() override;  // cancels and waits

  void cancel() { cancel_ = true; }
  // After done(""): the result (moved out by the window).
  std::shared_ptr<BenchResult> result() const { return result_; }

 Q_SIGNALS:
  void progress(const QString& stage);
  // "" on success; otherwise the error, naming the file, or tr("Cancelled").
  void done(const QString& error, bool cancelled);

 protected:
  void run() override;

 private:
  void checkCancelled() const;

  BenchRequest request_;
  std::shared_ptr<BenchResult> result_;
  std::atomic<bool> cancel_{false};
};
