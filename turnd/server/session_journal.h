// SessionJournal: the session-log rows that could not reach PostgreSQL, kept
// on disk (STATE_DIR/session-log.journal) until they can. Rows are already
// pseudonymised. One text line per row, tab-separated, "A1" first for an
// allocation_log row, "P1" for a participation_log row; append() fsyncs before it returns, so a row
// in the journal survives a crash or a power cut. A torn last line (a crash
// in the middle of a write) has no newline and is ignored when read.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "db/allocation_log.h"
#include "db/participation_log.h"

namespace turnd::server {

using SessionRow = std::variant<db::AllocationRow, db::ParticipationRow>;

std::string journal_line(const SessionRow& row);  // without the newline
std::optional<SessionRow> parse_journal_line(std::string_view line);

class SessionJournal {
 public:
  explicit SessionJournal(std::filesystem::path file) : file_(std::move(file)) {}

  // Appends and fsyncs; false (errno set) when the disk refuses.
  bool append(std::span<const SessionRow> rows);
  // Every complete row, oldest first; lines that do not parse are counted in
  // `unreadable` and skipped.
  std::vector<SessionRow> read_all(size_t* unreadable = nullptr) const;
  // After every row has been written to the database.
  void clear();
  bool empty() const;
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace turnd::server
