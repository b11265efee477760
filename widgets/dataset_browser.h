#pragma once
// The Inspector's dataset browser: a grid of thumbnails with their labels, rendered lazily
// (only the rows the view asks for, cached), and a search box that takes an image index
// (shows every image and selects that one) or a class name (shows that class only). Knows
// nothing of the dataset's type: the caller gives functions for an image and a label.

#include <QAbstractListModel>
#include <QCache>
#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QListView;

class DatasetThumbnails : public QAbstractListModel {
  Q_OBJECT

 public:
  using ImageFn = std::function<QImage(qint64 index)>;
  using LabelFn = std::function<int(qint64 index)>;

  explicit DatasetThumbnails(QObject* parent = nullptr);
  void setDataset(qint64 size, ImageFn image, LabelFn label, const QStringList& classNames);
  // Shown rows: every image, or those of one class.
  void showAll();
  void showClass(int label);
  qint64 datasetIndex(int row) const { return row >= 0 && row < rows_.size() ? rows_[row] : -1; }
  int rowOf(qint64 index) const;  // -1 when not shown
  QString labelText(qint64 index) const;
  const QStringList& classNames() const { return classNames_; }
  qint64 size() const { return size_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

 private:
  qint64 size_ = 0;
  ImageFn image_;
  LabelFn label_;
  QStringList classNames_;
  QVector<qint64> rows_;
  mutable QCache<qint64, QImage> cache_{2000};
};

class DatasetBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetBrowser(QWidget* parent = nullptr);

  DatasetThumbnails* thumbnails() const { return model_; }
  void setDataset(qint64 size, DatasetThumbnails::ImageFn image, DatasetThumbnails::LabelFn label,
                  const QStringList& classNames);
  // What the search box does on Enter: an index selects that image (true when it exists),
  // a class name (case-insensitive, a unique prefix is enough) shows that class (true when
  // one matches); "" shows everything.
  bool search(const QString& text);
  // Selects an image (showing every image when its class is filtered out) and emits imageChosen.
  bool selectIndex(qint64 index);
  qint64 currentIndex() const { return current_; }
  QLineEdit* searchBox() const { return search_; }
  QListView* view() const { return view_; }
  QString statusText() const;

 Q_SIGNALS:
  void imageChosen(qint64 index);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();

  DatasetThumbnails* model_ = nullptr;
  QLineEdit* search_ = nullptr;
  QListView* view_ = nullptr;
  QLabel* status_ = nullptr;
  qint64 current_ = -1;
};
