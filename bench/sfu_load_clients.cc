#include "bench/sfu_load_clients.h"

#include <poll.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "bench/control_channel.h"
#include "bench/sfu_load_server.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kConsentInterval = 5s;  // Chromium's consent refresh
constexpr auto kDrain = 500ms;         // receiving after the last packet sent

int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

}  // namespace

struct LoadRoom::Member {
  std::unique_ptr<SimulatedBrowser> browser;
  std::array<std::unique_ptr<PcTransport>, 2> transports;  // by Pc
  Clock::time_point next_audio, next_video, next_consent;
};

LoadRoom::LoadRoom(int control_fd, const TransportFactory& transports, const LoadOptions& options)
    : control_fd_(control_fd),
      options_(options),
      latency_(std::make_unique<LatencyHistogram>()),
      audio_interval_(std::chrono::duration_cast<Clock::duration>(1s) / options.audio_pps),
      frame_interval_(std::chrono::duration_cast<Clock::duration>(1s) / options.fps),
      packets_per_frame_(std::max(1, options.video_pps / options.fps)) {
  BrowserOptions browser;
  browser.audio_bytes = options.audio_bytes;
  browser.video_bytes = options.video_bytes;
  browser.ice_priority = options.ice_priority;
  browser.latency = latency_.get();
  for (int i = 0; i < options.participants; ++i) {
    auto m = std::make_unique<Member>();
    for (Pc pc : {Pc::kPublisher, Pc::kSubscriber}) {
      m->transports[static_cast<size_t>(pc)] = transports(i, pc, mac_);
    }
    Member* raw = m.get();
    m->browser = std::make_unique<SimulatedBrowser>(i, srtp_, mac_, browser, [raw](Pc pc, Bytes d) {
      raw->transports[static_cast<size_t>(pc)]->send(d);
    });
    members_.push_back(std::move(m));
  }
}

LoadRoom::~LoadRoom() = default;

std::vector<uint16_t> LoadRoom::ports() const {
  std::vector<uint16_t> out;
  for (const auto& m : members_) {
    for (const auto& t : m->transports) {
      if (t->udp_port() != 0) out.push_back(t->udp_port());
    }
  }
  return out;
}

void LoadRoom::handle(const json& frame) {
  const std::string op = frame.value("op", "");
  if (op == "stats") {
    stats_replies_.push_back(frame);
  } else if (op == "send") {
    auto c = frame.at("c").get<size_t>();
    if (c == 0 || c > members_.size()) return;
    if (auto reply = members_[c - 1]->browser->on_signal(frame.at("text").get<std::string>())) {
      write_frame(control_fd_, {{"op", "message"}, {"c", c}, {"text", *reply}});
    }
  } else if (op == "close") {
    throw std::runtime_error("the SFU closed participant " + frame.at("c").dump());
  }
}

void LoadRoom::on_control() {
  std::optional<json> frame = read_frame(control_fd_);
  if (!frame) throw std::runtime_error("the SFU process went away");
  handle(*frame);
}

json LoadRoom::stats() {
  write_frame(control_fd_, {{"op", "stats"}});
  while (stats_replies_.empty()) poll_once(100ms);
  json s = stats_replies_.front();
  stats_replies_.clear();
  return s;
}

// Waits for the control channel or a participant's transport, at most
// `max_wait`.
void LoadRoom::poll_once(Clock::duration max_wait) {
  std::vector<pollfd> fds;
  fds.push_back({control_fd_, POLLIN, 0});
  for (const auto& m : members_) {
    for (const auto& t : m->transports) fds.push_back({t->fd(), t->events(), 0});
  }
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::max(max_wait, {})).count();
  timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  if (::ppoll(fds.data(), fds.size(), &timeout, nullptr) <= 0) return;
  for (size_t i = 1; i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    Member& m = *members_[(i - 1) / 2];
    auto pc = static_cast<Pc>((i - 1) % 2);
    auto to_browser = [&](MutableBytes d) { m.browser->on_datagram(pc, d, options_.verify_every); };
    m.transports[static_cast<size_t>(pc)]->on_events(fds[i].revents, Deliver(to_browser));
  }
  if ((fds[0].revents & (POLLIN | POLLHUP)) != 0) on_control();
}

bool LoadRoom::settled() const {
  size_t tracks = 2 * (members_.size() - 1);
  return std::all_of(members_.begin(), members_.end(), [&](const auto& m) {
    return m->browser->published() && m->browser->offered_tracks() == tracks;
  });
}

