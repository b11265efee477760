#include "app/runs_table_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using can::runs::RunState;
using can::runs::RunSummary;

namespace {

QString joined(const std::vector<std::string>& items, const QString& separator) {
  QStringList out;
  for (const auto& s : items) out << QString::fromStdString(s);
  return out.join(separator);
}

std::optional<double> finalValue(const RunSummary& r, const char* key) {
  const auto it = r.final_values.find(key);
  if (it == r.final_values.end() || !std::isfinite(it->second)) return std::nullopt;
  return it->second;
}

}  // namespace

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsTableModel::setRuns(std::vector<RunSummary> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  endResetModel();
}

const RunSummary* RunsTableModel::run(int row) const {
  return row >= 0 && row < static_cast<int>(runs_.size()) ? &runs_[static_cast<size_t>(row)] : nullptr;
}

int RunsTableModel::rowOfPath(const QString& path) const {
  for (size_t i = 0; i < runs_.size(); ++i)
    if (QString::fromStdString(runs_[i].path) == path) return static_cast<int>(i);
  return -1;
}

QStringList RunsTableModel::allTags() const {
  std::set<QString> tags;
  for (const auto& r : runs_)
    for (const auto& t : r.tags) tags.insert(QString::fromStdString(t));
  return QStringList(tags.begin(), tags.end());
}

QString RunsTableModel::statusText(RunState state) {
  switch (state) {
    case RunState::kRunning:
      return tr("running");
    case RunState::kFinished:
      return tr("finished");
    case RunState::kStopped:
      return tr("stopped");
    case RunState::kFailed:
      return tr("failed");
    case RunState::kInterrupted:
      return tr("interrupted");
    case RunState::kEmpty:
      break;
  }
  return tr("empty");
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumns; }

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  const RunSummary* r = run(index.row());
  if (!r) return {};
  const auto score = [](const std::optional<double>& v) -> QVariant {
    return v ? QVariant(QString::number(*v * 100.0, 'f', 1) + QStringLiteral("%")) : QVariant();
  };
  // Missing numbers sort below every value, whatever the direction (the view sorts the role).
  const double none = -std::numeric_limits<double>::infinity();
  if (role == kPathRole) return QString::fromStdString(r->path);
  if (role == kSortRole) {
    switch (index.column()) {
      case kStarted:
        return static_cast<qlonglong>(r->started);
      case kSteps:
        return static_cast<qlonglong>(r->steps_done);
      case kStatus:
        return static_cast<int>(r->state);
      case kLoss:
        return finalValue(*r, "loss").value_or(none);
      case kKnn:
        return r->knn_top1.value_or(none);
      case kLinear:
        return r->linear_top1.value_or(none);
      default:
        return data(index, Qt::DisplayRole).toString().toLower();
    }
  }
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kName:
        return QString::fromStdString(r->name);
      case kStarted:
        // ISO order, short: sorts and reads the same in every language.
        return r->started > 0 ? QDateTime::fromSecsSinceEpoch(r->started).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                              : QString();
      case kMode:
        return QString::fromStdString(r->mode);
      case kSteps:
        return r->total_steps > 0 ? QString("%1 / %2").arg(r->steps_done).arg(r->total_steps)
                                  : QString::number(r->steps_done);
      case kStatus:
        return statusText(r->state) + (r->problems.empty() ? QString() : QStringLiteral(" ⚠"));
      case kLoss: {
        const auto loss = finalValue(*r, "loss");
        return loss ? QVariant(QString::number(*loss, 'g', 4)) : QVariant();
      }
      case kKnn:
        return score(r->knn_top1);
      case kLinear:
        return score(r->linear_top1);
      case kTags:
        return joined(r->tags, QStringLiteral(", "));
      case kNote:
        return QString::fromStdString(r->note).section('\n', 0, 0);
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    QStringList lines{QString::fromStdString(r->path)};
    if (!r->dataset.empty()) lines << tr("Dataset: %1").arg(QString::fromStdString(r->dataset));
    for (const char* key : {"loss_infonce", "loss_rec", "loss_denoise"})
      if (const auto v = finalValue(*r, key)) lines << QString("%1 = %2").arg(key).arg(*v, 0, 'g', 4);
    for (const auto& p : r->problems) lines << QStringLiteral("⚠ ") + QString::fromStdString(p);
    if (!r->note.empty()) lines << QString::fromStdString(r->note);
    return lines.join('\n');
  }
  if (role == Qt::ForegroundRole && index.column() == kStatus) {
    switch (r->state) {
      case RunState::kRunning:
        return QBrush(QColor(0x1f, 0x77, 0xb4));
      case RunState::kFailed:
        return QBrush(QColor(0xc0, 0x20, 0x20));
      case RunState::kInterrupted:
        return QBrush(QColor(0xb0, 0x60, 0x00));
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole &&
      (index.column() == kSteps || index.column() == kLoss || index.column() == kKnn || index.column() == kLinear))
    return int(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Run");
    case kStarted:
      return tr("Started");
    case kMode:
      return tr("Mode");
    case kSteps:
      return tr("Steps");
    case kStatus:
      return tr("Status");
    case kLoss:
      return tr("Loss");
    case kKnn:
      return tr("kNN top-1");
    case kLinear:
      return tr("Linear top-1");
    case kTags:
      return tr("Tags");
    case kNote:
      return tr("Note");
    default:
      return {};
  }
}

void RunsFilter::setText(const QString& text) {
  text_ = text.trimmed();
  invalidateFilter();
}

void RunsFilter::setTag(const QString& tag) {
  tag_ = tag;
  invalidateFilter();
}

bool RunsFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
  const auto* model = qobject_cast<const RunsTableModel*>(sourceModel());
  const RunSummary* r = model ? model->run(sourceRow) : nullptr;
  if (!r) return false;
  if (!tag_.isEmpty() && std::none_of(r->tags.begin(), r->tags.end(),
                                      [this](const std::string& t) { return QString::fromStdString(t) == tag_; }))
    return false;
  if (text_.isEmpty()) return true;
  QStringList haystack{QString::fromStdString(r->name), QString::fromStdString(r->mode),
                       QString::fromStdString(r->dataset), RunsTableModel::statusText(r->state),
                       QString::fromStdString(r->note)};
  for (const auto& t : r->tags) haystack << QString::fromStdString(t);
  return haystack.join('\n').contains(text_, Qt::CaseInsensitive);
}
