#include "app/runs_browser.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShowEvent>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "app/runs_table_model.h"
#include "core/experiments/run_notes.h"

namespace {
constexpr int kRefreshMs = 3000;  // a sweep's run takes minutes; a scan of 500 runs well under 1 s
}

RunsBrowser::RunsBrowser(const QString& runsRoot, QWidget* parent) : QWidget(parent), root_(runsRoot) {
  build();
  retranslate();
  refresh_ = new QTimer(this);
  refresh_->setInterval(kRefreshMs);
  connect(refresh_, &QTimer::timeout, this, [this] {
    if (isVisible()) rescan();
  });
  refresh_->start();
}

RunsBrowser::~RunsBrowser() {
  if (watcher_) watcher_->waitForFinished();  // the scan's result has nowhere to go after this
}

std::vector<can::runs::RunSummary> RunsBrowser::scanTree(const QString& root) {
  std::vector<can::runs::RunSummary> runs = can::runs::scan_runs(root.toStdString());
  // A sweep's folder is not a run but holds one per grid point: list those as "sweep/point".
  const QDir dir(root);
  for (const QFileInfo& sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    if (!QFileInfo::exists(QDir(sub.filePath()).filePath("sweep.jsonl")) &&
        !QFileInfo(QDir(sub.filePath()).filePath("configs")).isDir())
      continue;
    if (can::runs::looks_like_run(sub.filePath().toStdString())) continue;
    for (auto& r : can::runs::scan_runs(sub.filePath().toStdString())) {
      r.name = sub.fileName().toStdString() + "/" + r.name;
      runs.push_back(std::move(r));
    }
  }
  std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.started > b.started; });
  return runs;
}

void RunsBrowser::build() {
  model_ = new RunsTableModel(this);
  filter_ = new RunsFilter(this);
  filter_->setSourceModel(model_);
  filter_->setSortRole(RunsTableModel::kSortRole);
  filter_->setDynamicSortFilter(true);

  search_ = new QLineEdit;
  search_->setObjectName("runsSearch");
  search_->setClearButtonEnabled(true);
  tagCombo_ = new QComboBox;
  tagCombo_->setObjectName("runsTagFilter");
  tagCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  tagCombo_->setMinimumContentsLength(8);  // a long tag elides instead of widening the dock
  countLabel_ = new QLabel;
  auto* filterRow = new QHBoxLayout;
  filterRow->addWidget(search_, 1);
  filterRow->addWidget(tagCombo_);
  filterRow->addWidget(countLabel_);

  table_ = new QTableView;
  table_->setObjectName("runsTable");
  table_->setModel(filter_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(RunsTableModel::kStarted, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  // Sweep runs share their prefix ("sweep/loss.sigma_max=..."): keep both ends readable.
  table_->setTextElideMode(Qt::ElideMiddle);
  table_->setAlternatingRowColors(true);

  // Three rows of two: wider rows would set the dock's least width past a laptop's (German).
  auto* buttons = new QGridLayout;
  int slot = 0;
  for (QPushButton** b : {&openButton_, &compareButton_, &evalButton_, &sweepButton_, &revealButton_, &deleteButton_}) {
    *b = new QPushButton;
    buttons->addWidget(*b, slot / 2, slot % 2);
    ++slot;
  }
  openButton_->setObjectName("runsOpen");
  compareButton_->setObjectName("runsCompare");
  evalButton_->setObjectName("runsEvaluate");
  sweepButton_->setObjectName("runsSweep");
  revealButton_->setObjectName("runsReveal");
  deleteButton_->setObjectName("runsDelete");

  tagsLabel_ = new QLabel;
  noteLabel_ = new QLabel;
  tagsEdit_ = new QLineEdit;
  tagsEdit_->setObjectName("runsTagsEdit");
  noteEdit_ = new QPlainTextEdit;
  noteEdit_->setObjectName("runsNoteEdit");
  noteEdit_->setMaximumHeight(64);
  saveNotesButton_ = new QPushButton;
  saveNotesButton_->setObjectName("runsSaveNotes");
  auto* notes = new QGridLayout;
  notes->addWidget(tagsLabel_, 0, 0);
  notes->addWidget(tagsEdit_, 0, 1);
  notes->addWidget(saveNotesButton_, 0, 2);
  notes->addWidget(noteLabel_, 1, 0, Qt::AlignTop);
  notes->addWidget(noteEdit_, 1, 1, 1, 2);
  notes->setColumnStretch(1, 1);

  auto* column = new QVBoxLayout(this);
  column->addLayout(filterRow);
  column->addWidget(table_, 1);
  column->addLayout(buttons);
  column->addLayout(notes);

  connect(search_, &QLineEdit::textChanged, this, &RunsBrowser::setFilterText);
  connect(tagCombo_, &QComboBox::activated, this,
          [this](int i) { filter_->setTag(i <= 0 ? QString() : tagCombo_->itemText(i)); });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    updateButtons();
    onCurrentChanged();
  });
  connect(table_, &QTableView::doubleClicked, this, [this] {
    if (selectedRuns().size() == 1) Q_EMIT openRequested(selectedRuns().front());
  });
  connect(openButton_, &QPushButton::clicked, this, [this] {
    if (selectedRuns().size() == 1) Q_EMIT openRequested(selectedRuns().front());
  });
  connect(compareButton_, &QPushButton::clicked, this, [this] { Q_EMIT compareRequested(selectedRuns()); });
  connect(evalButton_, &QPushButton::clicked, this, [this] {
    if (selectedRuns().size() == 1) Q_EMIT evaluateRequested(selectedRuns().front());
  });
  connect(sweepButton_, &QPushButton::clicked, this, [this] { Q_EMIT sweepRequested(); });
  connect(revealButton_, &QPushButton::clicked, this, [this] {
    for (const QString& path : selectedRuns()) QDesktopServices::openUrl(QUrl::fromLocalFile(path));
  });
  connect(deleteButton_, &QPushButton::clicked, this, [this] {
    QString error;
    for (const QString& path : selectedRuns())
      if (!deleteRun(path, true, &error) && !error.isEmpty()) QMessageBox::warning(this, tr("Delete run"), error);
  });
  connect(saveNotesButton_, &QPushButton::clicked, this, [this] {
    QString error;
    if (!saveNotes(tagsEdit_->text(), noteEdit_->toPlainText(), &error))
      QMessageBox::warning(this, tr("Save notes"), error);
  });
  updateButtons();
}

