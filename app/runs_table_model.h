#pragma once
// The runs browser's table: one row per run folder (can::runs::RunSummary), and the filter
// that narrows it by free text and by tag. Sorting uses numbers, not the shown text (steps,
// start time, losses and scores sort as values; a run without a score sorts last).

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <vector>

#include "core/experiments/run_scan.h"

class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kName, kStarted, kMode, kSteps, kStatus, kLoss, kKnn, kLinear, kTags, kNote, kColumns };
  static constexpr int kSortRole = Qt::UserRole + 1;
  static constexpr int kPathRole = Qt::UserRole + 2;

  explicit RunsTableModel(QObject* parent = nullptr);

  // Replaces the rows (a rescan); the view's selection is kept by path by the browser.
  void setRuns(std::vector<can::runs::RunSummary> runs);
  const std::vector<can::runs::RunSummary>& runs() const { return runs_; }
  const can::runs::RunSummary* run(int row) const;
  int rowOfPath(const QString& path) const;  // -1 when not listed
  // Every tag of every run, sorted, once each.
  QStringList allTags() const;

  // The status as the table shows it, translated.
  static QString statusText(can::runs::RunState state);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<can::runs::RunSummary> runs_;
};

// Rows whose name, mode, dataset, status, tags or note contain the text (case-insensitive),
// and that carry the tag when one is chosen.
class RunsFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setText(const QString& text);
  void setTag(const QString& tag);  // "" = any

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString text_, tag_;
};
