// can-studio's command line, run as a process from the build tree: it is parsed the way the
// headless tools' is (core/util/cli_options.h), so an unknown option is refused by name with
// the nearest known one suggested and exit code 2, before any window is built; Qt's own
// options (-platform, -style) are taken by Qt first and are not refused.
#include <QtTest/QtTest>

namespace {

struct Run {
  int code = -1;
  QByteArray out, err;
  QStringList errLines() const { return QString::fromUtf8(err).split('\n'); }
};

// The studio of this build tree (tests/ and app/ are siblings in it).
QString studioExe() { return QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-studio"); }

// can-studio with `args`, its settings in `configHome` (XDG_CONFIG_HOME), offscreen.
Run runStudio(const QStringList& args, const QString& configHome) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("QT_QPA_PLATFORM", "offscreen");
  env.insert("XDG_CONFIG_HOME", configHome);
  p.setProcessEnvironment(env);
  p.start(studioExe(), args);
  Run r;
  if (!p.waitForFinished(60000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

}  // namespace

class TestStudioCli : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { QVERIFY2(QFileInfo::exists(studioExe()), qPrintable(studioExe())); }

  // Refused: exit 2, "can-studio: <why>" on a line of its own (Qt may print its own
  // warnings first), the usage after it, nothing on stdout (the unattended run's JSON line).
  void refusalsNameTheOption_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << QStringList{"--bogus"} << "can-studio: unknown option --bogus";
    QTest::newRow("misspelt") << QStringList{"--windw-size", "10x10"}
                              << "can-studio: unknown option --windw-size (did you mean --window-size?)";
    QTest::newRow("prefix") << QStringList{"--screen", "a.png"}
                            << "can-studio: unknown option --screen (did you mean --screenshot?)";
    // Qt's own options are Qt's: -platform and -style are taken before the studio parses.
    QTest::newRow("after Qt's options") << QStringList{"-platform", "offscreen", "-style", "fusion", "--stpes", "3"}
                                        << "can-studio: unknown option --stpes (did you mean --steps?)";
    QTest::newRow("missing value") << QStringList{"--lang"} << "can-studio: --lang needs a value";
    QTest::newRow("value is an option") << QStringList{"--out", "--steps", "3"}
                                        << "can-studio: --out needs a value (got the option --steps)";
    QTest::newRow("steps not a number") << QStringList{"--steps", "ten"}
                                        << "can-studio: --steps: expected an integer, got \"ten\"";
    QTest::newRow("set without =") << QStringList{"--set", "loss.tau"}
                                   << "can-studio: --set loss.tau: expected key=value";
    QTest::newRow("window size out of range")
        << QStringList{"--window-size", "10x10"}
        << "can-studio: --window-size: expected WxH between 320x240 and 16384x16384, got '10x10'";
    QTest::newRow("screenshot without steps")
        << QStringList{"--screenshot", "a.png"}
        << "can-studio: --screenshot needs --steps N, --compare, --evaluate, --inspect or --bench";
    QTest::newRow("bench tab unknown") << QStringList{"--bench", "run", "--bench-tab", "weights"}
                                       << "can-studio: --bench-tab: expected sweep, health, attention or ab, got 'weights'";
    QTest::newRow("bench b without bench")
        << QStringList{"--bench-b", "run"} << "can-studio: --bench-b and --bench-tab need --bench RUN";
  }
  void refusalsNameTheOption() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir home;
    // --lang de first: had a window been built before the refusal, switching its language
    // would have written the settings file (MainWindow::switchLanguage).
    const Run r = runStudio(QStringList{"--lang", "de"} + args, home.path());
    const QByteArray what = args.join(' ').toUtf8() + ":\n" + r.err;
    QVERIFY2(r.code == 2, what.constData());
    const QStringList lines = r.errLines();
    const qsizetype at = lines.indexOf(message);
    QVERIFY2(at >= 0, what.constData());
    QVERIFY2(at + 2 < lines.size() && lines[at + 2].startsWith("usage: can-studio"), what.constData());
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QVERIFY2(QDir(home.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty(),
             "settings were written: a window was built");
  }

  // A config error is not a usage error: named, exit 2, no usage.
  void badConfigValueIsNamed() {
    QTemporaryDir home;
    const Run r = runStudio({"--set", "loss.tau=-1"}, home.path());
    QCOMPARE(r.code, 2);
    QVERIFY2(r.errLines().contains("can-studio: loss.tau: must be > 0, got -1"), r.err.constData());
    QVERIFY(!r.err.contains("usage:"));
  }

  // --help: the usage on stdout, exit 0, and it lists every option the studio takes.
  void helpListsEveryOption() {
    QTemporaryDir home;
    const Run r = runStudio({"--help"}, home.path());
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith("usage: can-studio"), r.out.constData());
    for (const char* option : {"--config", "--set", "--out", "--lang", "--steps", "--screenshot", "--window-size"})
      QVERIFY2(r.out.contains(QByteArray("\n  ") + option + " "), option);
  }
};

QTEST_GUILESS_MAIN(TestStudioCli)
#include "tst_studio_cli.moc"
