#include "core/config/settings_schema.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>

#include "core/config/run_config.h"
#include "core/util/json_limits.h"
#include "core/util/number_text.h"

namespace can {

namespace {

using T = SettingType;

// One row of the table, written as key, type, help and then only what the key has.
struct Row : SettingSpec {
  Row(const char* k, T t, const char* h) {
    key = k;
    type = t;
    help = h;
  }
  Row& at_least(double v) { return min = Bound{v, true}, *this; }
  Row& above(double v) { return min = Bound{v, false}, *this; }
  Row& at_most(double v) { return max = Bound{v, true}, *this; }
  Row& below(double v) { return max = Bound{v, false}, *this; }
  Row& probability() { return at_least(0).at_most(1); }
  Row& one_of(std::initializer_list<const char*> values) { return choices.assign(values.begin(), values.end()), *this; }
  Row& means(const char* s) { return special = s, *this; }
  Row& changes_live() { return live = true, *this; }
  // Values in can, mae and simclr (docs/method.md "Baselines"); custom sets nothing.
  Row& modes(const char* can, const char* mae, const char* simclr) {
    mode_values = {{"can", can}, {"mae", mae}, {"simclr", simclr}};
    return *this;
  }
};

std::vector<SettingSpec> build_table() {
  std::vector<Row> rows = {
      // model
      Row("model.preset", T::kChoice,
          "timm's ViT sizes: sets embed_dim, depth, num_heads and the three decoder sizes; custom keeps them")
          .one_of({"tiny", "small", "base", "large", "huge", "custom"}),
      Row("model.embed_dim", T::kInteger, "d, encoder width (a multiple of 4 for the 2D sin-cos position embedding)")
          .at_least(4),
      Row("model.depth", T::kInteger, "encoder blocks").at_least(1),
      Row("model.num_heads", T::kInteger, "encoder attention heads (divides embed_dim)").at_least(1),
      Row("model.decoder_embed_dim", T::kInteger,
          "d_dec, decoder width, a multiple of 4 (the paper's ViT-B value: 512)")
          .at_least(4),
      Row("model.decoder_depth", T::kInteger, "decoder blocks").at_least(0),
      Row("model.decoder_num_heads", T::kInteger, "decoder attention heads (divides decoder_embed_dim)").at_least(1),
      Row("model.img_size", T::kInteger, "side of the views in pixels (images are cropped or resized to it)")
          .at_least(1),
      Row("model.in_chans", T::kInteger, "C, image channels; follows the data (see the rules above)").at_least(1),
      Row("model.patch_size", T::kInteger, "p, patch side; divides img_size; T = (img_size/p)² patches").at_least(1),
      Row("model.mlp_ratio", T::kNumber, "hidden width of every block's MLP / block width").above(0),
      Row("model.class_token", T::kBool, "timm's cls_token (not used by the contrastive mean pool)"),
      Row("model.proj_hidden_dim", T::kInteger, "projector hidden width").at_least(0).means("0 = embed_dim"),
      Row("model.proj_dim", T::kInteger, "r, width of the normalised contrastive embedding u").at_least(1),
      Row("model.noise_embed_scale", T::kNumber, "σ is multiplied by this before the sinusoidal embedding; 1 = raw σ")
          .at_least(0)
          .means("0 = 1000/σ_max, fixed when the model is built"),
      Row("model.init_from", T::kText,
          "a .safetensors encoder under timm's names (can-export's or timm's) that the run's encoder starts from")
          .means("\"\" = random initialisation"),
      // objectives
      Row("objectives.mode", T::kChoice, "the baseline a run trains: sets the keys that list a value per mode")
          .one_of({"can", "mae", "simclr", "custom"}),
      Row("objectives.contrastive", T::kBool, "C: InfoNCE between the two views (off: one view per image)")
          .modes("true", "false", "true"),
      Row("objectives.reconstruction", T::kBool, "A: MSE on the masked patches against the clean view")
          .modes("true", "true", "false"),
      Row("objectives.denoise", T::kBool, "N: noise added to the input, MSE on the visible patches against the noise")
          .modes("true", "false", "false"),
      // loss
      Row("loss.mask_ratio", T::kNumber, "m, fraction of the patches masked in each view; > 0 with A")
          .at_least(0)
          .below(1)
          .changes_live()
          .modes("0.5", "0.75", "0"),
      Row("loss.sigma_max", T::kNumber, "σ ~ U[0, σ_max] per image and view, in normalised pixel units; > 0 with N")
          .at_least(0)
          .changes_live(),
      Row("loss.tau", T::kNumber, "τ, InfoNCE temperature").above(0),
      Row("loss.w_infonce", T::kNumber, "λ_C, weight of L_InfoNCE in the total").at_least(0).changes_live(),
      Row("loss.w_rec", T::kNumber, "λ_A, weight of L_rec in the total").at_least(0).changes_live(),
      Row("loss.w_denoise", T::kNumber, "λ_N, weight of L_denoise in the total").at_least(0).changes_live(),
      Row("loss.norm_pix", T::kBool, "reconstruction target: each clean patch normalised by its own mean and variance"),
      Row("loss.noise_space", T::kChoice,
          "units of σ: normalized = added to the normalised view (the paper's); pixel = σ in [0,1] pixels, σe/std per "
          "channel")
          .one_of({"normalized", "pixel"}),
      Row("loss.denoise_target", T::kChoice,
          "what N predicts on visible patches: noise = σe (the paper's); unit = e itself, given σ (a variant)")
          .one_of({"noise", "unit"}),
      // data
      Row("data.dataset", T::kChoice, "what the images are")
          .one_of({"fashion-mnist", "mnist", "cifar10", "cifar100", "folder"}),
      Row("data.path", T::kText, "file or folder to read; empty = the packaged Fashion-MNIST (fashion-mnist only)"),
      Row("data.channels", T::kInteger, "channels of the views: 1 or 3 converts the images")
          .at_least(0)
          .at_most(3)
          .means("0 = follow the data"),
      Row("data.val_images", T::kInteger,
          "training images held out as the validation split (model selection, the kNN monitor)")
          .at_least(0)
          .means("0 = none: the kNN monitor reads the test split"),
      Row("data.min_image_side", T::kInteger,
          "smaller images are refused (folders: skipped); the trainer raises it to the patch size")
          .at_least(0),
      Row("data.num_workers", T::kInteger, "loader threads")
          .at_least(0)
          .means("0 = build batches on the training thread"),
      Row("data.prefetch_batches", T::kInteger, "batches prepared ahead of the training thread").at_least(1),
      Row("data.mean", T::kNumberList, "per-channel normalisation mean, [0,1] units; empty = the dataset's statistics"),
      Row("data.std", T::kNumberList, "per-channel normalisation std; empty = the dataset's statistics").above(0),
      Row("data.augment.preset", T::kChoice,
          "the augmentation recipe: sets the data.augment keys below (explicit ones override it)")
          .one_of({"simclr", "mae", "none"})
          .modes("simclr", "mae", "simclr"),
      Row("data.augment.random_crop", T::kBool, "RandomResizedCrop; false = the whole image resized"),
      Row("data.augment.crop_scale_min", T::kNumber, "smallest crop area, fraction of the image").above(0).at_most(1),
      Row("data.augment.crop_scale_max", T::kNumber, "largest crop area, fraction of the image (>= crop_scale_min)")
          .above(0)
          .at_most(1),
      Row("data.augment.crop_ratio_min", T::kNumber, "smallest crop aspect ratio w/h, drawn log-uniformly").above(0),
      Row("data.augment.crop_ratio_max", T::kNumber, "largest crop aspect ratio w/h (>= crop_ratio_min)").above(0),
      Row("data.augment.hflip_prob", T::kNumber, "probability of a horizontal flip").probability(),
      Row("data.augment.jitter_prob", T::kNumber, "probability of colour jitter").probability(),
      Row("data.augment.brightness", T::kNumber, "brightness factor drawn from [max(0, 1-b), 1+b]").at_least(0),
      Row("data.augment.contrast", T::kNumber, "contrast factor drawn from [max(0, 1-c), 1+c]").at_least(0),
      Row("data.augment.saturation", T::kNumber, "saturation factor drawn from [max(0, 1-s), 1+s]; RGB only")
          .at_least(0),
      Row("data.augment.hue", T::kNumber, "hue shift drawn from [-hue, hue] turns; RGB only").at_least(0).at_most(0.5),
      Row("data.augment.grayscale_prob", T::kNumber, "probability of a gray conversion (kept at C channels; RGB only)")
          .probability(),
      Row("data.augment.blur_prob", T::kNumber, "probability of a Gaussian blur").probability(),
      Row("data.augment.blur_sigma_min", T::kNumber, "smallest blur σ, output pixels").above(0),
      Row("data.augment.blur_sigma_max", T::kNumber, "largest blur σ, output pixels (>= blur_sigma_min)").above(0),
      Row("data.augment.blur_kernel_frac", T::kNumber,
          "blur kernel side as a fraction of the output side (SimCLR: 10%)")
          .above(0)
          .at_most(1),
      Row("data.augment.blur_min_size", T::kInteger, "no blur for outputs smaller than this many pixels").at_least(0),
      // train
      Row("train.batch_size", T::kInteger,
          "images per optimizer step per process, before accumulation; >= 2 with C (InfoNCE needs negatives)")
          .at_least(1),
      Row("train.steps", T::kInteger, "optimizer steps of the run").at_least(0).means("0 = epochs × steps per epoch"),
      Row("train.epochs", T::kInteger, "passes over the training split (when steps is 0)").at_least(0),
      Row("train.base_lr", T::kNumber, "learning rate per 256 images: peak lr = base_lr × effective batch / 256")
          .above(0),
      Row("train.warmup_steps", T::kInteger, "linear warmup length in steps")
          .at_least(-1)
          .means("-1 = use warmup_epochs"),
      Row("train.warmup_epochs", T::kNumber, "warmup length in epochs (when warmup_steps is -1); clamped to the run")
          .at_least(0),
      Row("train.min_lr", T::kNumber, "learning rate at the end of the cosine decay").at_least(0),
      Row("train.weight_decay", T::kNumber,
          "AdamW decay on weight matrices (none on biases, norms, tokens, position embeddings)")
          .at_least(0),
      Row("train.betas", T::kNumberList, "AdamW β1, β2").at_least(0).below(1),
      Row("train.grad_clip", T::kNumber, "clip the global gradient L2 norm to this").at_least(0).means("0 = off"),
      Row("train.accum_steps", T::kInteger, "micro-batches accumulated into one optimizer step").at_least(1),
      Row("train.seed", T::kInteger, "seed of the weights, masks, noise and data order").at_least(0),
      Row("train.device", T::kChoice, "where to train; auto = CUDA when available").one_of({"auto", "cpu", "cuda"}),
      Row("train.precision", T::kChoice,
          "bf16 = autocast (GEMMs in bfloat16, losses and noise in float32); auto = bf16 on CUDA, fp32 on CPU")
          .one_of({"auto", "fp32", "bf16"}),
      Row("train.threads", T::kInteger, "LibTorch threads")
          .at_least(0)
          .means("0 = all cores (in a distributed job: cores / local processes)"),
      Row("train.log_every", T::kInteger, "can-train prints a line every this many steps").at_least(1),
      Row("train.snapshot_every", T::kInteger, "images for the studio and RUN/snapshots every this many steps")
          .at_least(0)
          .means("0 = only on request"),
      Row("train.snapshot_samples", T::kInteger, "images per snapshot").at_least(1),
      Row("train.snapshot_keep", T::kInteger,
          "snapshots kept in RUN/snapshots: the newest this many and a thinned history of as many again")
          .at_least(0)
          .means("0 = none written"),
      Row("train.knn_every", T::kInteger, "kNN monitor every this many steps (metric knn_top1)")
          .at_least(0)
          .means("0 = off"),
      Row("train.knn_train_images", T::kInteger, "first images of the train split used as the kNN bank").at_least(1),
      Row("train.knn_test_images", T::kInteger,
          "first images of the validation split (data.val_images), else of the test split, used as queries")
          .at_least(1),
      Row("train.knn_k", T::kInteger, "neighbours voting (temperature 0.07)").at_least(1),
      Row("train.balance_every", T::kInteger,
          "objective balance every this many steps: each term's encoder-gradient norm, their cosines and shares")
          .at_least(0)
          .means("0 = off"),
      Row("train.health_every", T::kInteger,
          "representation health of the step's contrastive embeddings every this many steps (needs C)")
          .at_least(0)
          .means("0 = off"),
      Row("train.checkpoint_every", T::kInteger, "checkpoint every this many steps")
          .at_least(0)
          .means("0 = only at the end or on stop"),
      Row("train.keep_last", T::kInteger, "checkpoints kept on disk").at_least(0).means("0 = keep all"),
  };
  // The defaults: a default RunConfig through JSON. (A named default, not a temporary:
  // GCC 12 warns falsely about the temporary's strings once this is inlined.)
  const RunConfig defaults;
  const nlohmann::json j = defaults;
  std::vector<SettingSpec> table;
  for (Row& row : rows) {
    const nlohmann::json& v = j.at(nlohmann::json::json_pointer("/" + [&] {
      std::string path = row.key;
      for (char& c : path)
        if (c == '.') c = '/';
      return path;
    }()));
    row.default_text = v.is_string() ? v.get<std::string>() : v.dump();
    table.push_back(std::move(row));
  }
  return table;
}

std::string bound_text(double v) { return number_text(v); }

std::string join_choices(const std::vector<std::string>& choices) {
  std::string s;
  for (size_t i = 0; i < choices.size(); ++i) s += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  return s;
}

}  // namespace

std::string SettingSpec::range_text() const {
  if (type == T::kChoice) return join_choices(choices);
  if (min && max)
    return std::string(min->inclusive ? "[" : "(") + bound_text(min->value) + ", " + bound_text(max->value) +
           (max->inclusive ? "]" : ")");
  if (min) return std::string(min->inclusive ? ">= " : "> ") + bound_text(min->value);
  if (max) return std::string(max->inclusive ? "<= " : "< ") + bound_text(max->value);
  return "";
}

const std::string* SettingSpec::value_in_mode(std::string_view mode) const {
  for (const auto& [m, v] : mode_values)
    if (m == mode) return &v;
  return nullptr;
}

const std::vector<SettingSpec>& settings_schema() {
  static const std::vector<SettingSpec> table = build_table();
  return table;
}

const SettingSpec* find_setting(std::string_view key) {
  for (const SettingSpec& s : settings_schema())
    if (s.key == key) return &s;
  return nullptr;
}

std::vector<std::string> live_setting_keys() {
  std::vector<std::string> keys;
  for (const SettingSpec& s : settings_schema())
    if (s.live) keys.push_back(s.key);
  return keys;
}

const std::vector<std::string>& objective_modes() { return find_setting("objectives.mode")->choices; }

std::string range_problem(const SettingSpec& spec, double value) {
  const bool integer = spec.type == T::kInteger;
  const std::string got =
      integer && std::fabs(value) < 9.2e18 ? std::to_string(static_cast<int64_t>(value)) : number_text(value);
  const std::string note = spec.special.empty() ? "" : " (" + spec.special + ")";
  if (!std::isfinite(value)) return "must be a finite number" + note + ", got " + got;
  const bool low = spec.min && (spec.min->inclusive ? value < spec.min->value : value <= spec.min->value);
  const bool high = spec.max && (spec.max->inclusive ? value > spec.max->value : value >= spec.max->value);
  if (!low && !high) return "";
  const std::string range = spec.range_text();
  return (spec.min && spec.max ? "must be in " : "must be ") + range + note + ", got " + got;
}

std::string choice_problem(const SettingSpec& spec, const std::string& value) {
  for (const std::string& c : spec.choices)
    if (c == value) return "";
  return "unknown value '" + clip_text(value) + "' (expected " + join_choices(spec.choices) + ")";
}

std::vector<std::string> schema_sections() {
  std::vector<std::string> sections;
  for (const SettingSpec& s : settings_schema()) {
    const std::string section = s.key.substr(0, s.key.find('.'));
    if (sections.empty() || sections.back() != section) sections.push_back(section);
  }
  return sections;
}

std::string config_reference_markdown(std::string_view section) {
  auto cell = [](std::string text) {  // a '|' would end the cell
    for (size_t at = 0; (at = text.find('|', at)) != std::string::npos; at += 2) text.replace(at, 1, "\\|");
    return text;
  };
  std::string md = "| key | default | range | meaning |\n|---|---|---|---|\n";
  for (const SettingSpec& s : settings_schema()) {
    if (s.key.compare(0, section.size() + 1, std::string(section) + ".") != 0) continue;
    std::string meaning = s.help;
    if (!s.special.empty()) meaning += "; " + s.special;
    if (!s.mode_values.empty()) {
      meaning += "; per mode:";
      for (size_t i = 0; i < s.mode_values.size(); ++i)
        meaning += std::string(i ? "," : "") + " " + s.mode_values[i].first + " " + s.mode_values[i].second;
    }
    if (s.live) meaning += "; changes live";
    const std::string def = s.type == T::kText && s.default_text.empty() ? "\"\"" : "`" + s.default_text + "`";
    md += "| " + s.key + " | " + cell(def) + " | " + cell(s.range_text()) + " | " + cell(meaning) + " |\n";
  }
  return md;
}

}  // namespace can
