// Multi-process training (core/dist/, docs/distributed.md):
// - the launch environment is parsed, and a bad variable is named;
// - the draw shard gives each rank exactly its samples' draws of the global batch;
// - in one process, ranks as threads over Gloo on a shared HashStore: the gathered InfoNCE
//   and its gradient equal the single-process ones, bucketed gradient averaging, the
//   initial broadcast, any() and the metric reduction;
// - can-train as processes on 127.0.0.1: 2 x batch b equals 1 x batch 2b step for step
//   (losses and final weights within 1e-5), and killing one rank ends the other with an
//   error within 60 s;
// - a NaN on one rank stops every rank at that step, naming the term, and the last good
//   checkpoint stays.
// The c10d parts are skipped in builds without c10d.
#include <QtTest/QtTest>
#include <torch/torch.h>
#include <ATen/CPUGeneratorImpl.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "core/config/run_config.h"
#include "core/dist/dist_env.h"
#include "core/dist/distributed_sync.h"
#include "core/model/can_model.h"
#include "core/model/draw_shard.h"
#include "core/objectives/info_nce.h"
#include "core/train/checkpoint.h"
#include "core/train/metrics_log.h"
#include "core/train/trainer.h"
#include "data_fixtures.h"
#include "tiny_model.h"
#include "trainer_fixtures.h"

#if CAN_WITH_C10D
#include <torch/csrc/distributed/c10d/HashStore.hpp>

#include "core/dist/c10d_communicator.h"
#endif

namespace fs = std::filesystem;
using namespace can;

