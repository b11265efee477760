#include "app/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

Language::Language(QObject* parent) : QObject(parent) {}

QStringList Language::available() { return {"en", "de", "zh_CN"}; }

QString Language::nativeName(const QString& code) {
  if (code == "de") return QStringLiteral("Deutsch");
  if (code == "zh_CN") return QStringLiteral("简体中文");
  return QStringLiteral("English");
}

bool Language::switchTo(const QString& code) {
  if (!available().contains(code)) return false;
  QCoreApplication::removeTranslator(&studio_);
  QCoreApplication::removeTranslator(&qtbase_);
  // English loads a translation too: can_studio_en.ts holds only the plural forms of the
  // "%n run(s)" messages ("1 run", "2 runs"), which the source text cannot spell itself.
  const bool loaded = studio_.load(QStringLiteral(":/i18n/can_studio_%1.qm").arg(code));
  current_ = loaded ? code : QStringLiteral("en");
  if (!loaded) studio_.load(QStringLiteral(":/i18n/can_studio_en.qm"));
  QCoreApplication::installTranslator(&studio_);
  // Qt's own strings (standard buttons of dialogs), when the system has them.
  if (current_ != "en" &&
      qtbase_.load(QStringLiteral("qtbase_%1").arg(current_), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    QCoreApplication::installTranslator(&qtbase_);
  QLocale::setDefault(QLocale(current_ == "en" ? "en_US" : current_));
  return loaded;
}
