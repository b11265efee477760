#include "app/bench_task.h"
#include "app/error_text.h"

#include <QDir>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/train/checkpoint.h"

namespace {

struct Cancelled {};

}  // namespace

BenchTask::BenchTask(BenchRequest request, QObject* parent) : QThread(parent), request_(std::move(request)) {}

BenchTask::~BenchTask() {
  cancel_ = true;
  wait();
}

void BenchTask::checkCancelled() const {
  if (cancel_) throw Cancelled{};
}

void BenchTask::run() {
  namespace an = can::analysis;
  QString error;
  bool cancelled = false;
  try {
    auto r = std::make_shared<BenchResult>();
    Q_EMIT progress(tr("Loading checkpoint A and the images…"));
    const std::string pathA = QDir::fromNativeSeparators(request_.checkpointA).toStdString();
    // can-analyze's steps with its defaults (docs/bench.md): the same batch, draws and numbers.
    r->a = an::load_analysis_input(pathA, request_.images, request_.seed);
    checkCancelled();
    Q_EMIT progress(tr("Analysing A: health, σ sweep, attention…"));
    r->analysis = an::run_analysis(r->a, an::AnalysisOptions{});
    checkCancelled();
    if (!request_.checkpointB.isEmpty()) {
      r->hasB = true;
      Q_EMIT progress(tr("Loading checkpoint B…"));
      const std::string pathB = QDir::fromNativeSeparators(request_.checkpointB).toStdString();
      an::AnalysisInput& b = r->b;
      try {
        b.dir = can::resolve_checkpoint(pathB);
        b.model = can::load_model(pathB, &b.config);
      } catch (const c10::Error& e) {
        throw std::runtime_error(pathB + ": cannot load the model: " + e.what_without_backtrace());
      }
      r->dirB = QString::fromStdString(b.dir);
      const auto& ma = r->a.model;
      r->incompatible = QString::fromStdString(
          an::ab_incompatibility(ma->config(), ma->objectives(), b.model->config(), b.model->objectives()));
      if (r->incompatible.isEmpty()) {
        // B on A's images, masks and noise: A's batch and draws, at A's sigma_max and mask ratio.
        b.batch = r->a.batch;
        b.draws = r->a.draws;
        b.params = an::params_on(b.config.loss, r->a.params);
        b.seed = r->a.seed;
        b.n = r->a.n;
        checkCancelled();
        Q_EMIT progress(tr("Reconstructing with A and B…"));
        const int64_t k = std::min<int64_t>(request_.abImages, r->a.n);
        r->recA = an::reconstruct(r->a.model, r->a.batch, r->a.params, r->a.draws, k);
        r->recB = an::reconstruct(b.model, b.batch, b.params, b.draws, k);
        checkCancelled();
        if (r->analysis.has_sweep) {
          Q_EMIT progress(tr("σ sweep of B…"));
          an::AnalysisOptions sweepOnly;
          sweepOnly.health = sweepOnly.attention = false;
          r->analysisB = an::run_analysis(b, sweepOnly);
          r->difference = an::sweep_difference(r->analysis.sweep, r->analysisB.sweep);
          r->hasDifference = true;
        }
      }
    }
    result_ = r;
  } catch (const Cancelled&) {
    cancelled = true;
    error = tr("Cancelled");
  } catch (...) {
    error = currentErrorText();
  }
  Q_EMIT done(error, cancelled);
}
