// The tools' shared option parsing (core/util/cli_options): an unknown option is refused by
// name with the nearest known one suggested, a value option without its value is refused
// by name, values go where they are declared; and every headless tool, run as a process
// from the build tree, exits 2 with that message (skipped for tools not built).
#include <QtTest/QtTest>

#include <string>
#include <vector>

#include "core/util/cli_options.h"

using can::cli::Options;
using can::cli::UsageError;

namespace {

// The message of the UsageError parse() throws, "" when it throws none.
std::string refusal(const Options& o, const std::vector<std::string>& args) {
  try {
    o.parse(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

struct Run {
  int code = -1;
  QByteArray out, err;
};

// A tool of the build tree, by its folder (app, bench) and name; "" when not built.
QString tool(const char* folder, const char* name) {
  const QString path = QStringLiteral(QT_TESTCASE_BUILDDIR "/../") + folder + "/" + name;
  return QFileInfo::exists(path) ? path : QString();
}

Run run_tool(const QString& exe, const QStringList& args) {
  QProcess p;
  p.start(exe, args);
  Run r;
  if (!p.waitForFinished(120000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

}  // namespace

class TestCliOptions : public QObject {
  Q_OBJECT

  // can-bench's options, declared as can-bench declares them.
  struct Bench {
    std::string img_size = "28", steps = "10", batch = "256";
    bool full = false;
    Options options{"can-bench", "usage: can-bench ...\n"};
    Bench() {
      options.value("--img-size", &img_size).value("--steps", &steps).value("--batch", &batch);
      options.value("--preset", [](const std::string&) {}).value("--precision", [](const std::string&) {});
      options.flag("--full", &full);
    }
  };

 private Q_SLOTS:
  void editDistance() {
    QCOMPARE(can::cli::edit_distance("", ""), size_t{0});
    QCOMPARE(can::cli::edit_distance("steps", "steps"), size_t{0});
    QCOMPARE(can::cli::edit_distance("--setps", "--steps"), size_t{2});
    QCOMPARE(can::cli::edit_distance("--img", "--img-size"), size_t{5});
    QCOMPARE(can::cli::edit_distance("kitten", "sitting"), size_t{3});
    QCOMPARE(can::cli::edit_distance("abc", ""), size_t{3});
  }

  void nearestKnownOption() {
    const std::vector<std::string> known = {"--batch", "--img-size", "--steps", "--preset", "--precision", "--help"};
    QCOMPARE(can::cli::nearest("--img", known), std::string("--img-size"));          // a prefix of it
    QCOMPARE(can::cli::nearest("--img-size=28", known), std::string("--img-size"));  // written with '='
    QCOMPARE(can::cli::nearest("--setps", known), std::string("--steps"));           // distance 2
    QCOMPARE(can::cli::nearest("--stpes", known), std::string("--steps"));
    QCOMPARE(can::cli::nearest("--batc", known), std::string("--batch"));
    QCOMPARE(can::cli::nearest("--pre", known), std::string("--preset"));  // the shortest it begins
    QCOMPARE(can::cli::nearest("--precison", known), std::string("--precision"));
    QCOMPARE(can::cli::nearest("--bogus", known), std::string());  // nothing near: no guess
    QCOMPARE(can::cli::nearest("--x", known), std::string());
    QCOMPARE(can::cli::nearest("--", known), std::string());
  }

  void unknownOptionIsRefusedByName() {
    Bench b;
    QCOMPARE(refusal(b.options, {"--bogus", "1"}), std::string("unknown option --bogus"));
    QCOMPARE(refusal(b.options, {"--img", "28"}), std::string("unknown option --img (did you mean --img-size?)"));
    QCOMPARE(refusal(b.options, {"--steps", "5", "--setps", "5"}),
             std::string("unknown option --setps (did you mean --steps?)"));
    QCOMPARE(refusal(b.options, {"--img-size=28"}),
             std::string("unknown option --img-size=28 (did you mean --img-size 28?)"));
    QCOMPARE(refusal(b.options, {"--full=1"}), std::string("unknown option --full=1 (did you mean --full?)"));
    QCOMPARE(refusal(b.options, {"-x"}), std::string("unknown option -x"));
    // Control characters of a user's argument stay visible and on one line.
    QCOMPARE(refusal(b.options, {"--a\x1b[2Jb"}), std::string("unknown option --a\\x1b[2Jb"));
    // No positional argument declared: a stray word is refused too.
    QCOMPARE(refusal(b.options, {"28"}), std::string("unexpected argument \"28\""));
  }

  void missingValueIsRefusedByName() {
    Bench b;
    QCOMPARE(refusal(b.options, {"--steps"}), std::string("--steps needs a value"));
    QCOMPARE(refusal(b.options, {"--batch", "8", "--steps"}), std::string("--steps needs a value"));
    QCOMPARE(refusal(b.options, {"--steps", "--batch", "8"}),
             std::string("--steps needs a value (got the option --batch)"));
    QCOMPARE(refusal(b.options, {"--steps", "--help"}), std::string("--steps needs a value (got the option --help)"));
  }

  void valuesGoWhereDeclared() {
    Bench b;
    QVERIFY(b.options.parse({"--img-size", "32", "--full", "--steps", "3", "--steps", "4"}));
    QCOMPARE(b.img_size, std::string("32"));
    QCOMPARE(b.steps, std::string("4"));  // the last one given wins
    QCOMPARE(b.batch, std::string("256"));
    QVERIFY(b.full);
    // A value may look like anything but a known option: negative numbers, '=' signs.
    QVERIFY(b.options.parse({"--batch", "-1", "--steps", "a=b"}));
    QCOMPARE(b.batch, std::string("-1"));
    QCOMPARE(b.steps, std::string("a=b"));

    std::vector<std::string> sets;
    Options repeated("t", "");
    repeated.value("--set", [&sets](const std::string& v) { sets.push_back(v); });
    QVERIFY(repeated.parse({"--set", "a=1", "--set", "b=2"}));
    QCOMPARE(sets, (std::vector<std::string>{"a=1", "b=2"}));

    std::string folder, passes;
    Options positional("t", "");
    positional.positional("folder", &folder).positional("passes", &passes);
    QVERIFY(positional.parse({"/data", "5"}));
    QCOMPARE(folder, std::string("/data"));
    QCOMPARE(passes, std::string("5"));
    QCOMPARE(refusal(positional, {"a", "b", "c"}), std::string("unexpected argument \"c\""));
    QCOMPARE(refusal(positional, {"--passes", "3"}), std::string("unknown option --passes"));
  }

  void helpStopsParsing() {
    Bench b;
    QVERIFY(!b.options.parse({"--help"}));
    QVERIFY(!b.options.parse({"--steps", "3", "-h", "--bogus"}));
    QCOMPARE(refusal(b.options, {"--bogus", "--help"}), std::string("unknown option --bogus"));  // in order
  }

  void numbersNameTheirOption() {
    QCOMPARE(can::cli::to_int("--steps", "12"), int64_t{12});
    QCOMPARE(can::cli::to_int("--seed", "-3"), int64_t{-3});
    QCOMPARE(can::cli::to_double("--mask-ratio", "0.75"), 0.75);
    for (const char* bad : {"", "12x", "1.5", "zero"}) {
      try {
        can::cli::to_int("--steps", bad);
        QFAIL(bad);
      } catch (const UsageError& e) {
        QCOMPARE(std::string(e.what()), "--steps: expected an integer, got \"" + std::string(bad) + "\"");
      }
    }
    QVERIFY_EXCEPTION_THROWN(can::cli::to_double("--mask-ratio", "0.5x"), UsageError);
  }

  void repeatedDeclarationIsAProgrammingError() {
    Options o("t", "");
    o.value("--a", [](const std::string&) {});
    QVERIFY_EXCEPTION_THROWN(o.flag("--a", nullptr), std::logic_error);
    QVERIFY_EXCEPTION_THROWN(o.flag("a", nullptr), std::logic_error);
  }

  // Every tool refuses the same way: exit 2, "TOOL: unknown option ..." naming it, the
  // nearest option suggested, the usage after; --help prints the usage on stdout, exit 0.
  void toolsRefuseUnknownOptions() {
    struct Case {
      const char* folder;
      const char* name;
      QStringList args;
      QByteArray message;
    };
    const Case cases[] = {
        {"bench", "can-bench", {"--img", "28"}, "can-bench: unknown option --img (did you mean --img-size?)\n"},
        {"bench", "can-bench", {"--bogus", "1"}, "can-bench: unknown option --bogus\n"},
        {"bench",
         "can-bench",
         {"--precison", "bf16"},
         "can-bench: unknown option --precison (did you mean --precision?)\n"},
        {"bench", "can-bench", {"--warmup", "0", "--steps"}, "can-bench: --steps needs a value\n"},
        {"bench", "can-bench", {"--steps", "ten"}, "can-bench: --steps: expected an integer, got \"ten\"\n"},
        // Numbers are checked before anything runs (the preset, the model, the warm-up steps).
        {"bench",
         "can-bench",
         {"--preset", "nope", "--steps", "ten"},
         "can-bench: --steps: expected an integer, got \"ten\"\n"},
        {"bench", "can-loader-bench", {"--passes", "3"}, "can-loader-bench: unknown option --passes\n"},
        {"bench",
         "can-loader-bench",
         {"/nonexistent", "x"},
         "can-loader-bench: passes: expected an integer, got \"x\"\n"},
        {"bench",
         "can-device-check",
         {"--devic", "cpu"},
         "can-device-check: unknown option --devic (did you mean --device?)\n"},
        {"app", "can-train", {"--out", "x", "--bogus"}, "can-train: unknown option --bogus\n"},
        {"app", "can-train", {"--resum", "x"}, "can-train: unknown option --resum (did you mean --resume?)\n"},
        {"app", "can-train", {"--out"}, "can-train: --out needs a value\n"},
        {"app",
         "can-eval",
         {"--checkpoint", "x", "--linear-epoch", "5"},
         "can-eval: unknown option --linear-epoch (did you mean --linear-epochs?)\n"},
        {"app", "can-eval", {"--checkpoint"}, "can-eval: --checkpoint needs a value\n"},
        {"app",
         "can-export",
         {"--checkpoint", "x", "--ot", "y"},
         "can-export: unknown option --ot (did you mean --out?)\n"},
    };
    int ran = 0;
    for (const Case& c : cases) {
      const QString exe = tool(c.folder, c.name);
      if (exe.isEmpty()) continue;
      const Run r = run_tool(exe, c.args);
      const QByteArray what = QByteArray(c.name) + " " + c.args.join(' ').toUtf8() + ":\n" + r.err;
      QVERIFY2(r.code == 2, what.constData());
      QVERIFY2(r.err.startsWith(c.message), what.constData());
      QVERIFY2(r.err.contains("usage: " + QByteArray(c.name)), what.constData());
      QVERIFY2(r.out.isEmpty(), what.constData());
      ++ran;
    }
    for (const auto& [folder, name] : {std::pair{"bench", "can-bench"},
                                       {"bench", "can-loader-bench"},
                                       {"bench", "can-device-check"},
                                       {"app", "can-train"},
                                       {"app", "can-eval"},
                                       {"app", "can-export"}}) {
      const QString exe = tool(folder, name);
      if (exe.isEmpty()) continue;
      const Run r = run_tool(exe, {"--help"});
      QVERIFY2(r.code == 0, name);
      QVERIFY2(r.out.startsWith("usage: " + QByteArray(name)), r.out.constData());
      QVERIFY2(r.err.isEmpty(), r.err.constData());
      ++ran;
    }
    if (ran == 0) QSKIP("no tool built");
  }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
