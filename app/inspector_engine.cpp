#include "app/inspector_engine.h"
#include "app/error_text.h"

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/snapshot_images.h"
#include "core/analysis/inspection.h"
#include "core/eval/features.h"
#include "core/model/model_copy.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_info.h"

namespace {

struct BankCancelled {};

// [g, g] per-patch values -> an image of the input's size, each patch one flat colour from
// black through red to yellow at `scale` (the map's maximum), so it lines up with the input.
QImage toHeatImage(const torch::Tensor& map, int patch, double scale) {
  auto a = map.to(torch::kFloat32).contiguous();
  const int g = static_cast<int>(a.size(0));
  QImage img(g * patch, g * patch, QImage::Format_RGB32);
  const double s = scale > 0 ? scale : 1.0;
  for (int r = 0; r < g; ++r)
    for (int c = 0; c < g; ++c) {
      const double t = std::clamp(a[r][c].item<double>() / s, 0.0, 1.0);
      const QRgb colour = qRgb(static_cast<int>(std::lround(255 * std::min(1.0, 2 * t))),
                               static_cast<int>(std::lround(255 * std::max(0.0, 2 * t - 1))), 0);
      for (int y = 0; y < patch; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(r * patch + y));
        std::fill(line + c * patch, line + (c + 1) * patch, colour);
      }
    }
  return img;
}

}  // namespace

InspectorEngine::InspectorEngine(QObject* parent) : QObject(parent) {
  qRegisterMetaType<InspectorRequest>();
  qRegisterMetaType<InspectorResult>();
  qRegisterMetaType<InspectorWeights>();
  qRegisterMetaType<std::shared_ptr<const can::data::Dataset>>();
  qRegisterMetaType<std::shared_ptr<const LiveWeights>>();
}

InspectorEngine::~InspectorEngine() {
  if (bankCancel_) *bankCancel_ = true;
  if (bankThread_) {
    bankThread_->wait();
    delete bankThread_;
  }
}

void InspectorEngine::open(const QString& checkpointOrRun) {
  InspectorWeights w;
  try {
    const std::string dir = can::resolve_checkpoint(checkpointOrRun.toStdString());
    can::RunConfig config;
    auto model = can::load_model(dir, &config);
    w.checkpoint = QString::fromStdString(dir);
    w.step = can::checkpoint_step(dir);
    // The bank's own copy: a second load of the same checkpoint, on the bank's thread.
    adopt(w, model, config, [dir] { return can::load_model(dir); });
  } catch (...) {
    w.error = currentErrorText();
    Q_EMIT opened(w, nullptr, {});
  }
}

void InspectorEngine::openLive(std::shared_ptr<const LiveWeights> weights) {
  InspectorWeights w;
  w.live = true;
  try {
    if (!weights || !weights->model) throw std::runtime_error(tr("No live weights came").toStdString());
    w.step = weights->step;
    // The copy is this engine's alone to run; the bank gets a copy of it, made here (the
    // bank thread must not share a module with the inspections).
    auto bankModel = can::copy_model(weights->model);
    adopt(w, weights->model, weights->config, [bankModel] { return bankModel; });
  } catch (...) {
    w.error = currentErrorText();
    Q_EMIT opened(w, nullptr, {});
  }
}

void InspectorEngine::adopt(InspectorWeights w, can::CanModel model, const can::RunConfig& config,
                            std::function<can::CanModel()> makeBankModel) {
  auto data = config.data;
  data.min_image_side = 0;  // the inspector resizes what it gets, as evaluation does
  // Live weights come again and again from the same run: its split stays open (the window
  // then keeps the image and mask chosen).
  std::shared_ptr<const can::data::Dataset> ds = dataset_;
  if (!ds || nlohmann::json(data) != nlohmann::json(config_.data))
    ds = can::data::open_dataset(data, can::data::Split::Train);
  model_ = model;
  config_ = config;
  config_.data = data;
  dataset_ = ds;
  bank_ = torch::Tensor();
  w.grid = static_cast<int>(config.model.img_size / config.model.patch_size);
  w.sigmaMax = config.loss.sigma_max;
  w.maskRatio = config.loss.mask_ratio;
  QStringList classNames;
  for (const auto& n : ds->class_names()) classNames << QString::fromStdString(n);
  weights_ = w;
  startBank(std::move(makeBankModel));
  Q_EMIT opened(w, dataset_, classNames);
}

