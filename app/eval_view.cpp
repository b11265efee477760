#include "app/eval_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "app/eval_task.h"
#include "app/run_controller.h"
#include "widgets/confusion_matrix_view.h"
#include "widgets/per_class_chart.h"

namespace {

QString percent(double v) { return QString::number(v * 100.0, 'f', 1) + QStringLiteral("%"); }

// The run folder of a checkpoint or run path; "" for an exported encoder (no run folder).
QString runFolderOf(const QString& path) {
  if (path.endsWith(QStringLiteral(".safetensors"))) return {};
  return runDirOf(path);
}

}  // namespace

EvalView::EvalView(QWidget* parent) : QWidget(parent) {
  setObjectName("evalView");
  build();
  retranslate();
  updateRunning();
}

EvalView::~EvalView() = default;  // task_ is a child: its destructor cancels and waits

void EvalView::build() {
  path_ = new QLineEdit;
  path_->setObjectName("evalCheckpoint");
  browse_ = new QPushButton;
  knn_ = new QCheckBox;
  knn_->setChecked(true);
  linear_ = new QCheckBox;
  linear_->setChecked(true);
  auto spin = [](int max, int value) {
    auto* s = new QSpinBox;
    s->setRange(0, max);
    s->setValue(value);
    return s;
  };
  maxTrain_ = spin(10'000'000, 0);
  maxTest_ = spin(10'000'000, 0);
  epochs_ = spin(10'000, 100);
  epochs_->setMinimum(1);
  run_ = new QPushButton;
  run_->setObjectName("evalRun");
  cancel_ = new QPushButton;
  cancel_->setObjectName("evalCancel");
  progress_ = new QProgressBar;
  progress_->setObjectName("evalProgress");
  for (QLabel** l :
       {&pathLabel_, &trainLabel_, &testLabel_, &epochsLabel_, &status_, &scores_, &perClassLabel_, &confusionLabel_})
    *l = new QLabel;
  status_->setObjectName("evalStatus");
  status_->setWordWrap(true);
  scores_->setObjectName("evalScores");
  QFont big = scores_->font();
  big.setPointSizeF(big.pointSizeF() * 1.2);
  big.setBold(true);
  scores_->setFont(big);

  auto* form = new QGridLayout;
  form->addWidget(pathLabel_, 0, 0);
  form->addWidget(path_, 0, 1, 1, 6);
  form->addWidget(browse_, 0, 7);
  form->addWidget(knn_, 1, 0);
  form->addWidget(linear_, 1, 1);
  form->addWidget(trainLabel_, 1, 2);
  form->addWidget(maxTrain_, 1, 3);
  form->addWidget(testLabel_, 1, 4);
  form->addWidget(maxTest_, 1, 5);
  form->addWidget(epochsLabel_, 1, 6);
  form->addWidget(epochs_, 1, 7);
  form->setColumnStretch(1, 1);
  auto* runRow = new QHBoxLayout;
  runRow->addWidget(run_);
  runRow->addWidget(cancel_);
  runRow->addWidget(progress_, 1);

  protocol_ = new QComboBox;
  protocol_->setObjectName("evalProtocol");
  protocol_->addItems({QString(), QString()});
  perClass_ = new PerClassChart;
  confusion_ = new ConfusionMatrixView;
  auto* left = new QWidget;
  auto* leftColumn = new QVBoxLayout(left);
  leftColumn->setContentsMargins(0, 0, 0, 0);
  leftColumn->addWidget(perClassLabel_);
  leftColumn->addWidget(perClass_, 1);
  auto* right = new QWidget;
  auto* rightColumn = new QVBoxLayout(right);
  rightColumn->setContentsMargins(0, 0, 0, 0);
  auto* confusionHeader = new QHBoxLayout;
  confusionHeader->addWidget(confusionLabel_);
  confusionHeader->addStretch(1);
  confusionHeader->addWidget(protocol_);
  rightColumn->addLayout(confusionHeader);
  rightColumn->addWidget(confusion_, 1);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(right);
  split->setChildrenCollapsible(false);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);

  auto* column = new QVBoxLayout(this);
  column->addLayout(form);
  column->addLayout(runRow);
  column->addWidget(status_);
  column->addWidget(scores_);
  column->addWidget(split, 1);

  connect(browse_, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a run or checkpoint folder"), path_->text());
    if (!dir.isEmpty()) setCheckpoint(dir);
  });
  connect(run_, &QPushButton::clicked, this, [this] { start(); });
  connect(cancel_, &QPushButton::clicked, this, &EvalView::cancel);
  connect(protocol_, &QComboBox::currentIndexChanged, this, &EvalView::showConfusion);
}

void EvalView::retranslate() {
  setWindowTitle(tr("Evaluate a checkpoint"));
  pathLabel_->setText(tr("Checkpoint"));
  path_->setPlaceholderText(tr("a run folder, a checkpoint folder or an exported .safetensors"));
  browse_->setText(tr("Browse…"));
  knn_->setText(tr("kNN"));
  linear_->setText(tr("Linear probe"));
  trainLabel_->setText(tr("Train images"));
  testLabel_->setText(tr("Test images"));
  maxTrain_->setSpecialValueText(tr("all"));
  maxTest_->setSpecialValueText(tr("all"));
  epochsLabel_->setText(tr("Probe epochs"));
  run_->setText(tr("Evaluate"));
  cancel_->setText(tr("Cancel"));
  protocol_->setItemText(0, tr("kNN"));
  protocol_->setItemText(1, tr("Linear probe"));
  perClassLabel_->setText(tr("Top-1 per class"));
  confusionLabel_->setText(tr("Confusion matrix (rows: true class)"));
  if (hasReport_) showReport(report_);
}

void EvalView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

