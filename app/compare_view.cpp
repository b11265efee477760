#include "app/compare_view.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <fstream>

#include <nlohmann/json.hpp>

#include "app/run_controller.h"
#include "core/experiments/config_diff.h"
#include "widgets/compare_plot.h"

namespace {

// "sweep/point" for a sweep's run, the folder's name otherwise: what the runs browser shows.
QString runName(const QString& runDir) {
  const QFileInfo info(runDir);
  const QDir parent = info.dir();
  return QFileInfo::exists(parent.filePath("sweep.jsonl")) ? parent.dirName() + "/" + info.fileName() : info.fileName();
}

// Images one optimizer step of this process consumes: train.batch_size x train.accum_steps
// of config.json (0 when unreadable; the curve then has no images axis).
double imagesPerStep(const QString& runDir) {
  std::ifstream f(QDir(runDir).filePath("config.json").toStdString(), std::ios::binary);
  if (!f) return 0.0;
  const nlohmann::json config = nlohmann::json::parse(f, nullptr, false);
  if (!config.is_object() || !config.contains("train") || !config["train"].is_object()) return 0.0;
  const auto& train = config["train"];
  const auto number = [&train](const char* key, double fallback) {
    return train.contains(key) && train[key].is_number() ? train[key].get<double>() : fallback;
  };
  return number("batch_size", 0.0) * number("accum_steps", 1.0);
}

}  // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  setObjectName("compareView");
  build();
  retranslate();
}

void CompareView::build() {
  plot_ = new ComparePlot;
  align_ = new QComboBox;
  align_->setObjectName("compareAlign");
  align_->addItems({QString(), QString(), QString()});
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setObjectName("compareSmoothing");
  smoothing_->setRange(0, 99);
  smoothing_->setValue(static_cast<int>(plot_->smoothing() * 100));
  smoothing_->setMaximumWidth(160);
  alignLabel_ = new QLabel;
  smoothingLabel_ = new QLabel;
  pngButton_ = new QPushButton;
  csvButton_ = new QPushButton;
  auto* controls = new QHBoxLayout;
  controls->addWidget(alignLabel_);
  controls->addWidget(align_);
  controls->addSpacing(12);
  controls->addWidget(smoothingLabel_);
  controls->addWidget(smoothing_);
  controls->addStretch(1);
  controls->addWidget(pngButton_);
  controls->addWidget(csvButton_);

  diff_ = new QTableWidget;
  diff_->setObjectName("configDiff");
  diff_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  diff_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  diff_->horizontalHeader()->setStretchLastSection(true);
  diff_->setWordWrap(false);
  diffLabel_ = new QLabel;
  message_ = new QLabel;
  message_->setWordWrap(true);
  message_->setStyleSheet("color: #a04000;");
  message_->hide();
  auto* lower = new QWidget;
  auto* lowerColumn = new QVBoxLayout(lower);
  lowerColumn->setContentsMargins(0, 0, 0, 0);
  lowerColumn->addWidget(diffLabel_);
  lowerColumn->addWidget(diff_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(plot_);
  split->addWidget(lower);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  split->setChildrenCollapsible(false);

  auto* column = new QVBoxLayout(this);
  column->addLayout(controls);
  column->addWidget(message_);
  column->addWidget(split, 1);

  connect(align_, &QComboBox::currentIndexChanged, this,
          [this](int i) { plot_->setAlign(static_cast<ComparePlot::Align>(std::max(0, i))); });
  connect(smoothing_, &QSlider::valueChanged, this, [this](int v) { plot_->setSmoothing(v / 100.0); });
  connect(pngButton_, &QPushButton::clicked, this, &CompareView::exportPng);
  connect(csvButton_, &QPushButton::clicked, this, &CompareView::exportCsv);
}

void CompareView::retranslate() {
  setWindowTitle(tr("Compare runs"));
  alignLabel_->setText(tr("Align by"));
  align_->setItemText(0, tr("step"));
  align_->setItemText(1, tr("epoch"));
  align_->setItemText(2, tr("images seen"));
  smoothingLabel_->setText(tr("Smoothing"));
  pngButton_->setText(tr("Export PNG…"));
  csvButton_->setText(tr("Export CSV…"));
  diffLabel_->setText(tr("Settings that differ"));
  fillDiff();
}

void CompareView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

bool CompareView::setRuns(const QStringList& runDirs) {
  runs_.clear();
  names_.clear();
  problems_.clear();
  QVector<CompareRun> loaded;
  for (const QString& dir : runDirs) {
    CompareRun run;
    run.name = runName(dir);
    try {
      const RunHistory history = loadRunHistory(dir, -1);
      run.points = history.points;
      for (const auto& m : history.markers) run.markers.push_back({m.step, m.text});
    } catch (const std::exception& e) {
      problems_ << tr("%1: cannot read its metrics: %2").arg(run.name, QString::fromStdString(e.what()));
      continue;
    }
    if (run.points.isEmpty()) {
      problems_ << tr("%1: no metrics yet").arg(run.name);
      continue;
    }
    run.imagesPerStep = imagesPerStep(dir);
    runs_ << dir;
    names_ << run.name;
    loaded.push_back(run);
  }
  plot_->setRuns(loaded);
  fillDiff();
  message_->setText(problems_.join('\n'));
  message_->setVisible(!problems_.isEmpty());
  return !runs_.isEmpty();
}

QString CompareView::messageText() const { return message_->text(); }

void CompareView::fillDiff() {
  diff_->clear();
  diff_->setRowCount(0);
  diff_->setColumnCount(runs_.size());
  QStringList headers;
  for (const QString& n : names_) headers << n;
  diff_->setHorizontalHeaderLabels(headers);
  for (int c = 0; c < names_.size(); ++c)
    if (auto* item = diff_->horizontalHeaderItem(c)) item->setForeground(ComparePlot::runColor(c));
  if (runs_.size() < 2) return;
  std::vector<can::runs::DiffRow> rows;
  std::vector<std::string> dirs;
  for (const QString& d : runs_) dirs.push_back(d.toStdString());
  try {
    rows = can::runs::run_config_diff(dirs);
  } catch (const std::exception& e) {
    diff_->setRowCount(1);
    diff_->setVerticalHeaderLabels({tr("error")});
    diff_->setItem(0, 0, new QTableWidgetItem(QString::fromStdString(e.what())));
    return;
  }
  diff_->setRowCount(static_cast<int>(rows.size()));
  QStringList keys;
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    keys << QString::fromStdString(rows[r].key);
    for (int c = 0; c < static_cast<int>(rows[r].values.size()) && c < diff_->columnCount(); ++c) {
      const auto& v = rows[r].values[c];
      auto* item = new QTableWidgetItem(v ? QString::fromStdString(*v) : tr("(absent)"));
      if (!v) item->setForeground(QColor(0x90, 0x90, 0x90));
      diff_->setItem(r, c, item);
    }
  }
  diff_->setVerticalHeaderLabels(keys);
  diff_->resizeColumnsToContents();
}

void CompareView::exportPng() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the overlay as PNG"), "compare.png",
                                                    tr("PNG images (*.png);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!plot_->exportPng(path, plot_->width(), plot_->height(), &error))
    QMessageBox::warning(this, tr("Export PNG"), error);
}

void CompareView::exportCsv() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export the overlay as CSV"), "compare.csv",
                                                    tr("CSV files (*.csv);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!plot_->exportCsv(path, &error)) QMessageBox::warning(this, tr("Export CSV"), error);
}
