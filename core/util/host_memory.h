#pragma once
// A training step allocates and frees the same few GiB of activations every step. glibc's
// malloc hands every block above 32 MiB (and, adaptively, smaller ones) straight to mmap
// and gives it back with munmap on free, so each step page-faults its whole working set
// in again and the kernel zeroes it: measured on the 2-core CPU machine, the tiny CAN
// step spent two thirds of its time there (docs/performance.md). Keeping freed memory
// in the heap makes later steps reuse warm pages.

namespace can {

// Tells glibc's malloc to serve large blocks from the heap and to keep freed memory for
// reuse (M_MMAP_MAX = 0, no trimming), from one arena shared by all threads. Call once, early, in a process that trains or
// evaluates. Idempotent; a no-op where the C library is not glibc, or when the
// environment variable CAN_DEFAULT_MALLOC=1 asks for the C library's defaults (for
// side-by-side measurements). Returns whether the setting was applied.
bool keep_freed_host_memory();

}  // namespace can
