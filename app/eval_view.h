#pragma once
// Evaluate a checkpoint (a window): kNN and the linear probe on its frozen encoder, run in
// the background (app/eval_task) with progress and a cancel button; then top-1 of each,
// the per-class accuracy chart and the confusion matrix with the dataset's class names.
// Results are recorded in the run folder's eval.json; opening a run shows its latest one.

#include <QString>
#include <QWidget>

#include "core/eval/eval_report.h"

class ConfusionMatrixView;
class EvalTask;
class PerClassChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

class EvalView : public QWidget {
  Q_OBJECT

 public:
  explicit EvalView(QWidget* parent = nullptr);
  ~EvalView() override;

  // A run folder, checkpoint folder or exported .safetensors; shows the latest evaluation
  // recorded in its run's eval.json, if any.
  void setCheckpoint(const QString& path);
  QString checkpoint() const;
  // Starts the evaluation with the form's options; false (reason in the status line) when
  // one is running or the path is empty.
  bool start();
  void cancel();
  bool running() const { return task_ != nullptr; }
  void setImageLimits(qint64 maxTrain, qint64 maxTest);
  void showReport(const can::eval::EvalReport& report);
  QString statusText() const;
  PerClassChart* perClassChart() const { return perClass_; }
  ConfusionMatrixView* confusionView() const { return confusion_; }

 Q_SIGNALS:
  // After every evaluation: error "" on success.
  void finished(const QString& error, bool cancelled);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void build();
  void retranslate();
  void updateRunning();
  void showConfusion();
  void onProgress(const QString& stage, qint64 done, qint64 total);
  void onDone(const QString& error, bool cancelled);

  can::eval::EvalReport report_;
  bool hasReport_ = false;
  EvalTask* task_ = nullptr;
  QLineEdit* path_ = nullptr;
  QCheckBox *knn_ = nullptr, *linear_ = nullptr;
  QSpinBox *maxTrain_ = nullptr, *maxTest_ = nullptr, *epochs_ = nullptr;
  QPushButton *browse_ = nullptr, *run_ = nullptr, *cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel *pathLabel_ = nullptr, *trainLabel_ = nullptr, *testLabel_ = nullptr, *epochsLabel_ = nullptr,
         *status_ = nullptr, *scores_ = nullptr, *perClassLabel_ = nullptr, *confusionLabel_ = nullptr;
  QComboBox* protocol_ = nullptr;
  PerClassChart* perClass_ = nullptr;
  ConfusionMatrixView* confusion_ = nullptr;
};
