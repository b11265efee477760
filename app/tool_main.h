#pragma once
// The end of a headless tool's main(), once its options are declared: parse them (a usage
// error exits 2 naming the option), check what they mean together (UsageError: exit 2 with
// the usage), then run; an error while running is printed as "TOOL: error: ..." and exits 1.
// LibTorch's own errors are printed without the C++ backtrace what() would add (e.g. a
// corrupt model.pt).

#include <c10/util/Exception.h>

#include <exception>
#include <functional>
#include <iostream>

#include "core/util/cli_options.h"

namespace can::cli {

inline int run_tool(const Options& options, int argc, char** argv, const std::function<void()>& check,
                    const std::function<int()>& run) {
  options.parse_or_exit(argc, argv);
  try {
    check();
  } catch (const UsageError& e) {
    return options.usage_error(e.what());
  }
  try {
    return run();
  } catch (const c10::Error& e) {
    std::cerr << options.program() << ": error: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << options.program() << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace can::cli
