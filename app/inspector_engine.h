#pragma once
// The Inspector's worker (docs/bench.md "Inspector"): lives on a thread of its own, holds
// one checkpoint's model, its loss settings and its training split, and answers one request
// at a time with can::analysis::inspect turned into images. The bank of neighbour features
// (the first 10,000 train images through the encoder) is computed once per weights on a
// further thread, with its own copy of the model, so inspections go on meanwhile.

#include <QImage>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>

#include <torch/torch.h>

#include "app/live_weights.h"
#include "core/config/run_config.h"
#include "core/data/dataset.h"
#include "core/model/can_model.h"

Q_DECLARE_METATYPE(std::shared_ptr<const can::data::Dataset>)

// What the window asks: one image of the train split, its mask, sigma and noise seed.
struct InspectorRequest {
  qint64 id = 0;       // increasing; the view shows the latest
  qint64 index = -1;   // train image
  QVector<bool> mask;  // row-major patch grid, true = masked
  double sigma = 0;
  quint64 noiseSeed = 0;
  bool operator==(const InspectorRequest& o) const {
    return index == o.index && mask == o.mask && sigma == o.sigma && noiseSeed == o.noiseSeed;
  }
};
Q_DECLARE_METATYPE(InspectorRequest)

struct InspectorResult {
  InspectorRequest request;
  QVector<bool> maskUsed;  // read back from the forward (= request.mask, checked by core)
  QImage clean, masked, reconstruction, trueNoise, predictedNoise, recError, denoiseError;
  double lossRec = 0, lossDenoise = 0;
  double maxRecError = 0, maxDenoiseError = 0, noiseScale = 0;
  bool hasRec = false, hasDenoise = false, normPix = false;
  qint64 weightsStep = -1;     // the step of the weights that computed it
  bool liveWeights = false;    // ... and whether they were live weights (not a checkpoint)
  QVector<qint64> neighbours;  // empty until the bank is ready
  QVector<double> similarity;
  double computeMs = 0;
  QString error;
};
Q_DECLARE_METATYPE(InspectorResult)

// What a checkpoint (or a copy of the live weights) gives the window once opened.
struct InspectorWeights {
  QString checkpoint;  // the checkpoint directory; "" for live weights
  bool live = false;   // a copy of a training run's weights (LiveWeights), not a checkpoint
  qint64 step = -1;
  int grid = 0;  // patches per side
  double sigmaMax = 0, maskRatio = 0;
  QString error;  // non-empty: nothing was opened
};
Q_DECLARE_METATYPE(InspectorWeights)

class QThread;

class InspectorEngine : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kBankImages = 10000;
  static constexpr int kNeighbours = 8;

  explicit InspectorEngine(QObject* parent = nullptr);
  ~InspectorEngine() override;

  // Engine thread only (through queued calls); the dataset may be read from any thread.
  std::shared_ptr<const can::data::Dataset> dataset() const { return dataset_; }

 public Q_SLOTS:
  void open(const QString& checkpointOrRun);
  // The same with a copy of a running model: nothing is read from disk but the dataset, and
  // that only when the run's data differs from the one open.
  void openLive(std::shared_ptr<const LiveWeights> weights);
  void inspect(const InspectorRequest& request);

 Q_SIGNALS:
  // The dataset is handed over for the browser's thumbnails (thread-safe reads).
  void opened(const InspectorWeights& weights, std::shared_ptr<const can::data::Dataset> dataset,
              const QStringList& classNames);
  void inspected(const InspectorResult& result);
  void bankReady();

 private:
  // The new weights: on success the bank is computed again for them (makeBankModel gives
  // the bank thread its own model) and `opened` says so, on failure `opened` has the error.
  void adopt(InspectorWeights w, can::CanModel model, const can::RunConfig& config,
             std::function<can::CanModel()> makeBankModel);
  void startBank(std::function<can::CanModel()> makeBankModel);

  can::CanModel model_{nullptr};
  InspectorWeights weights_;  // what model_ is
  can::RunConfig config_;
  std::shared_ptr<const can::data::Dataset> dataset_;
  torch::Tensor bank_;  // [N, d] or undefined while it is computed
  std::shared_ptr<std::atomic<bool>> bankCancel_;
  QThread* bankThread_ = nullptr;
};
