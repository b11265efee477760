#include "core/io/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace can::io {

namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open to sync: " + errno_text());
  if (::fsync(fd) != 0) {
    const std::string reason = errno_text();
    ::close(fd);
    throw std::runtime_error(path + ": fsync failed: " + reason);
  }
  ::close(fd);
}

void write_file_atomic(const std::string& path, const void* data, size_t size, const AtomicWriteOptions& options) {
  // The pid keeps two processes writing the same target from sharing a temporary file, the
  // counter two threads of one process.
  static std::atomic<uint64_t> writes{0};
  const std::string tmp = options.temp_path.empty()
                              ? path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(writes++)
                              : options.temp_path;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": cannot create " + tmp + ": " + errno_text());
  auto fail = [&](const std::string& what) {
    const std::string reason = errno_text();
    ::close(fd);
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": " + what + ": " + reason);
  };
  const char* p = static_cast<const char*>(data);
  size_t left = size;
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // Without fsync a crash after rename could leave the new name pointing at empty blocks.
  if (::fsync(fd) != 0) fail("fsync failed");
  if (::close(fd) != 0) {
    const std::string reason = errno_text();
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": close failed: " + reason);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string reason = errno_text();
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": rename from " + tmp + " failed: " + reason);
  }
  if (options.sync_directory) {
    const size_t slash = path.find_last_of('/');
    fsync_path(slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash));
  }
}

void write_file_atomic(const std::string& path, const std::string& text, const AtomicWriteOptions& options) {
  write_file_atomic(path, text.data(), text.size(), options);
}

}  // namespace can::io
