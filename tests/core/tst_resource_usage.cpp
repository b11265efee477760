// The resource sampler against independent measures: the CPU share of busy threads
// against their own thread CPU clocks over the same wall time, the resident memory against
// the size of a buffer allocated and touched (and against /proc/self/status); and the
// trainer's metrics carrying them every train.log_every steps only.

#include "core/train/metrics_log.h"
#include "core/train/trainer.h"
#include "core/util/resource_usage.h"
#include "tests/core/trainer_fixtures.h"

#include <QtTest/QtTest>

#include <time.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

using namespace can;

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Spins `threads` threads for `seconds` of wall time; returns the CPU seconds they got
// (each from its own thread clock: on a loaded machine they get less than the wall time).
double spin(int threads, double seconds) {
  std::vector<double> used(threads, 0.0);
  std::vector<std::thread> pool;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      const double start = thread_cpu_seconds();
      volatile double x = 1.0;
      while (std::chrono::steady_clock::now() < end) x = x * 1.0000001 + 1e-9;
      used[i] = thread_cpu_seconds() - start;
    });
  for (auto& t : pool) t.join();
  double total = 0;
  for (double u : used) total += u;
  return total;
}

double vmrss_mib() {  // /proc/self/status "VmRSS:  123456 kB"
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      double kb = 0;
      fields >> kb;
      return kb / 1024.0;
    }
  return -1;
}

}  // namespace

class TestResourceUsage : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void cpuPercentOfBusyThreads() {
    for (int threads : {1, 2}) {
      ResourceSampler sampler;
      const auto start = std::chrono::steady_clock::now();
      const double busy = spin(threads, 0.4);
      const ResourceSample s = sampler.sample();
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double expected = 100.0 * busy / wall;  // ~100 per thread on an idle machine
      qInfo("%d busy thread(s): sampler %.1f%%, their own clocks %.1f%%", threads, s.cpu_percent, expected);
      // The rest of the process (this thread, LibTorch's idle pool) adds a little.
      QVERIFY2(std::abs(s.cpu_percent - expected) < 12.0, qPrintable(QString::number(s.cpu_percent)));
      // The threads did run (how much depends on the machine's load: under a parallel ctest
      // and two builds on 2 cores, two busy threads got under 20% each).
      QVERIFY(busy > 0.01);
    }
    // Idle: a sample over a sleep is near 0.
    ResourceSampler idle;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QVERIFY(idle.sample().cpu_percent < 10.0);
  }

  void residentMemoryFollowsATouchedBuffer() {
    const double before = resident_memory_mib().value();
    QVERIFY(std::abs(before - vmrss_mib()) < 1.0);  // the same figure as the kernel's status line
    constexpr size_t kBytes = 192u << 20;
    std::unique_ptr<char[]> buffer(new char[kBytes]);
    std::memset(buffer.get(), 1, kBytes);  // touched: every page resident
    ResourceSampler sampler;
    const ResourceSample s = sampler.sample();
    QVERIFY(s.rss_mib.has_value());
    const double grown = *s.rss_mib - before;
    qInfo("resident before %.1f MiB, after a touched 192 MiB buffer %.1f MiB", before, *s.rss_mib);
    QVERIFY2(grown > 192 * 0.95 && grown < 192 * 1.05 + 4, qPrintable(QString::number(grown)));
    QVERIFY(std::abs(*s.rss_mib - vmrss_mib()) < 1.0);
    QVERIFY(!s.gpu_allocated_mib && !s.gpu_reserved_mib);  // a CPU sampler reads no GPU
    volatile char keep = buffer[kBytes / 2];
    (void)keep;
  }

  // Every train.log_every steps (and those only) the trainer's metrics carry the sample,
  // and metrics.jsonl has it under its keys.
  void trainerRecordsThemEveryLogInterval() {
    RunConfig c = test::tiny_run_config();
    c.train.steps = 5;
    c.train.log_every = 2;
    c.train.device = "cpu";
    const std::string dir = test::fresh_dir("resource_usage");
    Trainer t(c, dir, std::make_shared<test::SyntheticDataset>(40));
    test::RecordingObserver obs;
    t.set_observer(&obs);
    t.run();
    QCOMPARE(obs.steps.size(), size_t(5));
    for (const StepMetrics& m : obs.steps) {
      const bool due = m.step % 2 == 0;
      QCOMPARE(m.cpu_percent.has_value(), due);
      QCOMPARE(m.rss_mib.has_value(), due);
      QVERIFY(!m.gpu_mem_mib && !m.gpu_reserved_mib);
      if (!due) continue;
      QVERIFY(*m.cpu_percent > 0 && *m.cpu_percent < 100.0 * std::thread::hardware_concurrency() + 20);
      QVERIFY(*m.rss_mib > 10 && *m.rss_mib < 64 * 1024);
    }
    const std::string path = dir + "/metrics.jsonl";
    {
      MetricsLog log(path);
      for (const StepMetrics& m : obs.steps) log.append(m);
    }
    std::ifstream in(path);
    std::string line;
    for (int64_t step = 1; std::getline(in, line); ++step) {
      const auto j = nlohmann::json::parse(line);
      QCOMPARE(j.contains("cpu_percent"), step % 2 == 0);
      QCOMPARE(j.contains("rss_mib"), step % 2 == 0);
      QVERIFY(!j.contains("gpu_mem_mib") && !j.contains("gpu_reserved_mib"));
      if (step % 2 == 0) QCOMPARE(j["rss_mib"].get<double>(), *obs.steps[step - 1].rss_mib);
    }
    const auto back = read_metrics_log(path);
    QCOMPARE(back.size(), size_t(5));
    QCOMPARE(*back[3].cpu_percent, *obs.steps[3].cpu_percent);
    QVERIFY(!back[2].cpu_percent);
  }

  // GPU figures round-trip through metrics.jsonl like every measured-on-some-steps field.
  void gpuFieldsRoundTrip() {
    const std::string path = test::fresh_dir("resource_usage_gpu") + "/metrics.jsonl";
    StepMetrics m;
    m.step = 1;
    m.loss = 1.0;
    m.cpu_percent = 180.5;
    m.rss_mib = 2048.25;
    m.gpu_mem_mib = 1234.5;
    m.gpu_reserved_mib = 4096.0;
    MetricsLog(path).append(m);
    const auto back = read_metrics_log(path);
    QCOMPARE(back.size(), size_t(1));
    QCOMPARE(*back[0].cpu_percent, 180.5);
    QCOMPARE(*back[0].rss_mib, 2048.25);
    QCOMPARE(*back[0].gpu_mem_mib, 1234.5);
    QCOMPARE(*back[0].gpu_reserved_mib, 4096.0);
  }
};

QTEST_GUILESS_MAIN(TestResourceUsage)
#include "tst_resource_usage.moc"
