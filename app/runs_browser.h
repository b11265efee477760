#pragma once
// The runs browser (a dock): every run under the runs folder, and the runs of the sweeps
// in it (a sub-folder with a sweep.jsonl), with their status, progress, final losses,
// scores, tags and note. Sort by any column, filter by text and tag; open (continue),
// compare, evaluate, reveal or delete runs; edit the tags and note of the current run
// (saved in its notes.json). The folder is rescanned off the GUI thread every few seconds
// while the dock is visible, so a running run or a sweep's progress shows as it goes.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/experiments/run_scan.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;
class RunsFilter;
class RunsTableModel;
template <typename T>
class QFutureWatcher;

class RunsBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit RunsBrowser(const QString& runsRoot, QWidget* parent = nullptr);
  ~RunsBrowser() override;

  // The runs under root and in its sweeps' folders, newest first. Never throws: a run that
  // cannot be read lists with its problems.
  static std::vector<can::runs::RunSummary> scanTree(const QString& root);

  // Scans now, on the calling thread (tests, and before a screenshot).
  void rescanNow();
  // Scans in the background; the table updates when done.
  void rescan();
  RunsTableModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  void setFilterText(const QString& text);
  void setFilterTag(const QString& tag);
  // The selected runs' folders, in the table's order.
  QStringList selectedRuns() const;
  void selectRuns(const QStringList& paths);
  // Saves the tags (comma-separated) and note of the current run; false with the reason.
  bool saveNotes(const QString& tags, const QString& note, QString* error = nullptr);
  // Deletes the run after asking (ask = false: tests); false with the reason when refused.
  bool deleteRun(const QString& path, bool ask = true, QString* error = nullptr);

 Q_SIGNALS:
  void openRequested(const QString& runDir);
  void compareRequested(const QStringList& runDirs);
  void evaluateRequested(const QString& runDir);
  void sweepRequested();
  void message(const QString& text);

 protected:
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void build();
  void retranslate();
  void apply(std::vector<can::runs::RunSummary> runs);
  void onCurrentChanged();
  void updateButtons();
  void updateTagChoices();

  QString root_;
  RunsTableModel* model_ = nullptr;
  RunsFilter* filter_ = nullptr;
  QTableView* table_ = nullptr;
  QLineEdit *search_ = nullptr, *tagsEdit_ = nullptr;
  QComboBox* tagCombo_ = nullptr;
  QPlainTextEdit* noteEdit_ = nullptr;
  QLabel *countLabel_ = nullptr, *tagsLabel_ = nullptr, *noteLabel_ = nullptr;
  QPushButton *openButton_ = nullptr, *compareButton_ = nullptr, *evalButton_ = nullptr, *sweepButton_ = nullptr,
              *revealButton_ = nullptr, *deleteButton_ = nullptr, *saveNotesButton_ = nullptr;
  QTimer* refresh_ = nullptr;
  QFutureWatcher<std::vector<can::runs::RunSummary>>* watcher_ = nullptr;
  QString notesShownFor_;  // the run whose notes are in the editors
};