namespace {

std::string tmp_dir(const std::string& name) {
  const char* env = std::getenv("CAN_TEST_TMP");
  std::string dir = ((env && *env) ? std::string(env) : fs::temp_directory_path().string()) + "/dist/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

dist::GetEnv env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The message of the std::invalid_argument `f` throws, or "" when it throws none.
std::string invalid_argument_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

#if CAN_WITH_C10D
// Runs fn(rank, sync) on `world` threads, each a rank of one Gloo group over a shared
// in-memory store. Rethrows the first exception of any rank.
void run_ranks(int world, const std::function<void(int, dist::DistributedSync&)>& fn, int64_t bucket_bytes = 1 << 20) {
  auto store = c10::make_intrusive<c10d::HashStore>();
  std::vector<std::exception_ptr> errors(static_cast<size_t>(world));
  std::vector<std::thread> threads;
  for (int r = 0; r < world; ++r)
    threads.emplace_back([&, r] {
      try {
        auto comm = dist::make_gloo_communicator(store, r, world, std::chrono::seconds(30));
        dist::DistributedSync sync(comm, 0, bucket_bytes);
        fn(r, sync);
      } catch (...) {
        errors[static_cast<size_t>(r)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}
#endif

// A TCP port nobody listens on now (the kernel's choice for port 0).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

QString can_train_exe() {
  const QString env = qEnvironmentVariable("CAN_TRAIN_EXE");
  return env.isEmpty() ? QStringLiteral(QT_TESTCASE_BUILDDIR "/../app/can-train") : env;
}

// A tiny CAN run on a 64-image 16x16 IDX dataset: batch_size images per rank, 5 steps.
std::string write_run_config(const std::string& dir, int64_t batch_size, int64_t steps) {
  can_test::write_idx_split(dir, "train", 64, 16, 16, false);
  RunConfig c;
  c.model = test::tiny_model_config(1);
  c.data.dataset = "fashion-mnist";
  c.data.path = dir;
  c.data.num_workers = 0;
  c.data.mean = {0.5f};
  c.data.std = {0.25f};
  c.train.batch_size = batch_size;
  c.train.steps = steps;
  c.train.warmup_steps = 2;
  c.train.base_lr = 1e-3 * 256 / 16;  // peak lr 1e-3 at the global batch of 16
  c.train.threads = 1;
  c.train.log_every = 1;
  c.train.snapshot_every = 0;
  c.train.checkpoint_every = 0;
  c.train.device = "cpu";
  c.train.seed = 7;
  const std::string path = dir + "/config_b" + std::to_string(batch_size) + ".json";
  save_run_config_file(c, path);
  return path;
}

// can-train as rank `rank` of `world` (world 1: a plain single-process run).
std::unique_ptr<QProcess> start_rank(const std::string& config, const std::string& out, int rank, int world, int port) {
  auto p = std::make_unique<QProcess>();
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const char* v : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                        "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "TORCHELASTIC_USE_AGENT_STORE"})
    env.remove(v);
  if (world > 1) {
    env.insert("RANK", QString::number(rank));
    env.insert("WORLD_SIZE", QString::number(world));
    env.insert("LOCAL_RANK", QString::number(rank));
    env.insert("LOCAL_WORLD_SIZE", QString::number(world));
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(port));
    env.insert("CAN_DIST_TIMEOUT_S", "60");
  }
  p->setProcessEnvironment(env);
  p->start(can_train_exe(), {"--config", QString::fromStdString(config), "--out", QString::fromStdString(out)});
  return p;
}

}  // namespace

class TestDist : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  void environmentIsParsed() {
    auto single = dist::dist_env_from_environment(env_of({}));
    QCOMPARE(single.world_size, 1);
    QVERIFY(!single.distributed());

    auto e = dist::dist_env_from_environment(env_of({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"},
                                                     {"LOCAL_WORLD_SIZE", "2"}, {"MASTER_ADDR", "node0"},
                                                     {"MASTER_PORT", "29511"}, {"CAN_DIST_TIMEOUT_S", "9"},
                                                     {"TORCHELASTIC_USE_AGENT_STORE", "True"},
                                                     {"TORCHELASTIC_RESTART_COUNT", "2"}}));
    QCOMPARE(e.rank, 3);
    QCOMPARE(e.world_size, 4);
    QCOMPARE(e.local_rank, 1);
    QCOMPARE(e.local_world_size, 2);
    QCOMPARE(e.master_addr, std::string("node0"));
    QCOMPARE(e.master_port, 29511);
    QVERIFY(e.use_agent_store);
    QCOMPARE(e.restart_count, std::string("2"));
    QCOMPARE(e.timeout.count(), int64_t(9000));

    // srun without torchrun: SLURM's names.
    auto s = dist::dist_env_from_environment(env_of({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"},
                                                     {"SLURM_LOCALID", "1"}, {"SLURM_NTASKS_PER_NODE", "4"},
                                                     {"MASTER_ADDR", "n1"}, {"MASTER_PORT", "1234"}}));
    QCOMPARE(s.rank, 5);
    QCOMPARE(s.world_size, 8);
    QCOMPARE(s.local_rank, 1);
    QCOMPARE(s.local_world_size, 4);

    const std::map<std::string, std::string> good = {
        {"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29500"}};
    auto without = [&](const std::string& key) {
      auto m = good;
      m.erase(key);
      return m;
    };
    auto with = [&](const std::string& key, const std::string& value) {
      auto m = good;
      m[key] = value;
      return m;
    };
    auto error = [](const std::map<std::string, std::string>& vars) {
      return invalid_argument_of([&] { dist::dist_env_from_environment(env_of(vars)); });
    };
    QVERIFY(error(good).empty());
    for (const char* key : {"MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"}) {
      const std::string msg = error(without(key));
      QVERIFY2(msg.rfind(key, 0) == 0, msg.c_str());
    }
    for (auto [key, value] : {std::pair{"RANK", "2"}, {"RANK", "x"}, {"MASTER_PORT", "70000"}, {"WORLD_SIZE", "0"},
                              {"CAN_DIST_TIMEOUT_S", "-1"}, {"LOCAL_RANK", "1.5"}}) {
      const std::string msg = error(with(key, value));
      QVERIFY2(msg.rfind(key, 0) == 0, (std::string(key) + "=" + value + " -> '" + msg + "'").c_str());
    }
  }

  void drawShardTakesThisRanksSamples() {
    // take_shard: 12 rows = V 2 x world 3 x n 2; rank r keeps positions j*3 + r of each view.
    auto global = torch::arange(12).view({12, 1});
    auto r1 = take_shard(global, 2, DrawShard{1, 3});
    QVERIFY(torch::equal(r1.flatten(), torch::tensor({1, 4, 7, 10}, torch::kLong)));
    QVERIFY(torch::equal(take_shard(global, 2, DrawShard{0, 1}), global));
    QVERIFY(!invalid_argument_of([] { DrawShard{2, 2}.validate(); }).empty());

    // The model: rank r of 2 on the images at global positions r, r+2, ... draws exactly the
    // sigma, noise and masks the single process draws for those images.
    torch::manual_seed(1);
    CanModel model(test::tiny_model_config(1), Objectives{}, 0.05);
    auto x1 = torch::randn({6, 1, 16, 16}), x2 = torch::randn({6, 1, 16, 16});
    LossParams params;
    auto draw = [&](const torch::Tensor& a, const torch::Tensor& b, DrawShard shard) {
      auto gen = at::make_generator<at::CPUGeneratorImpl>(11);
      torch::NoGradGuard no_grad;
      return model->forward(a, b, params, gen, shard);
    };
    CanOutput all = draw(x1, x2, {});
    for (int64_t r = 0; r < 2; ++r) {
      auto rows = torch::arange(r, 6, 2);  // this rank's global positions
      CanOutput mine = draw(x1.index_select(0, rows), x2.index_select(0, rows), DrawShard{r, 2});
      auto both = torch::cat({rows, rows + 6});  // view-major rows of the single run
      QVERIFY(torch::equal(mine.sigma, all.sigma.index_select(0, both)));
      QVERIFY(torch::equal(mine.noise, all.noise.index_select(0, both)));
      QVERIFY(torch::equal(mine.mask, all.mask.index_select(0, both)));
      QVERIFY(torch::equal(mine.ids_keep, all.ids_keep.index_select(0, both)));
    }
  }

  void gatheredInfoNceEqualsSingleProcess() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    const int world = 2;
    const int64_t n = 3, r = 8;
    const double tau = 0.1;
    torch::manual_seed(5);
    auto U1 = torch::nn::functional::normalize(torch::randn({world * n, r}),
                                               torch::nn::functional::NormalizeFuncOptions().dim(1));
    auto U2 = torch::nn::functional::normalize(torch::randn({world * n, r}),
                                               torch::nn::functional::NormalizeFuncOptions().dim(1));
    // Single process on the concatenated batch.
    auto u1 = U1.clone().requires_grad_(true), u2 = U2.clone().requires_grad_(true);
    auto single = info_nce_from_embeddings(torch::cat({u1, u2}, 0), tau);
    single.backward();

    std::vector<double> losses(world);
    std::vector<torch::Tensor> g1(world), g2(world);
    run_ranks(world, [&](int rank, dist::DistributedSync& sync) {
      auto a = U1.narrow(0, rank * n, n).clone().requires_grad_(true);
      auto b = U2.narrow(0, rank * n, n).clone().requires_grad_(true);
      auto loss = info_nce_from_embeddings(torch::cat({sync.gather_embeddings(a), sync.gather_embeddings(b)}, 0), tau);
      loss.backward();
      losses[rank] = loss.item<double>();
      g1[rank] = a.grad() / world;  // what gradient averaging makes of it
      g2[rank] = b.grad() / world;
    });
    for (int rank = 0; rank < world; ++rank) {
      QVERIFY2(std::abs(losses[rank] - single.item<double>()) < 1e-6, qPrintable(QString::number(losses[rank])));
      QVERIFY(torch::allclose(g1[rank], u1.grad().narrow(0, rank * n, n), 1e-5, 1e-7));
      QVERIFY(torch::allclose(g2[rank], u2.grad().narrow(0, rank * n, n), 1e-5, 1e-7));
    }
    QVERIFY(u1.grad().abs().sum().item<double>() > 0);  // not vacuous
#endif
  }

  void gradientsAreAveragedInBuckets() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    const int world = 2;
    // Per-rank gradients computed independently, then the mean the sync must produce.
    auto make = [](int rank) {
      torch::manual_seed(100);  // same weights, different data per rank
      torch::nn::Sequential net(torch::nn::Linear(5, 7), torch::nn::ReLU(), torch::nn::Linear(7, 3));
      torch::manual_seed(200 + rank);
      net->forward(torch::randn({4, 5})).pow(2).sum().backward();
      return net;
    };
    std::vector<torch::Tensor> expected;
    {
      auto a = make(0), b = make(1);
      auto pa = a->parameters(), pb = b->parameters();
      for (size_t i = 0; i < pa.size(); ++i) expected.push_back((pa[i].grad() + pb[i].grad()) / 2);
      QVERIFY(!torch::allclose(pa[0].grad(), pb[0].grad()));
    }
    // Built here: torch's global generator is not for concurrent seeding from the threads.
    std::vector<torch::nn::Sequential> nets = {make(0), make(1)};
    std::vector<std::vector<torch::Tensor>> got(world);
    // 64-byte buckets: the 35-value weight is a bucket alone, the small ones share.
    run_ranks(world, [&](int rank, dist::DistributedSync& sync) {
      sync.all_reduce_gradients(nets[rank]->parameters());
      for (auto& p : nets[rank]->parameters()) got[rank].push_back(p.grad().clone());
    }, 64);
    for (int rank = 0; rank < world; ++rank)
      for (size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(torch::allclose(got[rank][i], expected[i], 1e-6, 1e-7), qPrintable(QString::number(i)));
#endif
  }

  void broadcastAnyAndMetrics() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    const int world = 2;
    std::vector<std::map<std::string, torch::Tensor>> params(world);
    std::vector<int> any_one(world), any_none(world);  // not vector<bool>: ranks write concurrently
    std::vector<StepMetrics> metrics(world);
    std::vector<torch::nn::Sequential> nets;
    for (int rank = 0; rank < world; ++rank) {
      torch::manual_seed(rank);  // different initial weights and buffers
      nets.push_back(torch::nn::Sequential(torch::nn::Linear(4, 4), torch::nn::BatchNorm1d(4)));
      torch::NoGradGuard no_grad;
      for (auto& b : nets.back()->buffers()) b.fill_(rank + 1.0);
    }
    QVERIFY(!torch::equal(nets[0]->parameters()[0], nets[1]->parameters()[0]));
    run_ranks(world, [&](int rank, dist::DistributedSync& sync) {
      auto& net = nets[rank];
      sync.broadcast_parameters(*net);
      for (const auto& p : net->named_parameters()) params[rank][p.key()] = p.value().detach().clone();
      for (const auto& b : net->named_buffers()) params[rank][b.key()] = b.value().clone();
      any_one[rank] = sync.any(rank == 1);
      any_none[rank] = sync.any(false);
      StepMetrics m;
      m.loss = 1.0 + rank;
      m.loss_rec = 2.0 * rank;
      m.grad_norm = 3.0;
      m.img_per_s = 10.0 + rank;
      m.contrastive_top1 = 0.5 * rank;
      sync.reduce_metrics(m);
      metrics[rank] = m;
    });
    QVERIFY(params[0].size() > 2);
    for (const auto& [k, v] : params[0]) QVERIFY2(torch::equal(v, params[1].at(k)), k.c_str());
    QVERIFY(params[0].at("1.running_mean").eq(1.0).all().item<bool>());  // rank 0's buffer
    for (int rank = 0; rank < world; ++rank) {
      QVERIFY(any_one[rank]);
      QVERIFY(!any_none[rank]);
      QCOMPARE(metrics[rank].loss, 1.5);
      QCOMPARE(metrics[rank].loss_rec, 1.0);
      QCOMPARE(metrics[rank].grad_norm, 3.0);
      QCOMPARE(metrics[rank].img_per_s, 21.0);
      QCOMPARE(*metrics[rank].contrastive_top1, 0.25);
    }
#endif
  }

  void twoProcessesEqualOneWithTheGlobalBatch() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    if (!QFileInfo::exists(can_train_exe())) QSKIP("can-train not built");
    const std::string dir = tmp_dir("equal");
    const int64_t steps = 5;
    const std::string cfg1 = write_run_config(dir, 16, steps), cfg2 = write_run_config(dir, 8, steps);
    const auto t0 = std::chrono::steady_clock::now();
    auto single = start_rank(cfg1, dir + "/single", 0, 1, 0);
    QVERIFY(single->waitForFinished(120000));
    QVERIFY2(single->exitCode() == 0, single->readAllStandardError().constData());
    const double t_single = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const int port = free_port();
    const auto t1 = std::chrono::steady_clock::now();
    auto r0 = start_rank(cfg2, dir + "/dist", 0, 2, port);
    auto r1 = start_rank(cfg2, dir + "/dist", 1, 2, port);
    QVERIFY(r0->waitForFinished(120000));
    QVERIFY(r1->waitForFinished(120000));
    const QByteArray err0 = r0->readAllStandardError(), err1 = r1->readAllStandardError();
    QVERIFY2(r0->exitCode() == 0, err0.constData());
    QVERIFY2(r1->exitCode() == 0, err1.constData());
    const double t_dist = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    qInfo("1 process x 16: %.1f s; 2 processes x 8: %.1f s (tool start-up included)", t_single, t_dist);
    QVERIFY2(err1.trimmed().isEmpty(), err1.constData());  // rank 1 prints nothing but errors
    QVERIFY(err0.contains("distributed over gloo"));

    const auto a = read_metrics_log(dir + "/single/metrics.jsonl");
    const auto b = read_metrics_log(dir + "/dist/metrics.jsonl");
    QCOMPARE(a.size(), size_t(steps));
    QCOMPARE(b.size(), size_t(steps));
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      QCOMPARE(b[i].step, a[i].step);
      QCOMPARE(b[i].lr, a[i].lr);  // lr scales with the global batch: 16 in both
      QCOMPARE(b[i].epoch, a[i].epoch);
      for (auto [x, y] : {std::pair{a[i].loss, b[i].loss}, {a[i].loss_info_nce, b[i].loss_info_nce},
                          {a[i].loss_rec, b[i].loss_rec}, {a[i].loss_denoise, b[i].loss_denoise},
                          {a[i].grad_norm, b[i].grad_norm}}) {
        worst = std::max(worst, std::abs(x - y));
        QVERIFY2(std::abs(x - y) < 1e-5, qPrintable(QString("step %1: %2 vs %3").arg(i + 1).arg(x, 0, 'g', 9).arg(y, 0, 'g', 9)));
      }
    }
    QVERIFY(a[0].loss != a[steps - 1].loss);  // training moved
    qInfo("largest loss/grad_norm difference over %lld steps: %.3g", (long long)steps, worst);

