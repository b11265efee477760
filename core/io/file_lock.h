#pragma once
// An exclusive advisory lock between processes (and threads) that read-modify-write one
// file, e.g. several can-eval processes recording into the same RUN/eval.json.

#include <string>

namespace can::io {

// Holds flock(LOCK_EX) on an existing file or directory for its lifetime. Locking the
// directory that holds a file, rather than the file, keeps the lock valid across an atomic
// rename over that file (which replaces its inode) and leaves no lock file behind.
// Every holder must open its own FileLock: two in one process exclude each other too.
// Throws std::runtime_error("<path>: ...") when the path cannot be opened or locked.
class FileLock {
 public:
  explicit FileLock(const std::string& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace can::io
