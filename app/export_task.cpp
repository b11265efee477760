#include "app/export_task.h"

#include "core/io/export.h"
#include "core/train/checkpoint.h"

ExportTask::ExportTask(QString checkpoint, QString outPath, QObject* parent)
    : QThread(parent), checkpoint_(std::move(checkpoint)), outPath_(std::move(outPath)) {
  connect(this, &QThread::finished, this, &QObject::deleteLater);
}

void ExportTask::run() {
  QString error;
  try {
    can::CanModel model = can::load_model(checkpoint_.toStdString());
    can::io::export_encoder(model, outPath_.toStdString());
  } catch (const c10::Error& e) {  // LibTorch's archive errors do not name the file
    error = QStringLiteral("%1: %2").arg(checkpoint_, QString::fromStdString(e.what_without_backtrace()).section('\n', 0, 0));
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  Q_EMIT done(error);
}
