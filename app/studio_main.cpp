// can-studio: the desktop studio. With --screenshot it runs unattended: trains --steps N
// with the current settings, renders the whole window to a PNG, prints one JSON line
// (throughput, event-loop gaps) and exits; the README's screenshot is made this way.
//
//   can-studio [--config FILE.json] [--set key=value]... [--out RUNS_DIR] [--lang de|zh_CN|en]
//              [--window-size WxH] [--steps N [--screenshot FILE.png]]
//   can-studio --compare RUN,RUN,... [--screenshot FILE.png]
//   can-studio --evaluate RUN [--eval-images N] [--screenshot FILE.png]
//   can-studio --inspect RUN [--inspect-image I] [--screenshot FILE.png]
//   can-studio --bench RUN [--bench-b RUN2] [--bench-tab sweep|health|attention|ab] [--screenshot FILE.png]
//
// Its options are parsed as the headless tools' are (core/util/cli_options.h): an unknown
// one is refused by name with the nearest known one suggested, exit code 2, before any
// window is built.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QThread>
#include <QScreen>
#include <QSize>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <ctime>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "app/bench_view.h"
#include "app/compare_view.h"
#include "app/eval_view.h"
#include "app/inspector_view.h"
#include "app/layout_check.h"
#include "app/main_window.h"
#include "core/config/run_config.h"
#include "core/util/cli_options.h"
#include "core/util/escape.h"
#include "core/util/host_memory.h"
#include "widgets/curves_panel.h"

namespace {

namespace cli = can::cli;

const char* kUsage =
    "usage: can-studio [--config FILE.json] [--set key=value]... [--out RUNS_DIR] [--lang en|de|zh_CN]\n"
    "                  [--window-size WxH] [--steps N [--screenshot FILE.png]]\n"
    "       can-studio --compare RUN,RUN,... | --evaluate RUN [--eval-images N] [--screenshot FILE.png]\n"
    "       can-studio --inspect RUN [--inspect-image I] [--screenshot FILE.png]\n"
    "       can-studio --bench RUN [--bench-b RUN2] [--bench-tab TAB] [--screenshot FILE.png]\n"
    "CAN Studio: interactive CAN pretraining of Vision Transformers\n"
    "  --config FILE      run config (JSON, as can-train takes; keys in docs/config.md)\n"
    "  --set key=value    override one config key (repeatable, applied in order)\n"
    "  --out DIR          folder for new runs (one timestamped sub-folder each)\n"
    "  --lang CODE        interface language: en, de, zh_CN\n"
    "  --steps N          start at once and stop after N steps\n"
    "  --screenshot FILE  with --steps: render the window to FILE.png when done, then exit;\n"
    "                     with --compare / --evaluate / --inspect / --bench: render that window instead\n"
    "  --compare RUNS     open the compare window on these run folders (comma-separated)\n"
    "  --evaluate RUN     open the evaluation window on a run or checkpoint and evaluate it\n"
    "  --eval-images N    with --evaluate: the first N train and N test images (0 = all)\n"
    "  --inspect RUN      open the Inspector on a run or checkpoint\n"
    "  --inspect-image I  with --inspect: the train image shown first (default 0)\n"
    "  --bench RUN        open the Bench window on a run or checkpoint and analyse it\n"
    "  --bench-b RUN2     with --bench: a second checkpoint for the A/B tab\n"
    "  --bench-tab TAB    with --bench: the tab shown: sweep, health, attention or ab\n"
    "  --window-size WxH  open the window at this size in pixels, e.g. 1366x768 (screenshots, tests)\n"
    "Qt's own options (-platform NAME, -style NAME, -reverse...) are taken by Qt first.\n";

// The command line; an option not given stays unset (the studio's defaults apply).
struct StudioArgs {
  std::optional<std::string> config, out, lang;
  std::vector<std::pair<std::string, std::string>> sets;
  int64_t steps = 0;  // 0: interactive
  std::string screenshot, evaluate, inspect, bench, benchB, benchTab;
  int64_t inspectImage = 0;
  std::vector<std::string> compare;
  int64_t evalImages = 0;
  QSize windowSize;  // invalid: the saved or default size
};

QSize parseWindowSize(const std::string& text) {
  const QStringList wh = QString::fromStdString(text).split('x');
  bool okW = false, okH = false;
  QSize size;
  if (wh.size() == 2) size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
  if (!okW || !okH || size.width() < 320 || size.height() < 240 || size.width() > 16384 || size.height() > 16384)
    throw cli::UsageError("--window-size: expected WxH between 320x240 and 16384x16384, got '" +
                          can::escape_controls(text) + "'");
  return size;
}

cli::Options makeOptions(StudioArgs& a) {
  cli::Options o("can-studio", kUsage);
  auto into = [](std::optional<std::string>& target) { return [&target](const std::string& v) { target = v; }; };
  o.value("--config", into(a.config)).value("--out", into(a.out)).value("--lang", into(a.lang));
  o.value("--set", [&a](const std::string& kv) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw cli::UsageError("--set " + kv + ": expected key=value");
    a.sets.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  });
  o.value("--steps", [&a](const std::string& v) { a.steps = cli::to_int("--steps", v); });
  o.value("--screenshot", &a.screenshot);
  o.value("--evaluate", &a.evaluate);
  o.value("--inspect", &a.inspect);
  o.value("--inspect-image", [&a](const std::string& v) { a.inspectImage = cli::to_int("--inspect-image", v); });
  o.value("--bench", &a.bench).value("--bench-b", &a.benchB);
  o.value("--bench-tab", [&a](const std::string& v) {
    if (v != "sweep" && v != "health" && v != "attention" && v != "ab")
      throw cli::UsageError("--bench-tab: expected sweep, health, attention or ab, got '" + can::escape_controls(v) +
                            "'");
    a.benchTab = v;
  });
  o.value("--eval-images", [&a](const std::string& v) { a.evalImages = cli::to_int("--eval-images", v); });
  o.value("--compare", [&a](const std::string& v) {
    for (const QString& run : QString::fromStdString(v).split(',', Qt::SkipEmptyParts))
      a.compare.push_back(run.toStdString());
    if (a.compare.empty()) throw cli::UsageError("--compare: expected RUN,RUN,...");
  });
  o.value("--window-size", [&a](const std::string& v) { a.windowSize = parseWindowSize(v); });
  return o;
}

