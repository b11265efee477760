#pragma once
// The Inspector (a window, docs/bench.md "Inspector"): question one image through a
// checkpoint's model. Pick the image in a dataset browser, its mask by clicking patches (or
// a random one at a ratio and seed), sigma with a slider; it shows the masked noisy input,
// the reconstruction, the true and predicted noise, per-patch error maps, the losses and
// the 8 nearest training images. Every change is a request to the engine's thread
// (app/inspector_engine); while one is computed only the newest waiting one is kept.

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>

#include "app/inspector_engine.h"

class DatasetBrowser;
class ImageGrid;
class PatchMaskEditor;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QThread;

class InspectorView : public QWidget {
  Q_OBJECT

 public:
  explicit InspectorView(QWidget* parent = nullptr);
  ~InspectorView() override;

  // A run or checkpoint folder; loaded on the engine's thread, then the first image shown.
  void setCheckpoint(const QString& checkpointOrRun);
  QString checkpoint() const { return weights_.checkpoint; }
  // Where "Latest of the current run" looks (MainWindow gives its run's latest checkpoint).
  void setCurrentRunCheckpoint(std::function<QString()> latest) { currentRun_ = std::move(latest); }
  // How "Live weights" asks the studio's run for a copy of its weights between two steps
  // (RunController::requestWeights: true when a request went out); the copy comes back
  // through setLiveWeights. The button is enabled while setLiveAvailable(true) (a run trains).
  void setLiveWeightsSource(std::function<bool()> request) { liveSource_ = std::move(request); }
  void setLiveAvailable(bool available);
  // "Live weights" was pressed and its copy has not come yet.
  bool waitingForLiveWeights() const { return waitingLive_; }
  // Weights of a running model (a copy that training no longer touches) instead of a checkpoint.
  void setLiveWeights(std::shared_ptr<const LiveWeights> weights, qint64 step);
  bool showsLiveWeights() const { return weights_.live; }
  qint64 weightsStep() const { return weights_.step; }
  QPushButton* liveButton() const { return live_; }
  void selectImage(qint64 index);

  PatchMaskEditor* maskEditor() const { return editor_; }
  DatasetBrowser* browser() const { return browser_; }
  // The last request sent to the engine, and the result on screen (tests).
  const InspectorRequest& lastRequest() const { return lastSent_; }
  const InspectorResult& shownResult() const { return shown_; }
  bool hasResult() const { return hasShown_; }
  // Request to shown, in ms, of the result on screen (QElapsedTimer from the change).
  double lastUpdateMs() const { return lastUpdateMs_; }
  QString lossText() const;
  QString statusText() const;
  double sigma() const;
  void setSigma(double sigma);
  void randomMask(double ratio, int seed);

 Q_SIGNALS:
  void inspectionShown();
  void checkpointOpened(const QString& error);
  void requestInspect(const InspectorRequest& request);  // to the engine (queued)
  void requestOpen(const QString& checkpointOrRun);
  void requestOpenLive(std::shared_ptr<const LiveWeights> weights);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  void retranslate();
  void onOpened(const InspectorWeights& weights, std::shared_ptr<const can::data::Dataset> dataset,
                const QStringList& classNames);
  void onInspected(const InspectorResult& result);
  void requestUpdate();  // the controls changed: a new request
  void send(const InspectorRequest& request);
  void showResult(const InspectorResult& result);
  void updateSigmaLabel();
  void browseCheckpoint();
  void askForLiveWeights();

  QThread* thread_ = nullptr;
  InspectorEngine* engine_ = nullptr;
  std::shared_ptr<const can::data::Dataset> dataset_;
  InspectorWeights weights_;
  std::function<QString()> currentRun_;
  std::function<bool()> liveSource_;
  bool liveAvailable_ = false, waitingLive_ = false;
  qint64 nextId_ = 1;
  bool busy_ = false, hasPending_ = false, hasShown_ = false;
  InspectorRequest pending_, lastSent_;
  InspectorResult shown_;
  QElapsedTimer sinceChange_;
  qint64 changeId_ = 0;  // the request the timer was started for
  double lastUpdateMs_ = 0;

  DatasetBrowser* browser_ = nullptr;
  PatchMaskEditor* editor_ = nullptr;
  ImageGrid *panels_ = nullptr, *neighbours_ = nullptr;
  QLineEdit* path_ = nullptr;
  QPushButton *browse_ = nullptr, *latest_ = nullptr, *live_ = nullptr, *random_ = nullptr, *clear_ = nullptr;
  QDoubleSpinBox* ratio_ = nullptr;
  QSpinBox *maskSeed_ = nullptr, *noiseSeed_ = nullptr;
  QSlider* sigma_ = nullptr;
  QLabel *weightsLabel_ = nullptr, *ratioLabel_ = nullptr, *maskSeedLabel_ = nullptr, *sigmaLabel_ = nullptr,
         *sigmaValue_ = nullptr, *noiseSeedLabel_ = nullptr, *maskCount_ = nullptr, *losses_ = nullptr,
         *status_ = nullptr, *neighboursLabel_ = nullptr, *normPixNote_ = nullptr;
};
