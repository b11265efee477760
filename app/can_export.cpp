// can-export: a checkpoint's encoder as safetensors under timm's VisionTransformer names,
// plus FILE.json with the architecture (or, with --full, every tensor of the CAN model).
// See docs/export.md.
//
// Exit codes: 0 ok, 1 error (missing/corrupt checkpoint, unwritable output), 2 usage.

#include <iostream>
#include <string>

#include "core/io/export.h"
#include "core/train/checkpoint.h"
#include "core/util/cli_options.h"

namespace {

constexpr const char* kUsage =
    "usage: can-export --checkpoint PATH --out FILE.safetensors [--full]\n"
    "\n"
    "  --checkpoint PATH  a checkpoint directory or a run directory (its latest checkpoint)\n"
    "  --out FILE         the safetensors file to write (atomically)\n"
    "  --full             every parameter and buffer of the CAN model (encoder., projector.,\n"
    "                     decoder.) instead of the timm encoder and its FILE.json\n";

}  // namespace

int main(int argc, char** argv) {
  std::string checkpoint, out;
  bool full = false;
  can::cli::Options options("can-export", kUsage);
  options.value("--checkpoint", &checkpoint).value("--out", &out).flag("--full", &full);
  options.parse_or_exit(argc, argv);
  if (checkpoint.empty() || out.empty()) return options.usage_error("--checkpoint and --out are required");
  try {
    can::CanModel model{nullptr};
    try {
      model = can::load_model(checkpoint);
    } catch (const c10::Error& e) {  // LibTorch's archive errors do not name the file
      throw std::runtime_error(checkpoint + ": cannot load the model: " + e.what_without_backtrace());
    }
    if (full) {
      can::io::export_full_model(model, out);
      std::cout << "wrote the full model (" << model->named_parameters().size() << " parameters) to " << out << "\n";
    } else {
      can::io::export_encoder(model, out);
      std::cout << "wrote the encoder (" << can::io::encoder_tensors(model).size() << " tensors, timm names) to "
                << out << " and its architecture to " << can::io::architecture_json_path(out) << "\n";
    }
    return 0;
  } catch (const c10::Error& e) {  // e.g. a corrupt model.pt; what() would add a C++ backtrace
    std::cerr << "can-export: error: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "can-export: error: " << e.what() << "\n";
    return 1;
  }
}
