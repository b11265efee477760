#pragma once
// The message of the exception being handled, for a window's error line or a task's done():
// LibTorch's errors without their C++ backtrace (which means nothing to a user), others as
// they are. Call it only inside a catch block.

#include <QString>

#include <c10/util/Exception.h>

#include <exception>

inline QString currentErrorText() {
  try {
    throw;
  } catch (const c10::Error& e) {
    return QString::fromStdString(e.what_without_backtrace());
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  } catch (...) {
    return QStringLiteral("unknown error");
  }
}