// CPU seconds the calling thread has used (the GUI thread's share of the machine).
double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// Where the GUI thread's time goes: with CAN_STUDIO_PROFILE=1, every event delivered on
// it is timed and the wall time summed by receiver class and event type (outermost
// deliveries only, so nested events are not counted twice). Painting shows under the
// top-level window's UpdateRequest, queued signals under MetaCall (RunController: metrics
// and snapshots into the panels), timers under Timer (CurvesPanel's replot tick).
class ProfilingApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool profiling = false;
  std::map<QString, double> seconds;

  bool notify(QObject* receiver, QEvent* event) override {
    if (!profiling || depth_ > 0 || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    // The key first: the event may delete its receiver (DeferredDelete) or itself.
    const QString key = QString("%1/%2").arg(receiver->metaObject()->className()).arg(eventName(event->type()));
    ++depth_;
    QElapsedTimer t;
    t.start();
    const bool result = QApplication::notify(receiver, event);
    --depth_;
    seconds[key] += t.nsecsElapsed() / 1e9;
    return result;
  }

 private:
  static QString eventName(QEvent::Type type) {
    const QMetaEnum e = QMetaEnum::fromType<QEvent::Type>();
    const char* name = e.valueToKey(type);
    return name ? QString(name) : QString::number(int(type));
  }
  int depth_ = 0;
};