QString EvalView::checkpoint() const { return path_->text().trimmed(); }
QString EvalView::statusText() const { return status_->text(); }

void EvalView::setImageLimits(qint64 maxTrain, qint64 maxTest) {
  maxTrain_->setValue(static_cast<int>(maxTrain));
  maxTest_->setValue(static_cast<int>(maxTest));
}

void EvalView::setCheckpoint(const QString& path) {
  path_->setText(QDir::toNativeSeparators(path));
  hasReport_ = false;
  scores_->clear();
  perClass_->setData({}, {});
  confusion_->setMatrix({}, {});
  status_->clear();
  const QString run = runFolderOf(path);
  if (run.isEmpty()) return;
  try {
    const auto reports = can::eval::read_eval_json(can::eval::eval_json_path(run.toStdString()));
    if (!reports.empty()) {
      showReport(reports.back());  // sorted by step: the latest checkpoint's
      status_->setText(tr("Recorded in %1").arg(QDir::toNativeSeparators(QDir(run).filePath("eval.json"))));
    }
  } catch (const std::exception& e) {
    status_->setText(QString::fromStdString(e.what()));
  }
}

bool EvalView::start() {
  if (task_) return false;
  if (checkpoint().isEmpty() || (!knn_->isChecked() && !linear_->isChecked())) {
    status_->setText(checkpoint().isEmpty() ? tr("Choose a checkpoint first") : tr("Choose kNN or the linear probe"));
    return false;
  }
  can::eval::EvalRequest request;
  request.checkpoint = QDir::fromNativeSeparators(checkpoint()).toStdString();
  request.knn = knn_->isChecked();
  request.linear = linear_->isChecked();
  request.max_train = maxTrain_->value();
  request.max_test = maxTest_->value();
  request.probe.epochs = epochs_->value();
  task_ = new EvalTask(request, runFolderOf(QDir::fromNativeSeparators(checkpoint())), this);
  connect(task_, &EvalTask::progress, this, &EvalView::onProgress);
  connect(task_, &EvalTask::done, this, &EvalView::onDone);
  status_->setText(tr("Loading…"));
  progress_->setRange(0, 0);
  task_->start();
  updateRunning();
  return true;
}

void EvalView::cancel() {
  if (!task_) return;
  task_->cancel();
  status_->setText(tr("Cancelling…"));
}

void EvalView::updateRunning() {
  const bool busy = task_ != nullptr;
  run_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  for (QWidget* w : std::initializer_list<QWidget*>{path_, browse_, knn_, linear_, maxTrain_, maxTest_, epochs_})
    w->setEnabled(!busy);
  progress_->setVisible(busy);
}

void EvalView::onProgress(const QString& stage, qint64 done, qint64 total) {
  const QMap<QString, QString> names = {{"train features", tr("Features of the train split")},
                                        {"test features", tr("Features of the test split")},
                                        {"knn", tr("kNN")},
                                        {"linear probe", tr("Linear probe (epochs)")}};
  if (task_ && !status_->text().startsWith(tr("Cancelling…")))
    status_->setText(tr("%1: %2 of %3").arg(names.value(stage, stage)).arg(done).arg(total));
  progress_->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
  progress_->setValue(static_cast<int>(std::min(done, total)));
}

void EvalView::onDone(const QString& error, bool cancelled) {
  EvalTask* task = task_;
  task_ = nullptr;
  task->wait();
  if (error.isEmpty()) {
    showReport(task->report());
    const QString run = runFolderOf(QDir::fromNativeSeparators(checkpoint()));
    status_->setText(run.isEmpty()
                         ? tr("Done")
                         : tr("Done; recorded in %1").arg(QDir::toNativeSeparators(QDir(run).filePath("eval.json"))));
  } else {
    status_->setText(cancelled ? tr("Cancelled: nothing was recorded") : error);
  }
  task->deleteLater();
  updateRunning();
  Q_EMIT finished(error, cancelled);
}

void EvalView::showReport(const can::eval::EvalReport& report) {
  report_ = report;
  hasReport_ = true;
  QStringList parts;
  if (report.knn) parts << tr("kNN top-1 %1").arg(percent(report.knn->top1));
  if (report.linear) parts << tr("linear probe top-1 %1").arg(percent(report.linear->top1));
  scores_->setText(parts.join(QStringLiteral("   ·   ")));
  scores_->setToolTip(tr("step %1 · %2 · %3 train / %4 test images · %5 s")
                          .arg(report.step)
                          .arg(QString::fromStdString(report.dataset))
                          .arg(report.train_images)
                          .arg(report.test_images)
                          .arg(report.seconds, 0, 'f', 1));
  QStringList names;
  for (const auto& n : report.class_names) names << QString::fromStdString(n);
  QVector<PerClassChart::Series> series;
  if (report.knn)
    series.push_back(
        {tr("kNN"), QVector<double>(report.knn->per_class_top1.begin(), report.knn->per_class_top1.end())});
  if (report.linear)
    series.push_back({tr("Linear probe"),
                      QVector<double>(report.linear->per_class_top1.begin(), report.linear->per_class_top1.end())});
  perClass_->setData(names, series);
  if (!report.knn && report.linear) protocol_->setCurrentIndex(1);
  if (report.knn && !report.linear) protocol_->setCurrentIndex(0);
  showConfusion();
}

void EvalView::showConfusion() {
  if (!hasReport_) return;
  const auto& scores = protocol_->currentIndex() == 1 ? report_.linear : report_.knn;
  QStringList names;
  for (const auto& n : report_.class_names) names << QString::fromStdString(n);
  QVector<QVector<qint64>> matrix;
  if (scores)
    for (const auto& row : scores->confusion) matrix.push_back(QVector<qint64>(row.begin(), row.end()));
  confusion_->setMatrix(names, matrix);
}