    CanModel ma = load_model(dir + "/single"), mb = load_model(dir + "/dist");
    auto pa = ma->named_parameters(), pb = mb->named_parameters();
    QCOMPARE(pa.size(), pb.size());
    // The key third of each qkv bias is the exception: softmax over keys ignores a shift
    // common to all keys, so its gradient is 0 analytically and only float rounding (~1e-10,
    // different for any other summation order, one process or two) reaches AdamW, which
    // scales it to updates of about lr * |g| / eps. It is checked against that bound.
    double max_diff = 0, key_bias_diff = 0;
    std::string worst_key;
    for (const auto& item : pa) {
      auto diff = (item.value() - pb[item.key()]).abs();
      if (item.key().find("attn.qkv.bias") != std::string::npos) {
        const int64_t d = diff.size(0) / 3;
        key_bias_diff = std::max(key_bias_diff, diff.narrow(0, d, d).max().item<double>());
        diff.narrow(0, d, d).zero_();
      }
      const double m = diff.max().item<double>();
      if (m > max_diff) max_diff = m, worst_key = item.key();
    }
    qInfo("largest weight difference after %lld steps: %.3g (%s); qkv key biases: %.3g", (long long)steps, max_diff,
          worst_key.c_str(), key_bias_diff);
    QVERIFY2(max_diff < 1e-5, qPrintable(QString::number(max_diff)));
    QVERIFY2(key_bias_diff < steps * 1e-3, qPrintable(QString::number(key_bias_diff)));  // peak lr 1e-3
#endif
  }

  // Two Trainers as ranks on threads; rank 1 alone gets a NaN in loss_rec at step 5. Both
  // must stop there with the term named (without the agreement, rank 0 fails in the
  // gradient all-reduce once rank 1 has left, with a collective error instead).
  void nanOnOneRankStopsEveryRank() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    const std::string dir = tmp_dir("nan");
    RunConfig c = load_run_config_file(write_run_config(dir, 8, 10));
    c.train.checkpoint_every = 3;
    const std::string run = dir + "/run";
    TrainResult results[2];
    std::vector<std::string> errors[2];
    std::map<std::string, std::string> checkpoints_after_4;
    const auto t0 = std::chrono::steady_clock::now();
    run_ranks(2, [&](int rank, dist::DistributedSync& sync) {
      std::shared_ptr<GradientSync> shared(&sync, [](GradientSync*) {});  // owned by run_ranks
      Trainer trainer(c, rank == 0 ? run : std::string(), nullptr, shared);  // as can-train: rank 0 writes
      test::RecordingObserver observer;
      observer.step_hook = [&](const StepMetrics& m) {
        if (m.step != 4) return;
        if (rank == 0) checkpoints_after_4 = test::read_tree(run + "/checkpoints");
        if (rank == 1) trainer.control().inject_nan_next_step();
      };
      trainer.set_observer(&observer);
      results[rank] = trainer.run();
      errors[rank] = observer.errors;
    });
    qInfo("both ranks returned %.2f s after starting",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    for (int rank : {0, 1}) {
      QCOMPARE(int(results[rank].status), int(TrainResult::Status::Failed));
      QCOMPARE(results[rank].step, int64_t(4));
      QCOMPARE(errors[rank], std::vector<std::string>{results[rank].message});
    }
    QCOMPARE(results[1].message, std::string("step 5: loss_rec is NaN"));
    QCOMPARE(results[0].message, std::string("step 5: loss_rec is non-finite on another process"));
    QVERIFY(checkpoints_after_4.count("step_000003/model.pt"));
    QVERIFY(test::read_tree(run + "/checkpoints") == checkpoints_after_4);
    QCOMPARE(resolve_checkpoint(run), run + "/checkpoints/step_000003");
#endif
  }

  void killingOneRankEndsTheOther() {
#if !CAN_WITH_C10D
    QSKIP("built without c10d");
#else
    if (!QFileInfo::exists(can_train_exe())) QSKIP("can-train not built");
    const std::string dir = tmp_dir("kill");
    const std::string cfg = write_run_config(dir, 8, 1000000);
    const int port = free_port();
    auto r0 = start_rank(cfg, dir + "/run", 0, 2, port);
    auto r1 = start_rank(cfg, dir + "/run", 1, 2, port);
    // Until rank 0 has logged two steps.
    const std::string metrics = dir + "/run/metrics.jsonl";
    for (int i = 0; i < 1200 && read_metrics_log(metrics).size() < 2; ++i) QTest::qWait(50);
    QVERIFY2(read_metrics_log(metrics).size() >= 2, r0->readAllStandardError().constData());
    r1->kill();  // SIGKILL: no goodbye to the peer
    const auto t0 = std::chrono::steady_clock::now();
    QVERIFY(r1->waitForFinished(10000));
    const bool ended = r0->waitForFinished(60000);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ended) r0->kill();
    const QByteArray err = r0->readAllStandardError();
    qInfo("rank 0 ended %.2f s after rank 1 was killed; its last words: %s", seconds,
          err.trimmed().split('\n').last().constData());
    QVERIFY2(ended, "rank 0 still running 60 s after its peer died");
    QCOMPARE(r0->exitStatus(), QProcess::NormalExit);
    QCOMPARE(r0->exitCode(), 1);
    QVERIFY2(err.contains("can-train: rank 0: error: step ") && err.contains("collective") &&
                 err.contains("another process died?"),
             err.constData());
#endif
  }
};

QTEST_GUILESS_MAIN(TestDist)
#include "tst_dist.moc"
