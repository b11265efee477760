#include "core/io/file_lock.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace can::io {

FileLock::FileLock(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(path + ": cannot open to lock: " + std::strerror(errno));
  int rc;
  do rc = ::flock(fd_, LOCK_EX);
  while (rc != 0 && errno == EINTR);  // a signal while waiting for the other holder
  if (rc != 0) {
    const std::string reason = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error(path + ": cannot lock: " + reason);
  }
}

// Closing the descriptor releases the lock.
FileLock::~FileLock() { ::close(fd_); }

}  // namespace can::io