// --compare / --evaluate / --inspect / --bench: the window of that view, rendered to --screenshot once
// it shows its data (the evaluation and the analysis: once they have finished), then exit; without --screenshot the
// studio stays open on it.
int showExperimentView(QApplication& app, MainWindow& window, const StudioArgs& args) {
  const QString screenshot = QString::fromStdString(args.screenshot);
  QWidget* view = nullptr;
  auto render = [&app, screenshot](QWidget* w, int code) {
    QTimer::singleShot(300, &app, [&app, screenshot, w, code] {
      int exitCode = code;
      if (!w->grab().save(screenshot)) {
        std::fprintf(stderr, "can-studio: cannot write %s\n", qPrintable(screenshot));
        exitCode = 1;
      }
      app.exit(exitCode);
    });
  };
  if (!args.compare.empty()) {
    QStringList runs;
    for (const auto& r : args.compare) runs << QString::fromStdString(r);
    CompareView* compare = window.showCompare(runs);
    if (!compare->messageText().isEmpty()) std::fprintf(stderr, "can-studio: %s\n", qPrintable(compare->messageText()));
    view = compare;
    if (!screenshot.isEmpty()) render(view, compare->runs().isEmpty() ? 1 : 0);
  } else if (!args.inspect.empty()) {
    // Rendered once an inspection with its neighbours is shown (the bank of features is
    // computed after the checkpoint opens), or after 120 s with what is there.
    InspectorView* inspector = window.showInspector(QString());
    view = inspector;
    auto shot = std::make_shared<bool>(false);
    auto grab = [&, inspector, shot](int code) {
      if (*shot) return;
      *shot = true;
      if (screenshot.isEmpty()) return;
      std::fprintf(stdout, "{\"inspector_update_ms\": %.1f}\n", inspector->lastUpdateMs());
      render(inspector, code);
    };
    QObject::connect(inspector, &InspectorView::checkpointOpened, &app, [&, inspector, grab](const QString& error) {
      if (!error.isEmpty()) {
        std::fprintf(stderr, "can-studio: %s\n", qPrintable(error));
        if (!screenshot.isEmpty()) app.exit(1);
        return;
      }
      inspector->selectImage(args.inspectImage);
      QTimer::singleShot(120000, &app, [grab] { grab(0); });
    });
    QObject::connect(inspector, &InspectorView::inspectionShown, &app, [inspector, grab] {
      if (!inspector->shownResult().neighbours.isEmpty()) grab(0);
    });
    inspector->setCheckpoint(QString::fromStdString(args.inspect));
  } else if (!args.evaluate.empty()) {
    EvalView* eval = window.showEvaluation(QString::fromStdString(args.evaluate));
    eval->setImageLimits(args.evalImages, args.evalImages);
    view = eval;
    QObject::connect(eval, &EvalView::finished, &app, [&, eval](const QString& error, bool) {
      if (!error.isEmpty()) std::fprintf(stderr, "can-studio: %s\n", qPrintable(error));
      if (!screenshot.isEmpty()) render(eval, error.isEmpty() ? 0 : 1);
    });
    if (!eval->start()) {
      std::fprintf(stderr, "can-studio: %s\n", qPrintable(eval->statusText()));
      return 1;
    }
  } else {
    BenchView* bench = window.showBench(QString::fromStdString(args.bench));
    bench->setCheckpointB(QString::fromStdString(args.benchB));
    if (!args.benchTab.empty()) bench->showTab(QString::fromStdString(args.benchTab));
    view = bench;
    QObject::connect(bench, &BenchView::finished, &app, [&, bench](const QString& error, bool) {
      if (!error.isEmpty()) std::fprintf(stderr, "can-studio: %s\n", qPrintable(error));
      if (!screenshot.isEmpty()) render(bench, error.isEmpty() ? 0 : 1);
    });
    if (!bench->start()) {
      std::fprintf(stderr, "can-studio: %s\n", qPrintable(bench->statusText()));
      return 1;
    }
  }
  if (args.windowSize.isValid()) view->resize(args.windowSize);
  return app.exec();
}

}  // namespace

