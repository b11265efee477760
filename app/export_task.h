#pragma once
// Exports a checkpoint's encoder (safetensors with timm names + architecture JSON) on a
// thread of its own, so that loading a large checkpoint never freezes the window.

#include <QString>
#include <QThread>

class ExportTask : public QThread {
  Q_OBJECT

 public:
  ExportTask(QString checkpoint, QString outPath, QObject* parent = nullptr);

 Q_SIGNALS:
  void done(const QString& error);  // "" on success; queued to the receiver's thread

 protected:
  void run() override;

 private:
  QString checkpoint_, outPath_;
};
