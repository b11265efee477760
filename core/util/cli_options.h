#pragma once
// Command-line options of the tools (can-train, can-eval, can-export, can-bench,
// can-loader-bench, can-device-check, can-studio), parsed one way: each tool declares its options, and
// the parser refuses what it does not know by name, suggesting the nearest known option:
//   can-bench: unknown option --img (did you mean --img-size?)
// A value option at the end of the line ("--steps" alone) is refused by name too, and so is
// one followed by another known option instead of its value ("--out --resume RUN").
// --help and -h are known to every tool. Exit code 2 for every refusal (usage_exit).
// No Qt, no LibTorch: the standard library only.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace can::cli {

// A command line the tool cannot run: what() says why, naming the option.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

constexpr int kExitUsage = 2;

// Levenshtein distance (insertions, deletions, substitutions, each 1).
size_t edit_distance(const std::string& a, const std::string& b);

// The known name nearest `unknown`, "" when none is near enough to be meant. Only the part
// before a '=' counts (--img-size=28 -> --img-size). Else the shortest known name that
// begins with it (--img -> --img-size), else the one at the smallest edit distance when
// that distance is at most 2 and at most half the name's length without its dashes
// (--setps -> --steps, --ot -> --out; --bogus -> none). Ties go to the first in `known`.
std::string nearest(const std::string& unknown, const std::vector<std::string>& known);

// "--k" and "zero" -> throws UsageError("--k: expected an integer, got \"zero\"").
int64_t to_int(const std::string& option, const std::string& value);
double to_double(const std::string& option, const std::string& value);

class Options {
 public:
  // program: the tool's name in messages ("can-bench"); usage: its --help text.
  Options(std::string program, std::string usage);

  // --name without a value: sets *target to true.
  Options& flag(const std::string& name, bool* target);
  // --name VALUE: the value into *target (the last one given wins).
  Options& value(const std::string& name, std::string* target);
  // --name VALUE: the value to a function, once per occurrence (repeatable options, and
  // checks: a UsageError it throws is passed on as it is).
  Options& value(const std::string& name, std::function<void(const std::string&)> on_value);
  // Arguments that are not options, in order, into the targets given (at most that many;
  // "--" ends the options). None declared: every such argument is refused.
  Options& positional(const std::string& name, std::string* target);

  // Parses args (without the program name). Returns false when --help or -h was given:
  // the caller prints the usage and exits 0. Throws UsageError naming the option.
  bool parse(const std::vector<std::string>& args) const;
  bool parse(int argc, char** argv) const;

  // For main(): parse(argc, argv); on --help the usage on stdout and exit 0; on a
  // UsageError "PROGRAM: message", a blank line and the usage on stderr and exit 2.
  void parse_or_exit(int argc, char** argv) const;
  // "PROGRAM: message", a blank line and the usage on stderr; returns kExitUsage.
  int usage_error(const std::string& message) const;

  const std::string& program() const { return program_; }
  const std::string& usage() const { return usage_; }
  // Every option name known, --help and -h included, in declaration order.
  std::vector<std::string> names() const;

 private:
  struct Option {
    std::string name;
    bool takes_value = false;
    std::function<void(const std::string&)> on_value;  // value options
    bool* flag = nullptr;                              // flags
  };
  Options& add(Option option);
  const Option* find(const std::string& name) const;

  std::string program_, usage_;
  std::vector<Option> options_;
  std::vector<std::pair<std::string, std::string*>> positionals_;
};

}  // namespace can::cli
