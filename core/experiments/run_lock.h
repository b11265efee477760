#pragma once
// RUN/run.lock: says that a process is writing the run folder, so that the runs browser
// shows the run as running and refuses to delete it. {"pid": 1234, "host": "box",
// "started": unix seconds}. Written when a run starts writing its folder (can-train, the
// studio's training worker) and removed when it ends; a process killed outright leaves it
// behind, so a lock only counts while its pid is alive on this host (a stale lock is
// ignored and overwritten by the next run).

#include <cstdint>
#include <optional>
#include <string>

namespace can::runs {

struct LockInfo {
  int64_t pid = 0;
  std::string host;
  int64_t started = 0;  // unix seconds
};

// Holds RUN/run.lock for its lifetime (RAII): written atomically by the constructor
// (std::runtime_error naming the file when it cannot be), removed by the destructor if it
// is still this process's.
class RunLock {
 public:
  explicit RunLock(const std::string& run_dir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  std::string path_;
};

// This machine's host name, as a lock records it.
std::string this_host();

// RUN/run.lock; nullopt when there is none. Throws std::runtime_error naming the file when
// it is not a lock (not JSON, no pid).
std::optional<LockInfo> read_run_lock(const std::string& run_dir);

// Whether a lock belongs to a process alive now: on this host, kill(pid, 0) succeeds or
// fails with EPERM (alive, someone else's). A lock from another host cannot be checked and
// counts as live.
bool lock_is_live(const LockInfo& lock);

// read_run_lock + lock_is_live; a corrupt lock counts as not running.
bool run_is_locked(const std::string& run_dir);

}  // namespace can::runs
