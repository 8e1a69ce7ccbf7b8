#include "turnd/server/session_log_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "db/errors.h"
#include "db/session_logs.h"
#include "turnd/common/log.h"

namespace turnd::server {
namespace {

constexpr size_t kBatch = 1000;          // rows per transaction
constexpr size_t kHardLimitFactor = 10;  // memory may grow this far when the journal fails
constexpr auto kMaintenanceEvery = std::chrono::hours(24);
constexpr auto kStampEvery = std::chrono::seconds(15);

std::string uuid_text(const std::array<std::byte, 16>& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto b = static_cast<unsigned>(id[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') return "turnd";
  return name;
}

int64_t started_at(const SessionRow& r) {
  if (const auto* a = std::get_if<db::AllocationRow>(&r)) return a->started_at;
  return std::get<db::ParticipationRow>(r).joined_at;
}

const std::string& event_id(const SessionRow& r) {
  if (const auto* a = std::get_if<db::AllocationRow>(&r)) return a->event_id;
  return std::get<db::ParticipationRow>(r).event_id;
}

// Allocation rows and participation rows of a batch, each kind in one
// transaction; a failure in the second leaves the first written, which a
// replay writes again harmlessly.
void write_both(db::Database& database, std::span<const SessionRow> rows) {
  std::vector<db::AllocationRow> allocations;
  std::vector<db::ParticipationRow> participations;
  for (const SessionRow& r : rows) {
    if (const auto* a = std::get_if<db::AllocationRow>(&r)) {
      allocations.push_back(*a);
    } else {
      participations.push_back(std::get<db::ParticipationRow>(r));
    }
  }
  db::write_allocation_rows(database, allocations);
  db::write_participation_rows(database, participations);
}

int64_t read_stamp(const std::filesystem::path& file) {
  std::ifstream in(file);
  int64_t value = 0;
  return in >> value ? value : 0;
}

}  // namespace

SessionLogSettings SessionLogSettings::from(const config::Config& c) {
  SessionLogSettings s;
  s.database_url = c.database;
  s.node = c.server_name.empty() ? host_name() : c.server_name;
  s.realm = c.realm;
  s.retention_seconds = c.log_retention_seconds;
  s.address_mode = c.session_log_address;
  s.hash_users = c.session_log_user_hash;
  s.rest_separator = c.rest_api_separator;
  s.memory_limit = c.session_log_memory;
  s.state_dir = c.state_dir;
  return s;
}

SessionLogWriter::SessionLogWriter(SessionLogSettings settings, const Clock& clock,
                                   std::vector<SessionLogQueue*> queues)
    : settings_(std::move(settings)),
      clock_(clock),
      queues_(std::move(queues)),
      pseudonymizer_(settings_.state_dir.empty() ? std::filesystem::path()
                                                 : settings_.state_dir / "pseudonym.key",
                     settings_.retention_seconds, settings_.address_mode, settings_.hash_users,
                     settings_.rest_separator) {
  if (settings_.state_dir.empty()) return;
  journal_.emplace(settings_.state_dir / "session-log.journal");
  previous_journal_.emplace(settings_.state_dir / "session-log.journal.previous");
  previous_alive_ = read_stamp(settings_.state_dir / "session-log.alive");
  // Earlier runs' rows go first and apart from this run's, so that closing
  // their open sessions as crashed can never touch one of this run.
  if (!journal_->empty()) {
    std::vector<SessionRow> rows = journal_->read_all();
    if (previous_journal_->append(rows)) journal_->clear();
  }
  journal_has_rows_ = !journal_->empty();
  previous_has_rows_ = !previous_journal_->empty();
  stats_.in_journal = journal_->read_all().size() + previous_journal_->read_all().size();
  if (stats_.in_journal != 0) {
    LOG_INFO("sessionlog", "%llu session-log row(s) from an earlier run wait in %s",
             static_cast<unsigned long long>(stats_.in_journal.load()),
             settings_.state_dir.c_str());
  }
}

SessionLogWriter::~SessionLogWriter() {
  if (thread_.joinable()) stop(std::chrono::seconds(0));
}

void SessionLogWriter::start() {
  thread_ = std::thread([this] { run(); });
}

void SessionLogWriter::stop(std::chrono::seconds deadline) {
  {
    std::lock_guard lock(wake_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  // The producers have stopped: what they still hold is written now.
  final_flush_ = true;
  collect(true);
  SteadyTime until = clock_.now() + deadline;
  next_connect_ = {};
  while (!memory_.empty() || journal_has_rows_) {
    if (!ensure_connected()) break;
    if (!recovered_) after_connect();
    if (recovered_ && (!journal_ || replay(*journal_, journal_has_rows_)) && write_memory()) break;
    if (clock_.now() >= until) break;
  }
  if (!memory_.empty()) {
    LOG_WARN("sessionlog", "database unreachable at shutdown: %zu row(s) go to the journal",
             memory_.size());
    spill_to_journal();
  }
  stamp_alive();
  update_gauges();
}

uint64_t SessionLogWriter::queued_in_workers() const noexcept {
  uint64_t n = 0;
  for (const SessionLogQueue* q : queues_) n += q->queued();
  return n;
}

std::string SessionLogWriter::problem() const {
  if (stats_.database_up) return {};
  std::lock_guard lock(problem_mutex_);
  if (stats_.journal_failing) {
    return "session log: database unreachable (" + last_error_ + ") and journal not writable";
  }
  if (stats_.journal_full && stats_.in_memory > settings_.memory_limit) {
    return "session log: database unreachable (" + last_error_ + ") and journal full";
  }
  if (!journal_ && stats_.in_memory > settings_.memory_limit) {
    return "session log: database unreachable (" + last_error_ + ") and no journal";
  }
  return {};  // buffering within bounds
}

void SessionLogWriter::run() {
  while (true) {
    {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, settings_.poll_interval, [this] { return stopping_; });
      if (stopping_) return;
    }
    collect(false);
    if (ensure_connected()) {
      poll_changes();
    }
    if (database_) {
      if (!recovered_) after_connect();
      if (recovered_ && (!journal_ || replay(*journal_, journal_has_rows_)) && write_memory()) {
        daily_maintenance();
      }
    }
    if (!database_) spill_to_journal();
    stamp_alive();
    update_gauges();
  }
}

void SessionLogWriter::collect(bool producers_stopped) {
  for (SessionLogQueue* q : queues_) {
    while (auto e = producers_stopped ? q->pop_after_producer_stopped() : q->pop()) {
      memory_.push_back(std::visit([this](const auto& event) { return to_row(event); }, *e));
    }
  }
}

SessionRow SessionLogWriter::to_row(const AllocationEvent& e) {
  int64_t now = clock_.unix_seconds();
  db::AllocationRow r;
  r.event_id = uuid_text(e.id);
  r.started_at = e.started_at;
  if (e.ended_at != 0) {
    r.ended_at = e.ended_at;
    r.end_reason = turn::end_reason_name(e.reason);
  }
  r.node = settings_.node;
  r.realm = settings_.realm;
  r.user_hash = pseudonymizer_.user_hash(settings_.realm, e.user, now);
  r.client_prefix = pseudonymizer_.address_prefix(e.client);
  r.client_hash = pseudonymizer_.address_hash(e.client, now);
  r.client_transport = turn::to_string(e.transport);
  r.client_family = e.client.is_v4() ? "ipv4" : "ipv6";
  r.relay_family = e.relay_v4 && e.relay_v6 ? "dual" : e.relay_v6 ? "ipv6" : "ipv4";
  r.bytes_from_client = e.traffic.bytes_from_client;
  r.bytes_to_client = e.traffic.bytes_to_client;
  r.packets_from_client = e.traffic.packets_from_client;
  r.packets_to_client = e.traffic.packets_to_client;
  return r;
}

SessionRow SessionLogWriter::to_row(const ParticipationEvent& e) {
  int64_t now = clock_.unix_seconds();
  db::ParticipationRow r;
  r.event_id = uuid_text(e.id);
  r.joined_at = e.joined_at;
  if (e.left_at != 0) {
    r.left_at = e.left_at;
    r.end_reason = e.end_reason;
  }
  r.node = settings_.node;
  if (e.room_id != 0) r.room_id = e.room_id;
  r.participant_hash = pseudonymizer_.participant_hash(e.name, now);
  r.client_prefix = pseudonymizer_.address_prefix(e.client);
  r.client_hash = pseudonymizer_.address_hash(e.client, now);
  r.moderator = e.moderator;
  r.media_sent = e.media_sent;
  r.bytes_from_participant = e.bytes_from;
  r.bytes_to_participant = e.bytes_to;
  return r;
}

bool SessionLogWriter::ensure_connected() {
  if (database_) return true;
  SteadyTime now = clock_.now();
  if (now < next_connect_) return false;
  try {
    database_.emplace(settings_.database_url, "turnd-sessionlog", db::kDaemonTimeouts);
    if (on_change_) feed_.emplace(*database_);
  } catch (const db::Error& e) {
    lose_connection(e.what());
    return false;
  }
  bool was_down = stats_.outages != 0;
  stats_.database_up = true;
  retry_interval_ = std::chrono::seconds(1);
  if (was_down) {
    LOG_INFO("sessionlog", "database reachable again: writing %zu row(s) from memory%s",
             memory_.size(), journal_has_rows_ ? " and the journal" : "");
    if (on_change_) on_change_({"reconnected"});  // changes made meanwhile were not heard
  }
  return true;
}

void SessionLogWriter::lose_connection(const std::string& why) {
  bool was_up = stats_.database_up || stats_.outages == 0;
  feed_.reset();
  database_.reset();
  stats_.database_up = false;
  {
    std::lock_guard lock(problem_mutex_);
    last_error_ = why;
  }
  if (was_up) {
    ++stats_.outages;
    LOG_WARN("sessionlog",
             "database unreachable, session logs are kept (memory up to %zu rows, "
             "then the journal) and written when it returns: %s",
             settings_.memory_limit, why.c_str());
  }
  next_connect_ = clock_.now() + retry_interval_;
  retry_interval_ = std::min(retry_interval_ * 2, settings_.max_retry_interval);
}

// The first connection of this run: rows earlier runs left in the journal go
// first, then the sessions they left open are closed as crashed. Nothing of
// this run has been written yet, so every open row of this node is theirs.
void SessionLogWriter::after_connect() {
  if (previous_journal_ && !replay(*previous_journal_, previous_has_rows_)) return;
  int64_t now = clock_.unix_seconds();
  int64_t alive = previous_alive_ > 0 ? std::min(previous_alive_, now) : now;
  try {
    int64_t closed = db::close_crashed_allocations(*database_, settings_.node, alive);
    int64_t visits = db::close_crashed_participations(*database_, settings_.node, alive);
    if (closed > 0 || visits > 0) {
      stats_.closed_after_crash += static_cast<uint64_t>(closed + visits);
      LOG_WARN("sessionlog",
               "closed %lld allocation(s) and %lld conference visit(s) that an "
               "earlier run of node %s left open (end reason crash)",
               static_cast<long long>(closed), static_cast<long long>(visits),
               settings_.node.c_str());
    }
  } catch (const db::ConnectError& e) {
    lose_connection(e.what());
    return;
  } catch (const db::Error& e) {
    LOG_ERROR("sessionlog", "cannot close the sessions of an earlier run: %s", e.what());
  }
  recovered_ = true;
}

bool SessionLogWriter::replay(SessionJournal& journal, bool& has_rows) {
  if (!has_rows) return true;
  size_t unreadable = 0;
  std::vector<SessionRow> rows = journal.read_all(&unreadable);
  if (unreadable != 0) {
    LOG_ERROR("sessionlog", "%zu line(s) of %s are unreadable and skipped", unreadable,
              journal.file().c_str());
  }
  size_t total = rows.size() + unreadable;
  // Rows past the retention would be purged at once: they are not written at all.
  int64_t cutoff = clock_.unix_seconds() - settings_.retention_seconds;
  std::erase_if(rows, [cutoff](const SessionRow& r) { return started_at(r) < cutoff; });
  for (size_t i = 0; i < rows.size(); i += kBatch) {
    size_t n = std::min(kBatch, rows.size() - i);
    if (!write_rows(std::span(rows).subspan(i, n))) return false;
  }
  journal.clear();
  has_rows = false;
  stats_.in_journal -= std::min<uint64_t>(stats_.in_journal, total);
  if (!rows.empty()) {
    LOG_INFO("sessionlog", "wrote %zu row(s) from %s", rows.size(), journal.file().c_str());
  }
  return true;
}

bool SessionLogWriter::write_memory() {
  while (!memory_.empty()) {
    size_t n = std::min(kBatch, memory_.size());
    std::vector<SessionRow> batch(memory_.begin(), memory_.begin() + n);
    if (!write_rows(batch)) return false;
    memory_.erase(memory_.begin(), memory_.begin() + n);
  }
  return true;
}

bool SessionLogWriter::write_rows(std::span<const SessionRow> rows) {
  try {
    write_both(*database_, rows);
    stats_.written += rows.size();
    return true;
  } catch (const db::InvalidInput&) {
    return write_one_by_one(rows);
  } catch (const db::Error& e) {
    lose_connection(e.what());
    return false;
  }
}

// A batch the database refused: write its rows one at a time so that one bad
// row (a bug) costs only itself.
bool SessionLogWriter::write_one_by_one(std::span<const SessionRow> rows) {
  for (const SessionRow& r : rows) {
    try {
      write_both(*database_, std::span(&r, 1));
      ++stats_.written;
    } catch (const db::InvalidInput& e) {
      ++stats_.rejected;
      LOG_ERROR("sessionlog", "the database refused session %s: %s", event_id(r).c_str(), e.what());
    } catch (const db::Error& e) {
      lose_connection(e.what());
      return false;
    }
  }
  return true;
}

// During an outage: beyond the memory bound (or once the journal holds rows,
// to keep their order) rows move to the journal.
void SessionLogWriter::spill_to_journal() {
  if (memory_.empty()) return;
  if (!journal_has_rows_ && memory_.size() <= settings_.memory_limit && !final_flush_) return;
  std::vector<SessionRow> rows(memory_.begin(), memory_.end());
  const bool full = journal_ && stats_.in_journal + rows.size() > settings_.journal_limit;
  if (full && !stats_.journal_full) {
    LOG_ERROR("sessionlog",
              "%s holds %llu row(s), its limit is %llu: session logs stay in memory, beyond "
              "%zu row(s) the oldest are lost (turnd_session_log_lost_total)",
              journal_->file().c_str(), static_cast<unsigned long long>(stats_.in_journal.load()),
              static_cast<unsigned long long>(settings_.journal_limit),
              settings_.memory_limit * kHardLimitFactor);
  }
  stats_.journal_full = full;
  if (journal_ && !full && journal_->append(rows)) {
    if (!journal_has_rows_) {
      LOG_WARN("sessionlog", "database still unreachable: session logs go to %s",
               journal_->file().c_str());
    }
    journal_has_rows_ = true;
    stats_.in_journal += rows.size();
    stats_.journal_failing = false;
    memory_.clear();
    return;
  }
  if (journal_ && !full && !stats_.journal_failing) {
    LOG_ERROR("sessionlog", "cannot append to %s: %s; session logs stay in memory",
              journal_->file().c_str(), std::strerror(errno));
  }
  stats_.journal_failing = journal_.has_value() && !full;
  size_t hard_limit = settings_.memory_limit * kHardLimitFactor;
  if (memory_.size() > hard_limit) {
    size_t drop = memory_.size() - hard_limit;
    memory_.erase(memory_.begin(), memory_.begin() + drop);
    stats_.lost += drop;
    LOG_ERROR("sessionlog", "%zu session-log row(s) lost: no database, %s, memory full", drop,
              full ? "journal full" : "no journal");
  }
}

void SessionLogWriter::daily_maintenance() {
  SteadyTime now = clock_.now();
  if (now < next_maintenance_) return;
  try {
    db::ensure_log_partitions(*database_, 1, 7);
    db::PurgeResult purged = db::purge_logs(*database_, settings_.retention_seconds);
    LOG_INFO("sessionlog", "retention %u s: %d day partition(s) dropped, %lld row(s) deleted",
             settings_.retention_seconds, purged.dropped_partitions,
             static_cast<long long>(purged.deleted_rows));
    next_maintenance_ = now + kMaintenanceEvery;
  } catch (const db::ConnectError& e) {
    lose_connection(e.what());
  } catch (const db::Error& e) {
    LOG_WARN("sessionlog", "retention purge failed, retrying in an hour: %s", e.what());
    next_maintenance_ = now + std::chrono::hours(1);
  }
}

void SessionLogWriter::stamp_alive() {
  if (settings_.state_dir.empty()) return;
  SteadyTime now = clock_.now();
  if (now < next_stamp_ && !final_flush_) return;
  next_stamp_ = now + kStampEvery;
  std::filesystem::path file = settings_.state_dir / "session-log.alive";
  std::string tmp = file.string() + ".new";
  std::error_code ec;
  std::filesystem::create_directories(settings_.state_dir, ec);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::string text = std::to_string(clock_.unix_seconds()) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (ok) ::rename(tmp.c_str(), file.c_str());
}

void SessionLogWriter::poll_changes() {
  if (!feed_) return;
  try {
    std::vector<std::string> tables = feed_->poll();
    if (!tables.empty()) on_change_(tables);
  } catch (const db::Error& e) {
    lose_connection(e.what());
  }
}

void SessionLogWriter::update_gauges() {
  stats_.in_memory = memory_.size();
}

}  // namespace turnd::server
