#include "turnd/server/session_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace turnd::server {
namespace {

void append_field(std::string& out, std::string_view value) {
  out += '\t';
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

std::string unescape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out += value[i];
      continue;
    }
    char c = value[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> f;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    f.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return f;
    start = tab + 1;
  }
}

std::string allocation_line(const db::AllocationRow& r) {
  std::string out = "A1";
  append_field(out, r.event_id);
  append_field(out, std::to_string(r.started_at));
  append_field(out, r.ended_at ? std::to_string(*r.ended_at) : "");
  append_field(out, r.node);
  append_field(out, r.realm);
  append_field(out, r.user_hash);
  append_field(out, r.client_prefix);
  append_field(out, r.client_hash);
  append_field(out, r.client_transport);
  append_field(out, r.client_family);
  append_field(out, r.relay_family);
  append_field(out, std::to_string(r.bytes_from_client));
  append_field(out, std::to_string(r.bytes_to_client));
  append_field(out, std::to_string(r.packets_from_client));
  append_field(out, std::to_string(r.packets_to_client));
  append_field(out, r.end_reason);
  return out;
}

std::string participation_line(const db::ParticipationRow& r) {
  std::string out = "P1";
  append_field(out, r.event_id);
  append_field(out, std::to_string(r.joined_at));
  append_field(out, r.left_at ? std::to_string(*r.left_at) : "");
  append_field(out, r.node);
  append_field(out, r.room_id ? std::to_string(*r.room_id) : "");
  append_field(out, r.participant_hash);
  append_field(out, r.client_prefix);
  append_field(out, r.client_hash);
  append_field(out, r.moderator ? "1" : "0");
  std::string media;
  for (const std::string& m : r.media_sent) media += (media.empty() ? "" : ",") + m;
  append_field(out, media);
  append_field(out, std::to_string(r.bytes_from_participant));
  append_field(out, std::to_string(r.bytes_to_participant));
  append_field(out, r.end_reason);
  return out;
}

std::optional<SessionRow> parse_allocation(const std::vector<std::string_view>& f) {
  if (f.size() != 17) return std::nullopt;
  db::AllocationRow r;
  r.event_id = unescape(f[1]);
  if (!parse_int(f[2], r.started_at)) return std::nullopt;
  if (!f[3].empty()) {
    int64_t ended = 0;
    if (!parse_int(f[3], ended)) return std::nullopt;
    r.ended_at = ended;
  }
  r.node = unescape(f[4]);
  r.realm = unescape(f[5]);
  r.user_hash = unescape(f[6]);
  r.client_prefix = unescape(f[7]);
  r.client_hash = unescape(f[8]);
  r.client_transport = unescape(f[9]);
  r.client_family = unescape(f[10]);
  r.relay_family = unescape(f[11]);
  if (!parse_int(f[12], r.bytes_from_client) || !parse_int(f[13], r.bytes_to_client) ||
      !parse_int(f[14], r.packets_from_client) || !parse_int(f[15], r.packets_to_client)) {
    return std::nullopt;
  }
  r.end_reason = unescape(f[16]);
  if (r.event_id.empty() || r.ended_at.has_value() == r.end_reason.empty()) return std::nullopt;
  return r;
}

std::optional<SessionRow> parse_participation(const std::vector<std::string_view>& f) {
  if (f.size() != 14) return std::nullopt;
  db::ParticipationRow r;
  r.event_id = unescape(f[1]);
  if (!parse_int(f[2], r.joined_at)) return std::nullopt;
  if (!f[3].empty()) {
    int64_t left = 0;
    if (!parse_int(f[3], left)) return std::nullopt;
    r.left_at = left;
  }
  r.node = unescape(f[4]);
  if (!f[5].empty()) {
    int64_t room = 0;
    if (!parse_int(f[5], room)) return std::nullopt;
    r.room_id = room;
  }
  r.participant_hash = unescape(f[6]);
  r.client_prefix = unescape(f[7]);
  r.client_hash = unescape(f[8]);
  if (f[9] != "0" && f[9] != "1") return std::nullopt;
  r.moderator = f[9] == "1";
  std::string media = unescape(f[10]);
  for (size_t start = 0; start < media.size();) {
    size_t comma = media.find(',', start);
    if (comma == std::string::npos) comma = media.size();
    r.media_sent.push_back(media.substr(start, comma - start));
    start = comma + 1;
  }
  if (!parse_int(f[11], r.bytes_from_participant) || !parse_int(f[12], r.bytes_to_participant)) {
    return std::nullopt;
  }
  r.end_reason = unescape(f[13]);
  if (r.event_id.empty() || r.left_at.has_value() == r.end_reason.empty()) return std::nullopt;
  return r;
}

}  // namespace

std::string journal_line(const SessionRow& row) {
  if (const auto* a = std::get_if<db::AllocationRow>(&row)) return allocation_line(*a);
  return participation_line(std::get<db::ParticipationRow>(row));
}

std::optional<SessionRow> parse_journal_line(std::string_view line) {
  std::vector<std::string_view> f = split_tabs(line);
  if (f[0] == "A1") return parse_allocation(f);
  if (f[0] == "P1") return parse_participation(f);
  return std::nullopt;
}

bool SessionJournal::append(std::span<const SessionRow> rows) {
  if (rows.empty()) return true;
  std::string text;
  for (const SessionRow& r : rows) text += journal_line(r) + "\n";
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::vector<SessionRow> SessionJournal::read_all(size_t* unreadable) const {
  std::vector<SessionRow> rows;
  size_t bad = 0;
  std::ifstream in(file_, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // torn last line
    if (auto row = parse_journal_line(std::string_view(text).substr(start, end - start))) {
      rows.push_back(std::move(*row));
    } else {
      ++bad;
    }
    start = end + 1;
  }
  if (unreadable != nullptr) *unreadable = bad;
  return rows;
}

void SessionJournal::clear() {
  std::error_code ec;
  std::filesystem::remove(file_, ec);
}

bool SessionJournal::empty() const {
  std::error_code ec;
  auto size = std::filesystem::file_size(file_, ec);
  return ec || size == 0;
}

}  // namespace turnd::server
