// SessionLogWriter: the database thread of the session logs (issue 3, "the
// writer: nothing lost, nothing blocked").
//
//   workers, SFU --SessionLogQueue (lock-free)--> this thread: pseudonymise -> rows
//     rows --batched COPY + upsert--> PostgreSQL (allocation_log, participation_log)
//     PostgreSQL unreachable: rows wait in memory up to `memory_limit`, then
//     go to the fsync'd journal in the state directory; on reconnect the
//     journal and the memory are written, exactly once (upserts on event id).
//
// At the first connection, before it writes anything of its own, it replays
// the journal earlier runs left, closes the sessions they left open (end
// reason 'crash', at the last time they were seen alive), and purges logs older than the
// retention (then once a day). Its connection also LISTENs to the store's
// change notifications (rooms, TURN users, REST secrets changed by turnctl or
// coturn's turnadmin) and hands them to the change handler — and says
// "reconnected" after an outage, when notifications may have been missed.
// stop() — after the workers have stopped and
// reported their last sessions as 'shutdown' — writes what it can within a
// deadline and journals the rest.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "db/allocation_log.h"
#include "db/change_feed.h"
#include "db/database.h"
#include "turnd/common/clock.h"
#include "turnd/server/pseudonymizer.h"
#include "turnd/server/session_journal.h"
#include "turnd/server/session_log_queue.h"

namespace turnd::server {

struct SessionLogSettings {
  std::string database_url;
  std::string node;  // this turnd's name in the rows
  std::string realm;
  uint32_t retention_seconds = 5 * 86400;
  config::Config::AddressPseudonym address_mode = config::Config::AddressPseudonym::kPrefix;
  bool hash_users = true;
  char rest_separator = ':';
  size_t memory_limit = 100000;  // rows in memory during an outage before journaling
  // Rows the journal may hold (about 250 bytes each: ~500 MB). Beyond, rows
  // stay in memory up to 10 × memory_limit and then the oldest are lost,
  // counted, and /healthz reports it.
  uint64_t journal_limit = 2'000'000;
  std::filesystem::path state_dir;  // journal, pseudonym key, alive stamp; empty: none
  std::chrono::milliseconds poll_interval{200};
  std::chrono::seconds max_retry_interval{30};

  static SessionLogSettings from(const config::Config& c);
};

// Read by /metrics and /healthz on other threads.
struct SessionLogStats {
  std::atomic<uint64_t> in_memory{0};   // rows waiting in this thread's memory
  std::atomic<uint64_t> in_journal{0};  // rows waiting in the journal
  std::atomic<uint64_t> written{0};     // rows written (a replayed row counts again)
  std::atomic<uint64_t> outages{0};     // times the database became unreachable
  std::atomic<uint64_t> lost{0};        // rows dropped: no memory and no journal left
  std::atomic<uint64_t> rejected{0};    // rows the database refused (a bug: logged)
  std::atomic<uint64_t> closed_after_crash{0};
  std::atomic<bool> database_up{false};
  std::atomic<bool> journal_failing{false};
  std::atomic<bool> journal_full{false};  // at journal_limit
};

class SessionLogWriter {
 public:
  SessionLogWriter(SessionLogSettings settings, const Clock& clock,
                   std::vector<SessionLogQueue*> queues);
  ~SessionLogWriter();

  // Called on this thread with the changed tables; set before start().
  using ChangeHandler = std::function<void(const std::vector<std::string>& tables)>;
  void set_change_handler(ChangeHandler handler) { on_change_ = std::move(handler); }

  // Another producer's queue (the SFU's); before start().
  void add_queue(SessionLogQueue* queue) { queues_.push_back(queue); }

  void start();
  // Call after every producer has stopped (workers joined and destroyed).
  void stop(std::chrono::seconds deadline = std::chrono::seconds(10));

  const SessionLogStats& stats() const noexcept { return stats_; }
  // Events still in the workers' queues.
  uint64_t queued_in_workers() const noexcept;
  // Empty while healthy; otherwise one line for /healthz.
  std::string problem() const;

 private:
  void run();
  void collect(bool producers_stopped);
  SessionRow to_row(const AllocationEvent& e);
  SessionRow to_row(const ParticipationEvent& e);
  bool ensure_connected();
  void lose_connection(const std::string& why);
  bool replay(SessionJournal& journal, bool& has_rows);
  bool write_memory();
  bool write_rows(std::span<const SessionRow> rows);
  bool write_one_by_one(std::span<const SessionRow> rows);
  void spill_to_journal();
  void after_connect();
  void daily_maintenance();
  void stamp_alive();
  void update_gauges();
  void poll_changes();

  SessionLogSettings settings_;
  const Clock& clock_;
  std::vector<SessionLogQueue*> queues_;
  Pseudonymizer pseudonymizer_;
  std::optional<SessionJournal> journal_;           // this run's outages
  std::optional<SessionJournal> previous_journal_;  // what earlier runs left
  bool previous_has_rows_ = false;
  std::optional<db::Database> database_;
  std::optional<db::ChangeFeed> feed_;  // on database_, destroyed first
  ChangeHandler on_change_;
  std::deque<SessionRow> memory_;
  bool journal_has_rows_ = false;
  bool recovered_ = false;      // journal replayed and crash close-out done
  int64_t previous_alive_ = 0;  // from the last run's stamp
  bool final_flush_ = false;    // in stop(): journal whatever is left
  SteadyTime next_connect_{};
  std::chrono::seconds retry_interval_{1};
  SteadyTime next_maintenance_{};
  SteadyTime next_stamp_{};
  std::string last_error_;  // guarded by problem_mutex_
  mutable std::mutex problem_mutex_;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by wake_mutex_
  std::thread thread_;
  SessionLogStats stats_;
};

}  // namespace turnd::server
