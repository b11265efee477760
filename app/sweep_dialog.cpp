#include "app/sweep_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "core/config/settings_schema.h"
#include "core/experiments/sweep.h"

namespace {
constexpr int kPollMs = 2000;

std::vector<uint64_t> parseSeeds(const QString& text, QString* problem) {
  std::vector<uint64_t> seeds;
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const qulonglong v = part.trimmed().toULongLong(&ok);
    if (!ok) {
      *problem = SweepDialog::tr("seeds: '%1' is not a whole number").arg(part.trimmed());
      return {};
    }
    seeds.push_back(v);
  }
  return seeds;
}
}  // namespace

SweepDialog::SweepDialog(const QString& runsRoot, QWidget* parent) : QDialog(parent), runsRoot_(runsRoot) {
  setObjectName("sweepDialog");
  build();
  retranslate();
  setOutFolder(QDir(runsRoot_).filePath("sweep-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss")));
  addAxis("loss.sigma_max", "0.05,0.25,1.0");
}

SweepDialog::~SweepDialog() { stop(); }

void SweepDialog::build() {
  grid_ = new QTableWidget(0, 2);
  grid_->setObjectName("sweepGrid");
  grid_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  grid_->horizontalHeader()->setStretchLastSection(true);
  grid_->verticalHeader()->hide();
  addButton_ = new QPushButton;
  removeButton_ = new QPushButton;
  seeds_ = new QLineEdit("0,1");
  seeds_->setObjectName("sweepSeeds");
  out_ = new QLineEdit;
  out_->setObjectName("sweepOut");
  knn_ = new QCheckBox;
  linear_ = new QCheckBox;
  parallel_ = new QSpinBox;
  parallel_->setRange(1, std::max(1, QThread::idealThreadCount()));
  for (QLabel** l : {&gridLabel_, &seedsLabel_, &outLabel_, &evalLabel_, &parallelLabel_, &problem_, &count_})
    *l = new QLabel;
  problem_->setObjectName("sweepProblem");
  problem_->setWordWrap(true);
  problem_->setStyleSheet("color: #b00020;");
  startButton_ = new QPushButton;
  startButton_->setObjectName("sweepStart");
  stopButton_ = new QPushButton;
  progress_ = new QProgressBar;
  summary_ = new QTextBrowser;
  summary_->setObjectName("sweepSummary");

  auto* gridButtons = new QHBoxLayout;
  gridButtons->addWidget(addButton_);
  gridButtons->addWidget(removeButton_);
  gridButtons->addStretch(1);
  auto* form = new QGridLayout;
  form->addWidget(seedsLabel_, 0, 0);
  form->addWidget(seeds_, 0, 1);
  form->addWidget(evalLabel_, 0, 2);
  form->addWidget(knn_, 0, 3);
  form->addWidget(linear_, 0, 4);
  form->addWidget(parallelLabel_, 0, 5);
  form->addWidget(parallel_, 0, 6);
  form->addWidget(outLabel_, 1, 0);
  form->addWidget(out_, 1, 1, 1, 6);
  form->setColumnStretch(1, 1);
  auto* runRow = new QHBoxLayout;
  runRow->addWidget(count_);
  runRow->addWidget(progress_, 1);
  runRow->addWidget(startButton_);
  runRow->addWidget(stopButton_);
  auto* column = new QVBoxLayout(this);
  column->addWidget(gridLabel_);
  column->addWidget(grid_, 1);
  column->addLayout(gridButtons);
  column->addLayout(form);
  column->addWidget(problem_);
  column->addLayout(runRow);
  column->addWidget(summary_, 1);

  poll_ = new QTimer(this);
  poll_->setInterval(kPollMs);
  connect(poll_, &QTimer::timeout, this, &SweepDialog::poll);
  connect(addButton_, &QPushButton::clicked, this, [this] { addAxis(); });
  connect(removeButton_, &QPushButton::clicked, this, [this] {
    if (grid_->currentRow() >= 0) grid_->removeRow(grid_->currentRow());
    validate();
  });
  connect(grid_, &QTableWidget::cellChanged, this, &SweepDialog::validate);
  connect(seeds_, &QLineEdit::textChanged, this, &SweepDialog::validate);
  connect(startButton_, &QPushButton::clicked, this, [this] { start(); });
  connect(stopButton_, &QPushButton::clicked, this, &SweepDialog::stop);
  stopButton_->setEnabled(false);
  progress_->hide();
  summary_->hide();
}

