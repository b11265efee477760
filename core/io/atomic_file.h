#pragma once
// Writing a file so that readers see either the old content or the new, never a torn one.

#include <cstddef>
#include <string>

namespace can::io {

struct AtomicWriteOptions {
  // The temporary file written first; "" = path + ".tmp." + pid + "." + a counter (two
  // processes, or two threads, writing the same target never share one). A fixed name lets
  // a writer find its own leftovers.
  std::string temp_path;
  // Also fsync the directory holding path after the rename, so that the rename itself
  // survives a power loss (the new name is on disk, not only the new content).
  bool sync_directory = false;
};

// Writes size bytes to a temporary file beside path, flushes it to disk (fsync), then
// renames it over path (atomic on POSIX within one file system). On any failure the
// temporary file is removed, path is untouched, and std::runtime_error("<path>: ...") is
// thrown (with sync_directory, a failed directory sync throws after path was replaced).
void write_file_atomic(const std::string& path, const void* data, size_t size, const AtomicWriteOptions& options = {});
void write_file_atomic(const std::string& path, const std::string& text, const AtomicWriteOptions& options = {});

// Flushes a file or a directory (its entries: names created, renamed or removed in it) to
// disk. Throws std::runtime_error("<path>: ...") naming it when it cannot be opened or synced.
void fsync_path(const std::string& path);

}  // namespace can::io