int main(int argc, char** argv) {
  can::keep_freed_host_memory();
  ProfilingApplication app(argc, argv);
  app.profiling = qEnvironmentVariableIntValue("CAN_STUDIO_PROFILE") > 0;
  QApplication::setOrganizationName("CAN Studio");
  QApplication::setApplicationName("can-studio");
  QApplication::setApplicationVersion("0.1.0");
  QApplication::setWindowIcon(QIcon(":/icons/can-studio.svg"));

  // After QApplication: it has taken Qt's own options (-platform, -style...) out of argv.
  StudioArgs args;
  const cli::Options options = makeOptions(args);
  try {
    if (!options.parse(argc, argv)) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    const bool view =
        !args.compare.empty() || !args.evaluate.empty() || !args.inspect.empty() || !args.bench.empty();
    if (!args.screenshot.empty() && args.steps <= 0 && !view)
      throw cli::UsageError("--screenshot needs --steps N, --compare, --evaluate, --inspect or --bench");
    if (args.inspectImage < 0) throw cli::UsageError("--inspect-image must be >= 0");
    if (view && args.steps > 0) throw cli::UsageError("--steps cannot go with --compare, --evaluate, --inspect or --bench");
    if ((!args.benchB.empty() || !args.benchTab.empty()) && args.bench.empty())
      throw cli::UsageError("--bench-b and --bench-tab need --bench RUN");
    if (args.evalImages < 0) throw cli::UsageError("--eval-images must be >= 0");
  } catch (const cli::UsageError& e) {
    return options.usage_error(e.what());
  }

  can::RunConfig config;
  // The studio's defaults: a kNN point every 100 steps on small banks (see MainWindow).
  config.train.knn_every = 100;
  config.train.knn_train_images = 2000;
  config.train.knn_test_images = 500;
  try {
    if (args.config) config = can::load_run_config_file(*args.config);
    for (const auto& [key, value] : args.sets) config.set_key(key, value);
    config.validate();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "can-studio: %s\n", e.what());
    return 2;
  }
  const qint64 steps = args.steps;
  const QString screenshot = QString::fromStdString(args.screenshot);
  if (steps > 0 && config.train.knn_every > 0) config.train.knn_every = std::max<qint64>(1, std::min<qint64>(config.train.knn_every, steps / 2));

  const QString runsRoot =
      args.out ? QString::fromStdString(*args.out)
               : QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath("runs");
  MainWindow window(runsRoot);
  window.setBaseConfig(config);
  if (args.lang) window.switchLanguage(QString::fromStdString(*args.lang));
  if (args.windowSize.isValid()) {
    window.resize(args.windowSize);
  } else if (const QScreen* screen = window.screen()) {
    // Never larger than the screen's free area (the saved or default 1920x1200 on a laptop).
    const QSize room = screen->availableGeometry().size();
    if (window.width() > room.width() || window.height() > room.height()) window.resize(window.size().boundedTo(room));
  }
  window.show();
  if (!args.compare.empty() || !args.evaluate.empty() || !args.inspect.empty() || !args.bench.empty())
    return showExperimentView(app, window, args);
  if (steps <= 0) return app.exec();

  // Unattended: start, and measure what a user would feel: throughput and the longest
  // gap between two ticks of a 10 ms timer on the GUI thread.
  window.setConfirmClose(false);
  std::vector<double> imgPerS;
  QObject::connect(window.worker(), &TrainingWorker::metrics, &window, [&](const QVector<MetricsPoint>& points) {
    for (const auto& p : points) imgPerS.push_back(p.imgPerS);
  });
  QElapsedTimer sinceTick;
  double maxGapMs = 0;
  QTimer ticker;
  ticker.setInterval(10);
  QObject::connect(&ticker, &QTimer::timeout, [&] {
    if (sinceTick.isValid()) maxGapMs = std::max(maxGapMs, sinceTick.nsecsElapsed() / 1e6);
    sinceTick.restart();
  });
  if (!qEnvironmentVariableIsSet("CAN_STUDIO_NO_TICKER")) ticker.start();
  int exitCode = 0;
  QElapsedTimer wall;
  wall.start();
  const double guiCpuAtStart = threadCpuSeconds();
  double guiCpu = 0, wallSeconds = 0;
  QObject::connect(&window, &MainWindow::runFinished, &app, [&](TrainingWorker::Outcome outcome, qint64 step) {
    exitCode = outcome == TrainingWorker::Outcome::Failed ? 1 : 0;
    ticker.stop();
    guiCpu = threadCpuSeconds() - guiCpuAtStart;
    wallSeconds = wall.elapsed() / 1000.0;
    // Let the last queued metrics and snapshot paint, then render.
    QTimer::singleShot(500, &app, [&, step] {
      if (!screenshot.isEmpty()) {
        if (!window.grab().save(screenshot)) {
          std::fprintf(stderr, "can-studio: cannot write %s\n", qPrintable(screenshot));
          exitCode = 1;
        }
      }
      // Throughput of the steady state: the first two steps warm up allocator and caches.
      std::vector<double> steady(imgPerS.begin() + std::min<size_t>(2, imgPerS.size()), imgPerS.end());
      // The layout as a user sees it: every visible dock's size, every clipped text.
      QJsonObject docks;
      for (const DockSize& d : visibleDockSizes(window))
        docks.insert(d.name, QJsonArray{d.size.width(), d.size.height()});
      QJsonObject summary{{"tool", "can-studio"},
                          {"steps", step},
                          {"img_per_s_median", median(steady)},
                          {"max_event_loop_gap_ms", maxGapMs},
                          {"gui_thread_cpu_s", guiCpu},
                          {"wall_s", wallSeconds},
                          {"snapshots_shown", window.panelsFilled()},
                          {"window", QJsonArray{window.width(), window.height()}},
                          {"docks", docks},
                          {"clipped_texts", QJsonArray::fromStringList(clippedTexts(window))},
                          {"error", window.errorText()}};
      if (app.profiling) {  // the ten largest shares of the GUI thread's wall time
        std::vector<std::pair<double, QString>> top;
        for (const auto& [key, sec] : app.seconds) top.emplace_back(sec, key);
        std::sort(top.rbegin(), top.rend());
        QJsonObject gui;
        for (size_t i = 0; i < top.size() && i < 10; ++i)
          gui.insert(top[i].second, std::round(top[i].first * 1000) / 1000);
        summary.insert("gui_thread_seconds_by_event", gui);
      }
      std::printf("%s\n", QJsonDocument(summary).toJson(QJsonDocument::Compact).constData());
      std::fflush(stdout);
      app.exit(exitCode);
    });
  });
  if (!window.startRun(steps)) {
    std::fprintf(stderr, "can-studio: %s\n", qPrintable(window.errorText()));
    return 2;
  }
  return app.exec();
}