bool LoadRoom::transports_ready() const {
  return std::all_of(members_.begin(), members_.end(), [](const auto& m) {
    return m->transports[0]->ready() && m->transports[1]->ready();
  });
}

bool LoadRoom::connected() const {
  return std::all_of(members_.begin(), members_.end(), [](const auto& m) {
    return m->browser->connected(Pc::kPublisher) && m->browser->connected(Pc::kSubscriber);
  });
}

void LoadRoom::setup() {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options_.setup_timeout));
  for (size_t i = 0; i < members_.size(); ++i) {
    write_frame(control_fd_, {{"op", "open"}, {"c", i + 1}});
    write_frame(control_fd_, {{"op", "message"},
                              {"c", i + 1},
                              {"text", members_[i]->browser->join_message(kLoadRoom, kLoadCode)}});
  }
  while (!settled()) {
    if (Clock::now() > deadline) throw std::runtime_error("signalling did not settle in time");
    poll_once(100ms);
  }
  while (!transports_ready()) {
    if (Clock::now() > deadline)
      throw std::runtime_error("TURN allocations did not complete in time");
    poll_once(100ms);
  }
  for (auto& m : members_) {
    m->browser->connect(Pc::kPublisher);
    m->browser->connect(Pc::kSubscriber);
  }
  while (!connected()) {
    if (Clock::now() > deadline) throw std::runtime_error("ICE/DTLS did not complete in time");
    poll_once(100ms);
    for (auto& m : members_) m->browser->on_dtls_timer();
  }
}

void LoadRoom::send_due(Member& m, Clock::time_point now) {
  SimulatedBrowser& b = *m.browser;
  PcTransport& out = *m.transports[static_cast<size_t>(Pc::kPublisher)];
  auto add = [&](Media media) { out.commit(b.make_rtp(media, out.reserve())); };
  while (m.next_audio <= now) {
    add(Media::kAudio);
    m.next_audio += audio_interval_;
  }
  while (m.next_video <= now) {
    for (int k = 0; k < packets_per_frame_; ++k) add(Media::kVideo);
    m.next_video += frame_interval_;
  }
  out.flush();
  if (m.next_consent <= now) {
    b.send_consent(Pc::kPublisher);
    b.send_consent(Pc::kSubscriber);
    m.next_consent += kConsentInterval;
  }
}

LoadRoom::Clock::time_point LoadRoom::next_due() const {
  auto due = Clock::time_point::max();
  for (const auto& m : members_) due = std::min({due, m->next_audio, m->next_video});
  return due;
}

void LoadRoom::run(LoadResult& result) {
  const auto start = Clock::now();
  const auto stop = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(options_.seconds));
  const auto n = static_cast<int64_t>(members_.size());
  for (int64_t i = 0; i < n; ++i) {  // staggered, as independent browsers are
    members_[i]->next_audio = start + audio_interval_ * i / n;
    members_[i]->next_video = start + frame_interval_ * i / n;
    members_[i]->next_consent = start + kConsentInterval * i / n;
  }
  latency_->reset();
  std::vector<uint64_t> received_before, dropped_before;
  for (auto& m : members_) {
    for (auto& t : m->transports) dropped_before.push_back(t->dropped());
  }
  for (auto& m : members_) received_before.push_back(m->browser->received().rtp);
  const int64_t cpu_before = thread_cpu_ns();
  const size_t senders = options_.publishers > 0
                             ? std::min(members_.size(), static_cast<size_t>(options_.publishers))
                             : members_.size();
  for (auto now = Clock::now(); now < stop; now = Clock::now()) {
    for (size_t i = 0; i < senders; ++i) send_due(*members_[i], now);
    poll_once(std::min(next_due(), stop) - Clock::now());
  }
  result.media_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto end = Clock::now() + kDrain; Clock::now() < end;) poll_once(end - Clock::now());
  result.client_cpu_ns = thread_cpu_ns() - cpu_before;
  uint64_t published = 0;
  for (auto& m : members_) {
    published += m->browser->sent(Media::kAudio) + m->browser->sent(Media::kVideo);
  }
  result.published = published;
  for (size_t i = 0; i < members_.size(); ++i) {
    const SimulatedBrowser& b = *members_[i]->browser;
    result.expected += published - b.sent(Media::kAudio) - b.sent(Media::kVideo);
    result.received += b.received().rtp - received_before[i];
    result.srtp_errors += b.received().srtp_errors;
    for (size_t pc = 0; pc < 2; ++pc) {
      result.send_drops += members_[i]->transports[pc]->dropped() - dropped_before[2 * i + pc];
    }
  }
}

}  // namespace turnd::sfu::bench
