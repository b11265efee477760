#include "app/eval_task.h"
#include "app/error_text.h"

#include <utility>

#include "core/eval/eval_report.h"
#include "core/util/threads.h"

EvalTask::EvalTask(can::eval::EvalRequest request, QString runDir, QObject* parent)
    : QThread(parent), request_(std::move(request)), runDir_(std::move(runDir)) {}

EvalTask::~EvalTask() {
  cancel_ = true;
  wait();
}

void EvalTask::run() {
  QString error;
  bool cancelled = false;
  try {
    // Progress at most every batch: cheap, and queued to the window's thread.
    report_ = can::eval::evaluate(request_, [this](const can::eval::EvalProgress& p) {
      Q_EMIT progress(QString::fromStdString(p.stage), p.done, p.total);
      return !cancel_.load();
    });
    if (!runDir_.isEmpty()) can::eval::record_evaluation(runDir_.toStdString(), report_);
  } catch (const can::eval::EvalCancelled&) {
    cancelled = true;
    error = tr("Cancelled");
  } catch (...) {
    error = currentErrorText();
  }
  Q_EMIT done(error, cancelled);
}
