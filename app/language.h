#pragma once
// Runtime language switching: installs the studio's translation (built from translations/*.ts
// into the :/i18n resource) and Qt's own, then every widget gets a LanguageChange event
// and retranslates itself.

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTranslator>

class Language : public QObject {
  Q_OBJECT

 public:
  explicit Language(QObject* parent = nullptr);
  // "en", "de", "zh_CN": the languages the studio ships.
  static QStringList available();
  // The language's own name ("Deutsch", "简体中文"), for the menu.
  static QString nativeName(const QString& code);
  // Switches the application's language; false (and English stays) when the code is unknown
  // or its translation is missing.
  bool switchTo(const QString& code);
  QString current() const { return current_; }

 private:
  QTranslator studio_, qtbase_;
  QString current_ = "en";
};