void SweepDialog::retranslate() {
  setWindowTitle(tr("Sweep settings"));
  gridLabel_->setText(tr("Grid: each row is one setting and its values (comma-separated); every combination runs"));
  grid_->setHorizontalHeaderLabels({tr("Setting"), tr("Values")});
  addButton_->setText(tr("Add setting"));
  removeButton_->setText(tr("Remove setting"));
  seedsLabel_->setText(tr("Seeds"));
  evalLabel_->setText(tr("Evaluate"));
  knn_->setText(tr("kNN"));
  linear_->setText(tr("Linear probe"));
  parallelLabel_->setText(tr("Runs at once"));
  outLabel_->setText(tr("Folder"));
  startButton_->setText(tr("Start sweep"));
  stopButton_->setText(tr("Stop"));
  validate();
}

void SweepDialog::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QDialog::changeEvent(event);
}

void SweepDialog::setBase(const can::RunConfig& base) {
  base_ = base;
  validate();
}

void SweepDialog::addAxis(const QString& key, const QString& values) {
  const int row = grid_->rowCount();
  grid_->insertRow(row);
  auto* keys = new QComboBox;
  keys->setEditable(true);  // type to find among the schema's keys
  for (const auto& spec : can::settings_schema()) keys->addItem(QString::fromStdString(spec.key));
  keys->setCurrentText(key);
  connect(keys, &QComboBox::currentTextChanged, this, &SweepDialog::validate);
  grid_->setCellWidget(row, 0, keys);
  grid_->setItem(row, 1, new QTableWidgetItem(values));
  validate();
}

void SweepDialog::setSeeds(const QString& seeds) { seeds_->setText(seeds); }
void SweepDialog::setOutFolder(const QString& folder) { out_->setText(QDir::toNativeSeparators(folder)); }
QString SweepDialog::outFolder() const { return QDir::fromNativeSeparators(out_->text().trimmed()); }
QString SweepDialog::problemText() const { return problem_->text(); }
QString SweepDialog::summaryText() const { return summary_->toMarkdown(); }
bool SweepDialog::running() const { return process_ && process_->state() != QProcess::NotRunning; }

QStringList SweepDialog::sweepArguments(QString* problem) const {
  QString why;
  std::vector<can::sweep::GridAxis> axes;
  QStringList args;
  try {
    for (int r = 0; r < grid_->rowCount(); ++r) {
      const auto* keys = qobject_cast<QComboBox*>(grid_->cellWidget(r, 0));
      const QString key = keys ? keys->currentText().trimmed() : QString();
      const QString values = grid_->item(r, 1) ? grid_->item(r, 1)->text().remove(' ') : QString();
      const QString spec = key + "=" + values;
      axes.push_back(can::sweep::parse_axis(spec.toStdString()));
      args << "--grid" << spec;
    }
    const auto seeds = parseSeeds(seeds_->text(), &why);
    if (!why.isEmpty()) throw std::invalid_argument(why.toStdString());
    // The same expansion can-sweep runs: every point's config is set and validated here.
    const auto points = can::sweep::expand(base_, axes, seeds);
    const_cast<SweepDialog*>(this)->points_ = static_cast<int>(points.size());
    if (!seeds.empty()) args << "--seeds" << seeds_->text().remove(' ');
  } catch (const std::exception& e) {
    const_cast<SweepDialog*>(this)->points_ = 0;
    if (problem) *problem = QString::fromStdString(e.what());
    return {};
  }
  if (outFolder().isEmpty()) {
    if (problem) *problem = tr("Choose a folder for the sweep");
    return {};
  }
  QStringList eval;
  if (knn_->isChecked()) eval << "knn";
  if (linear_->isChecked()) eval << "linear";
  args << "--config" << QDir(outFolder()).filePath("base.json") << "--out" << outFolder();
  if (!eval.isEmpty()) args << "--eval" << eval.join(',');
  args << "--parallel" << QString::number(parallel_->value());
  return args;
}