void RunsBrowser::retranslate() {
  search_->setPlaceholderText(tr("Filter by name, mode, status, tag or note"));
  openButton_->setText(tr("Open"));
  openButton_->setToolTip(tr("Load the run's latest checkpoint; Start continues it"));
  compareButton_->setText(tr("Compare"));
  compareButton_->setToolTip(tr("Overlay the selected runs' curves and list the settings that differ"));
  evalButton_->setText(tr("Evaluate…"));
  evalButton_->setToolTip(tr("kNN and linear probe on the run's latest checkpoint"));
  sweepButton_->setText(tr("Sweep…"));
  revealButton_->setText(tr("Show folder"));
  deleteButton_->setText(tr("Delete…"));
  tagsLabel_->setText(tr("Tags"));
  noteLabel_->setText(tr("Note"));
  tagsEdit_->setPlaceholderText(tr("comma-separated, e.g. baseline, sigma"));
  saveNotesButton_->setText(tr("Save notes"));
  updateTagChoices();
  countLabel_->setText(tr("%n run(s)", nullptr, model_->rowCount()));
}

void RunsBrowser::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void RunsBrowser::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  rescan();
}

void RunsBrowser::rescanNow() { apply(scanTree(root_)); }

void RunsBrowser::rescan() {
  if (watcher_ && watcher_->isRunning()) return;
  if (!watcher_) {
    watcher_ = new QFutureWatcher<std::vector<can::runs::RunSummary>>(this);
    connect(watcher_, &QFutureWatcherBase::finished, this, [this] { apply(watcher_->result()); });
  }
  watcher_->setFuture(QtConcurrent::run([root = root_] { return scanTree(root); }));
}

void RunsBrowser::apply(std::vector<can::runs::RunSummary> runs) {
  const QStringList selected = selectedRuns();
  const bool first = model_->rowCount() == 0;
  model_->setRuns(std::move(runs));
  if (first && model_->rowCount() > 0) {
    // Fit the columns to what the runs say once; later rescans keep the user's widths.
    table_->resizeColumnsToContents();
    const int most = std::max(160, table_->viewport()->width() / 2);
    if (table_->columnWidth(RunsTableModel::kName) > most) table_->setColumnWidth(RunsTableModel::kName, most);
  }
  selectRuns(selected);
  updateTagChoices();
  countLabel_->setText(tr("%n run(s)", nullptr, model_->rowCount()));
  updateButtons();
}

