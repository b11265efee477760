#include "core/util/cli_options.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "core/util/escape.h"

namespace can::cli {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];  // row[i-1][j-1]
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string nearest(const std::string& unknown, const std::vector<std::string>& known) {
  const std::string key = unknown.substr(0, unknown.find('='));
  const size_t dashes = std::min(key.find_first_not_of('-'), key.size());
  const size_t letters = key.size() - dashes;
  if (letters == 0) return "";
  if (std::find(known.begin(), known.end(), key) != known.end()) return key;
  const std::string* best = nullptr;
  for (const std::string& k : known)  // the shortest one it begins
    if (k.size() > key.size() && k.compare(0, key.size(), key) == 0 && (!best || k.size() < best->size())) best = &k;
  if (best) return *best;
  size_t best_distance = 0;
  for (const std::string& k : known) {
    const size_t d = edit_distance(key, k);
    if (!best || d < best_distance) {
      best = &k;
      best_distance = d;
    }
  }
  if (best && best_distance <= 2 && 2 * best_distance <= letters) return *best;
  return "";
}

int64_t to_int(const std::string& option, const std::string& value) {
  try {
    size_t used = 0;
    const long long x = std::stoll(value, &used);
    if (used == value.size()) return x;
  } catch (const std::exception&) {
  }
  throw UsageError(option + ": expected an integer, got \"" + escape_controls(value) + "\"");
}

double to_double(const std::string& option, const std::string& value) {
  try {
    size_t used = 0;
    const double x = std::stod(value, &used);
    if (used == value.size()) return x;
  } catch (const std::exception&) {
  }
  throw UsageError(option + ": expected a number, got \"" + escape_controls(value) + "\"");
}

Options::Options(std::string program, std::string usage) : program_(std::move(program)), usage_(std::move(usage)) {}

Options& Options::add(Option option) {
  if (option.name.size() < 2 || option.name[0] != '-' || find(option.name))
    throw std::logic_error("cli::Options: bad or repeated option name " + option.name);
  options_.push_back(std::move(option));
  return *this;
}

Options& Options::flag(const std::string& name, bool* target) {
  Option o;
  o.name = name;
  o.flag = target;
  return add(std::move(o));
}

Options& Options::value(const std::string& name, std::string* target) {
  return value(name, [target](const std::string& v) { *target = v; });
}

Options& Options::value(const std::string& name, std::function<void(const std::string&)> on_value) {
  Option o;
  o.name = name;
  o.takes_value = true;
  o.on_value = std::move(on_value);
  return add(std::move(o));
}

Options& Options::positional(const std::string& name, std::string* target) {
  positionals_.emplace_back(name, target);
  return *this;
}

const Options::Option* Options::find(const std::string& name) const {
  for (const Option& o : options_)
    if (o.name == name) return &o;
  return nullptr;
}

std::vector<std::string> Options::names() const {
  std::vector<std::string> out;
  for (const Option& o : options_) out.push_back(o.name);
  out.push_back("--help");
  out.push_back("-h");
  return out;
}

bool Options::parse(const std::vector<std::string>& args) const {
  size_t next_positional = 0;
  bool options_ended = false;
  auto take_positional = [&](const std::string& arg) {
    if (next_positional >= positionals_.size())
      throw UsageError("unexpected argument \"" + escape_controls(arg) + "\"");
    *positionals_[next_positional++].second = arg;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      take_positional(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") return false;
    const Option* o = find(arg);
    if (!o) {
      const std::string near = nearest(arg, names());
      std::string message = "unknown option " + escape_controls(arg);
      if (!near.empty()) {
        const size_t eq = arg.find('=');
        const Option* meant = find(near);
        message +=
            " (did you mean " + near +
            (eq != std::string::npos && meant && meant->takes_value ? " " + escape_controls(arg.substr(eq + 1)) : "") +
            "?)";
      }
      throw UsageError(message);
    }
    if (!o->takes_value) {
      if (o->flag) *o->flag = true;
      continue;
    }
    if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
    const std::string& v = args[++i];
    if (v == "--help" || v == "-h" || find(v)) throw UsageError(arg + " needs a value (got the option " + v + ")");
    o->on_value(v);
  }
  return true;
}

bool Options::parse(int argc, char** argv) const {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return parse(args);
}

int Options::usage_error(const std::string& message) const {
  std::cerr << program_ << ": " << message << "\n\n" << usage_;
  std::cerr.flush();
  return kExitUsage;
}

void Options::parse_or_exit(int argc, char** argv) const {
  bool run = false;
  try {
    run = parse(argc, argv);
  } catch (const UsageError& e) {
    std::exit(usage_error(e.what()));
  }
  if (!run) {
    std::cout << usage_;
    std::cout.flush();
    std::exit(0);
  }
}

}  // namespace can::cli