void SweepDialog::validate() {
  QString problem;
  const QStringList args = sweepArguments(&problem);
  problem_->setText(problem);
  problem_->setVisible(!problem.isEmpty());
  count_->setText(args.isEmpty() ? QString() : tr("%n run(s)", nullptr, points_));
  startButton_->setEnabled(!args.isEmpty() && !running());
}

bool SweepDialog::start() {
  QString problem;
  const QStringList args = sweepArguments(&problem);
  if (args.isEmpty() || running()) {
    problem_->setText(running() ? tr("A sweep is running") : problem);
    problem_->show();
    return false;
  }
  const QString tool = tool_.isEmpty() ? QDir(QCoreApplication::applicationDirPath()).filePath("can-sweep") : tool_;
  try {
    QDir().mkpath(outFolder());
    can::save_run_config_file(base_, QDir(outFolder()).filePath("base.json").toStdString());
  } catch (const std::exception& e) {
    problem_->setText(QString::fromStdString(e.what()));
    problem_->show();
    return false;
  }
  if (!QFileInfo(tool).isExecutable()) {
    problem_->setText(tr("can-sweep not found next to the studio (%1)").arg(QDir::toNativeSeparators(tool)));
    problem_->show();
    return false;
  }
  delete process_;
  process_ = new QProcess(this);
  // can-sweep writes its own logs per run (DIR/logs); its console goes to one file.
  process_->setStandardOutputFile(QDir(outFolder()).filePath("can-sweep.log"), QIODevice::Append);
  process_->setStandardErrorFile(QDir(outFolder()).filePath("can-sweep.log"), QIODevice::Append);
  connect(process_, &QProcess::finished, this, &SweepDialog::onFinished);
  process_->start(tool, args);
  if (!process_->waitForStarted(5000)) {
    problem_->setText(tr("Cannot start %1: %2").arg(tool, process_->errorString()));
    problem_->show();
    return false;
  }
  progress_->setRange(0, std::max(1, points_));
  progress_->setValue(0);
  progress_->show();
  summary_->hide();
  startButton_->setEnabled(false);
  stopButton_->setEnabled(true);
  poll_->start();
  Q_EMIT sweepStarted(outFolder());
  return true;
}

void SweepDialog::stop() {
  if (!running()) return;
  process_->terminate();  // SIGTERM: can-sweep passes it on, each run saves a checkpoint
  if (!process_->waitForFinished(30000)) process_->kill();
}

void SweepDialog::poll() {
  QFile rows(QDir(outFolder()).filePath("sweep.jsonl"));
  int done = 0;
  if (rows.open(QIODevice::ReadOnly))
    for (const QByteArray& line : rows.readAll().split('\n'))
      if (!line.trimmed().isEmpty()) ++done;
  progress_->setValue(std::min(done, progress_->maximum()));
}

void SweepDialog::onFinished(int exitCode, QProcess::ExitStatus status) {
  poll_->stop();
  poll();
  stopButton_->setEnabled(false);
  startButton_->setEnabled(true);
  QFile summary(QDir(outFolder()).filePath("summary.md"));
  if (summary.open(QIODevice::ReadOnly)) {
    summary_->setMarkdown(QString::fromUtf8(summary.readAll()));
    summary_->show();
  }
  const int code = status == QProcess::NormalExit ? exitCode : 128;
  if (code != 0) {
    problem_->setText(code == 130 ? tr("Stopped; start the same sweep again to resume it")
                                  : tr("The sweep ended with code %1; see %2")
                                        .arg(code)
                                        .arg(QDir::toNativeSeparators(QDir(outFolder()).filePath("can-sweep.log"))));
    problem_->show();
  }
  Q_EMIT sweepFinished(outFolder(), code);
}
