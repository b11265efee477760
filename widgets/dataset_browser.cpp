#include "widgets/dataset_browser.h"

#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

#include <algorithm>

namespace {
constexpr int kThumb = 56;  // on screen; 28 px images at 2x
}

DatasetThumbnails::DatasetThumbnails(QObject* parent) : QAbstractListModel(parent) {}

void DatasetThumbnails::setDataset(qint64 size, ImageFn image, LabelFn label, const QStringList& classNames) {
  beginResetModel();
  size_ = size;
  image_ = std::move(image);
  label_ = std::move(label);
  classNames_ = classNames;
  cache_.clear();
  rows_.resize(size);
  for (qint64 i = 0; i < size; ++i) rows_[i] = i;
  endResetModel();
}

void DatasetThumbnails::showAll() {
  beginResetModel();
  rows_.resize(size_);
  for (qint64 i = 0; i < size_; ++i) rows_[i] = i;
  endResetModel();
}

void DatasetThumbnails::showClass(int label) {
  beginResetModel();
  rows_.clear();
  for (qint64 i = 0; i < size_; ++i)
    if (label_(i) == label) rows_.push_back(i);
  endResetModel();
}

int DatasetThumbnails::rowOf(qint64 index) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), index);  // rows_ stay sorted
  return it != rows_.end() && *it == index ? static_cast<int>(it - rows_.begin()) : -1;
}

QString DatasetThumbnails::labelText(qint64 index) const {
  const int l = label_ ? label_(index) : -1;
  return l >= 0 && l < classNames_.size() ? classNames_[l] : l >= 0 ? QString::number(l) : QString();
}

int DatasetThumbnails::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant DatasetThumbnails::data(const QModelIndex& index, int role) const {
  const qint64 i = datasetIndex(index.row());
  if (i < 0) return {};
  if (role == Qt::DisplayRole) return QString("%1 %2").arg(i).arg(labelText(i));
  // With uniform item sizes the view sizes every item like row 0: give one size that holds
  // the longest "index label" line, or "11 Ankle boot" is elided because "0 Ankle boot" is shorter.
  if (role == Qt::SizeHintRole) return QSize(kThumb + 60, kThumb + 22);
  if (role == Qt::ToolTipRole) return tr("Image %1: %2").arg(i).arg(labelText(i));
  if (role == Qt::DecorationRole) {
    if (QImage* hit = cache_.object(i)) return *hit;
    auto* img = new QImage(image_(i).scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::FastTransformation));
    const QImage copy = *img;
    cache_.insert(i, img);
    return copy;
  }
  return {};
}

DatasetBrowser::DatasetBrowser(QWidget* parent) : QWidget(parent) {
  model_ = new DatasetThumbnails(this);
  search_ = new QLineEdit;
  search_->setObjectName("inspectorSearch");
  search_->setClearButtonEnabled(true);
  view_ = new QListView;
  view_->setViewMode(QListView::IconMode);
  view_->setResizeMode(QListView::Adjust);
  view_->setMovement(QListView::Static);
  view_->setUniformItemSizes(true);  // lets the view lay out 60,000 rows without asking each
  view_->setIconSize({kThumb, kThumb});
  view_->setGridSize({kThumb + 64, kThumb + 26});  // one line under the image: "11 Ankle boot"
  view_->setWordWrap(false);
  view_->setModel(model_);
  status_ = new QLabel;
  status_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(search_);
  layout->addWidget(view_, 1);
  layout->addWidget(status_);
  connect(search_, &QLineEdit::returnPressed, this, [this] { search(search_->text()); });
  connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& cur) {
    const qint64 i = model_->datasetIndex(cur.row());
    if (i >= 0 && i != current_) {
      current_ = i;
      status_->setText(statusText());
      Q_EMIT imageChosen(i);
    }
  });
  retranslate();
}

void DatasetBrowser::setDataset(qint64 size, DatasetThumbnails::ImageFn image, DatasetThumbnails::LabelFn label,
                                const QStringList& classNames) {
  current_ = -1;
  model_->setDataset(size, std::move(image), std::move(label), classNames);
  status_->setText(statusText());
}

bool DatasetBrowser::selectIndex(qint64 index) {
  if (index < 0 || index >= model_->size()) return false;
  if (model_->rowOf(index) < 0) model_->showAll();
  const QModelIndex mi = model_->index(model_->rowOf(index));
  view_->setCurrentIndex(mi);
  view_->scrollTo(mi, QAbstractItemView::PositionAtCenter);
  return true;
}

bool DatasetBrowser::search(const QString& text) {
  const QString t = text.trimmed();
  bool ok = false;
  const qint64 index = t.toLongLong(&ok);
  bool found = false;
  if (t.isEmpty()) {
    model_->showAll();
    found = true;
  } else if (ok) {
    found = selectIndex(index);
  } else {
    const QStringList& names = model_->classNames();
    int match = -1, prefixes = 0;
    for (int c = 0; c < names.size(); ++c) {
      if (names[c].compare(t, Qt::CaseInsensitive) == 0) {
        match = c;
        prefixes = 1;
        break;
      }
      if (names[c].startsWith(t, Qt::CaseInsensitive)) {
        match = c;
        ++prefixes;
      }
    }
    found = prefixes == 1;
    if (found) {
      model_->showClass(match);
      if (model_->rowCount() > 0) view_->setCurrentIndex(model_->index(0));
    }
  }
  status_->setText(found ? statusText() : tr("No image or class matches “%1”").arg(t));
  return found;
}

QString DatasetBrowser::statusText() const {
  const QString shown = tr("%n image(s) shown", "", model_->rowCount());
  return current_ < 0 ? shown : tr("%1; image %2 (%3)").arg(shown).arg(current_).arg(model_->labelText(current_));
}

void DatasetBrowser::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void DatasetBrowser::retranslate() {
  search_->setPlaceholderText(tr("Index or class name, Enter"));
  search_->setToolTip(tr("An image index selects that image; a class name shows that class"));
  status_->setText(statusText());
}
