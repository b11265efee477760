// util/device: the one pick_device of the trainer and can-eval. On a machine without CUDA
// (this one, CI) "auto" is the CPU and "cuda" is refused naming the setting; another value
// is refused naming the setting and quoting the value with its control characters visible.
#include <QtTest/QtTest>
#include <torch/torch.h>

#include <string>

#include "core/util/device.h"

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class TestDevice : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void cpuAndAuto() {
    QCOMPARE(can::pick_device("cpu").type(), torch::kCPU);
    QCOMPARE(can::pick_device("cpu", "--device", 3).type(), torch::kCPU);  // the rank matters only for CUDA
    const torch::Device a = can::pick_device("auto");
    if (torch::cuda::is_available()) {
      QCOMPARE(a, torch::Device(torch::kCUDA, 0));
    } else {
      QCOMPARE(a.type(), torch::kCPU);
    }
  }

  void refusalsNameTheSetting() {
    QCOMPARE(error_of([] { can::pick_device("tpu", "--device"); }),
             std::string("--device: expected auto, cpu or cuda, got \"tpu\""));
    QCOMPARE(error_of([] { can::pick_device("cu\x1b[2Jda"); }),
             std::string("train.device: expected auto, cpu or cuda, got \"cu\\x1b[2Jda\""));
    if (torch::cuda::is_available()) {
      const std::string e = error_of([] { can::pick_device("cuda", "train.device", 1000); });
      QVERIFY2(e.rfind("LOCAL_RANK: 1000 but this node has ", 0) == 0, e.c_str());
    } else {
      const std::string e = error_of([] { can::pick_device("cuda", "--device"); });
      QVERIFY2(e.rfind("--device: cuda requested but LibTorch sees no CUDA device", 0) == 0, e.c_str());
      const std::string t = error_of([] { can::pick_device("cuda"); });
      QVERIFY2(t.rfind("train.device: cuda requested but", 0) == 0, t.c_str());
    }
  }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "tst_device.moc"