// The bank on a thread of its own with its own copy of the weights: the engine's model
// keeps answering requests meanwhile.
void InspectorEngine::startBank(std::function<can::CanModel()> makeBankModel) {
  if (bankCancel_) *bankCancel_ = true;
  if (bankThread_) {
    bankThread_->wait();
    delete bankThread_;
    bankThread_ = nullptr;
  }
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  bankCancel_ = cancel;
  auto ds = dataset_;
  const auto data = config_.data;
  bankThread_ = QThread::create([this, cancel, ds, data, makeBankModel] {
    try {
      auto model = makeBankModel();
      const auto& m = model->config();
      auto bank = can::eval::extract_features(model, *ds, kBankImages, 256, data.resolved_mean(m.in_chans),
                                              data.resolved_std(m.in_chans), torch::kCPU, [&cancel](int64_t, int64_t) {
                                                if (*cancel) throw BankCancelled{};
                                              });
      QMetaObject::invokeMethod(
          this,
          [this, cancel, bank] {
            if (*cancel) return;
            bank_ = bank;
            Q_EMIT bankReady();
          },
          Qt::QueuedConnection);
    } catch (...) {
      // Cancelled, or the bank could not be built: the inspector simply shows no neighbours.
    }
  });
  bankThread_->start(QThread::LowPriority);
}

void InspectorEngine::inspect(const InspectorRequest& request) {
  InspectorResult r;
  r.request = request;
  r.weightsStep = weights_.step;
  r.liveWeights = weights_.live;
  QElapsedTimer timer;
  timer.start();
  try {
    if (!model_) throw std::runtime_error(tr("No checkpoint is open").toStdString());
    if (request.index < 0 || request.index >= dataset_->size())
      throw std::runtime_error(tr("Image %1 is not in the dataset").arg(request.index).toStdString());
    const auto& m = model_->config();
    const auto mean = config_.data.resolved_mean(m.in_chans), stdv = config_.data.resolved_std(m.in_chans);
    auto image = can::eval::eval_batch(*dataset_, request.index, 1, m.in_chans, m.img_size, mean, stdv)[0];
    can::analysis::InspectionRequest rq;
    rq.image = image;
    rq.mask.assign(request.mask.begin(), request.mask.end());
    rq.sigma = request.sigma;
    rq.noise_seed = request.noiseSeed;
    can::LossParams params = config_.loss;
    if (params.noise_space == "pixel") params.pixel_std.assign(stdv.begin(), stdv.end());
    const auto ins = can::analysis::inspect(model_, params, rq);

    r.maskUsed = QVector<bool>(ins.mask.begin(), ins.mask.end());
    r.clean = toPixelImage(image, mean, stdv);
    r.masked = toPixelImage(ins.masked_input, mean, stdv);
    r.lossRec = ins.loss_rec;
    r.lossDenoise = ins.loss_denoise;
    r.hasRec = ins.reconstruction.defined();
    r.hasDenoise = ins.true_noise.defined();
    r.normPix = ins.reconstruction_uses_true_stats;
    const int p = static_cast<int>(m.patch_size);
    if (r.hasRec) {
      r.reconstruction = toPixelImage(ins.reconstruction, mean, stdv);
      r.maxRecError = ins.rec_error.max().item<double>();
      r.recError = toHeatImage(ins.rec_error, p, r.maxRecError);
    }
    if (r.hasDenoise) {
      // One colour scale for both noises: the true noise's largest value.
      r.noiseScale = std::max(ins.true_noise.abs().max().item<double>(), 1e-12);
      r.trueNoise = toNoiseImage(ins.true_noise, r.noiseScale);
      r.predictedNoise = toNoiseImage(ins.predicted_noise, r.noiseScale);
      r.maxDenoiseError = ins.denoise_error.max().item<double>();
      r.denoiseError = toHeatImage(ins.denoise_error, p, r.maxDenoiseError);
    }
    if (bank_.defined()) {
      for (const auto& n : can::analysis::nearest_neighbours(model_, bank_, image, kNeighbours)) {
        r.neighbours << n.index;
        r.similarity << n.similarity;
      }
    }
  } catch (...) {
    r.error = currentErrorText();
  }
  r.computeMs = timer.nsecsElapsed() / 1e6;
  Q_EMIT inspected(r);
}
