// What writing allocation_log and participation_log rows shares (db/*_log.cc
// only): NULL for empty values, bytea literals for the hex hashes, and the
// day partitions a batch needs.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "db/native.h"

namespace turnd::db::log_rows {

inline std::optional<std::string> text_or_null(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// "00ff..." as a bytea input literal, NULL when empty.
inline std::optional<std::string> hex_bytea(const std::string& hex) {
  if (hex.empty()) return std::nullopt;
  return "\\x" + hex;
}

// Makes the day partitions from the earliest to the latest start in `rows`
// (`start` gives a row's Unix seconds).
template <typename Row, typename Start>
void ensure_partitions(pqxx::work& work, std::span<const Row> rows, Start start) {
  int64_t first = start(rows.front()), last = first;
  for (const Row& r : rows) {
    first = std::min(first, start(r));
    last = std::max(last, start(r));
  }
  work.exec_params(
      "SELECT turnd_ensure_log_partitions((to_timestamp($1) AT TIME ZONE 'UTC')::date,"
      " (to_timestamp($2) AT TIME ZONE 'UTC')::date)",
      first, last);
}

}  // namespace turnd::db::log_rows
