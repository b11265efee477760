#pragma once
// Runs can::eval::evaluate (kNN and linear probe of a checkpoint's frozen encoder) on a
// thread of its own, so the window stays live; reports progress, stops at the next batch,
// chunk or epoch when cancelled, and records the report in the run folder's eval.json (the
// file can-eval and the runs browser read).

#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

#include "core/eval/evaluation.h"

class EvalTask : public QThread {
  Q_OBJECT

 public:
  // runDir: where eval.json is recorded ("" = nowhere).
  EvalTask(can::eval::EvalRequest request, QString runDir, QObject* parent = nullptr);
  ~EvalTask() override;  // cancels and waits

  void cancel() { cancel_ = true; }
  // After done(""): the report (also recorded in eval.json).
  const can::eval::EvalReport& report() const { return report_; }

 Q_SIGNALS:
  // A stage of EvalProgress ("train features", "test features", "knn", "linear probe").
  void progress(const QString& stage, qint64 done, qint64 total);
  // "" on success; tr("Cancelled") when cancelled; otherwise the error, naming the file.
  void done(const QString& error, bool cancelled);

 protected:
  void run() override;

 private:
  can::eval::EvalRequest request_;
  QString runDir_;
  can::eval::EvalReport report_;
  std::atomic<bool> cancel_{false};
};
