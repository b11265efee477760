#pragma once
// What the runs browser changes in a run folder: its tags and note (RUN/notes.json, the
// user's own words about a run, kept apart from the files the run writes), and deleting it.

#include <string>
#include <vector>

namespace can::runs {

struct RunNotes {
  std::vector<std::string> tags;
  std::string note;
};

// RUN/notes.json: {"tags": ["baseline", ...], "note": "text"}. Missing = empty notes;
// unreadable or not such an object = std::runtime_error naming the file.
RunNotes read_run_notes(const std::string& run_dir);

// Writes RUN/notes.json atomically: tags trimmed of white space, empty ones dropped,
// duplicates dropped (first kept, order kept). Throws std::runtime_error naming the file.
void write_run_notes(const std::string& run_dir, const RunNotes& notes);

// Deletes a run folder and everything in it. Refuses (std::runtime_error naming the folder)
// a folder that does not look like a run (no config.json, metrics.jsonl or events.jsonl)
// and a run that is running (a live run.lock).
void remove_run(const std::string& run_dir);

}  // namespace can::runs
