#include "core/util/host_memory.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace can {

bool keep_freed_host_memory() {
  const char* opt_out = std::getenv("CAN_DEFAULT_MALLOC");
  if (opt_out && std::strcmp(opt_out, "1") == 0) return false;
#if defined(__GLIBC__)
  // Never mmap (so frees never munmap) and never trim the top of the heap: the pages of
  // one step's activations stay mapped for the next. The heap grows to the peak working
  // set of a step, which the process needs anyway.
  const bool no_mmap = mallopt(M_MMAP_MAX, 0) == 1;
  const bool no_trim = mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
  // One arena for every thread: a thread other than main (the studio's training thread,
  // the loader's workers) otherwise gets an arena of 64 MiB mmap'd heaps, which cannot
  // hold a step's large blocks and gives freed pages back; measured: the studio's
  // training thread ran 10-15% slower than can-train's main thread until this was set.
  const bool one_arena = mallopt(M_ARENA_MAX, 1) == 1;
  return no_mmap && no_trim && one_arena;
#else
  return false;
#endif
}

}  // namespace can