void RunsBrowser::updateTagChoices() {
  const QString current = tagCombo_->currentIndex() > 0 ? tagCombo_->currentText() : QString();
  tagCombo_->clear();
  tagCombo_->addItem(tr("All tags"));
  tagCombo_->addItems(model_->allTags());
  const int i = tagCombo_->findText(current);
  tagCombo_->setCurrentIndex(current.isEmpty() || i < 0 ? 0 : i);
  if (i < 0 && !current.isEmpty()) filter_->setTag(QString());
}

void RunsBrowser::setFilterText(const QString& text) {
  if (search_->text() != text) search_->setText(text);
  filter_->setText(text);
}

void RunsBrowser::setFilterTag(const QString& tag) {
  filter_->setTag(tag);
  const int i = tagCombo_->findText(tag);
  tagCombo_->setCurrentIndex(tag.isEmpty() || i < 0 ? 0 : i);
}

QStringList RunsBrowser::selectedRuns() const {
  QStringList out;
  QModelIndexList rows = table_->selectionModel()->selectedRows();
  std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
  for (const QModelIndex& i : rows) out << i.data(RunsTableModel::kPathRole).toString();
  return out;
}

void RunsBrowser::selectRuns(const QStringList& paths) {
  QItemSelection selection;
  for (const QString& path : paths) {
    const int row = model_->rowOfPath(path);
    if (row < 0) continue;
    const QModelIndex i = filter_->mapFromSource(model_->index(row, 0));
    if (i.isValid()) selection.select(i, i.siblingAtColumn(RunsTableModel::kColumns - 1));
  }
  table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RunsBrowser::updateButtons() {
  const int n = static_cast<int>(selectedRuns().size());
  openButton_->setEnabled(n == 1);
  evalButton_->setEnabled(n == 1);
  compareButton_->setEnabled(n >= 1);
  revealButton_->setEnabled(n >= 1);
  deleteButton_->setEnabled(n >= 1);
  saveNotesButton_->setEnabled(n == 1);
  tagsEdit_->setEnabled(n == 1);
  noteEdit_->setEnabled(n == 1);
}

void RunsBrowser::onCurrentChanged() {
  const QStringList selected = selectedRuns();
  const QString path = selected.size() == 1 ? selected.front() : QString();
  if (path == notesShownFor_) return;  // a rescan must not overwrite what is being typed
  notesShownFor_ = path;
  const auto* r = model_->run(model_->rowOfPath(path));
  QStringList tags;
  if (r)
    for (const auto& t : r->tags) tags << QString::fromStdString(t);
  tagsEdit_->setText(tags.join(QStringLiteral(", ")));
  noteEdit_->setPlainText(r ? QString::fromStdString(r->note) : QString());
}

bool RunsBrowser::saveNotes(const QString& tags, const QString& note, QString* error) {
  const QStringList selected = selectedRuns();
  if (selected.size() != 1) {
    if (error) *error = tr("Select one run");
    return false;
  }
  can::runs::RunNotes notes;
  for (const QString& t : tags.split(',')) notes.tags.push_back(t.toStdString());
  notes.note = note.toStdString();
  try {
    can::runs::write_run_notes(selected.front().toStdString(), notes);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  notesShownFor_.clear();  // show what was saved (trimmed, de-duplicated) after the rescan
  rescanNow();
  Q_EMIT message(tr("Notes saved in %1").arg(QDir::toNativeSeparators(selected.front())));
  return true;
}

bool RunsBrowser::deleteRun(const QString& path, bool ask, QString* error) {
  if (ask && QMessageBox::question(this, tr("Delete run"),
                                   tr("Delete the run folder %1 and everything in it? This cannot be undone.")
                                       .arg(QDir::toNativeSeparators(path)),
                                   QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
    return false;
  try {
    can::runs::remove_run(path.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  rescanNow();
  Q_EMIT message(tr("Deleted %1").arg(QDir::toNativeSeparators(path)));
  return true;
}
