// sfu_signal_echo: the signalling server with an echo handler instead of the
// conference, for tests/e2e/test_sfu_signal.sh. Every text message comes back
// as {"echo": TEXT}, except these commands:
//   close        the server closes the connection (after earlier replies)
//   flood N      N replies of 16 KiB each, at once (the send queue's bound)
//   stats        {"open": connections open now, "opened": ever, "closed": ever}
// Runs until SIGTERM or SIGINT; exits 2 with the reason when it cannot start.
//
// With --bridge the handler is a pipe instead: each event is a JSON line on
// stdout ({"event":"open"|"message"|"close","id":N[,"text":T]}) and each JSON
// line on stdin is a reply ({"send":N,"text":T} or {"close":N}), passed to
// send()/close() from the main thread (the cross-thread path the conference
// uses). It stops at the end of stdin. fake_conference.mjs drives it.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "sfu/signal/signal_server.h"
#include "turnd/common/log.h"

namespace {

using turnd::SocketAddress;
using turnd::sfu::signal::ConnectionId;
using turnd::sfu::signal::SignalServer;

class EchoHandler final : public turnd::sfu::signal::SignalHandler {
 public:
  void attach(SignalServer* server) { server_ = server; }

  void on_open(ConnectionId id, const SocketAddress& peer,
               const std::string& /*page_host*/) override {
    open_.insert(id);
    ++opened_;
    std::printf("open %llu %s\n", static_cast<unsigned long long>(id), peer.to_string().c_str());
    std::fflush(stdout);
  }

  void on_message(ConnectionId id, std::string text) override {
    if (!open_.contains(id))
      std::printf("ERROR message on unknown connection %llu\n",
                  static_cast<unsigned long long>(id));
    if (text == "close") {
      server_->close(id);
    } else if (text.starts_with("flood ")) {
      int n = std::atoi(text.c_str() + 6);
      std::string payload(size_t{16} * 1024, 'x');
      for (int i = 0; i < n; ++i)
        server_->send(id, nlohmann::json{{"flood", i}, {"pad", payload}}.dump());
    } else if (text == "stats") {
      server_->send(
          id,
          nlohmann::json{{"open", open_.size()}, {"opened", opened_}, {"closed", closed_}}.dump());
    } else {
      server_->send(id, nlohmann::json{{"echo", std::move(text)}}.dump());
    }
  }

  void on_close(ConnectionId id) override {
    if (open_.erase(id) != 1)
      std::printf("ERROR close of unknown connection %llu\n", static_cast<unsigned long long>(id));
    ++closed_;
    std::printf("close %llu\n", static_cast<unsigned long long>(id));
    std::fflush(stdout);
  }

 private:
  SignalServer* server_ = nullptr;
  std::set<ConnectionId> open_;  // signal thread only
  uint64_t opened_ = 0, closed_ = 0;
};

// Events out as JSON lines; replies come in on the main thread (see main).
class BridgeHandler final : public turnd::sfu::signal::SignalHandler {
 public:
  void on_open(ConnectionId id, const SocketAddress& peer,
               const std::string& /*page_host*/) override {
    emit({{"event", "open"}, {"id", id}, {"peer", peer.to_string()}});
  }
  void on_message(ConnectionId id, std::string text) override {
    emit({{"event", "message"}, {"id", id}, {"text", std::move(text)}});
  }
  void on_close(ConnectionId id) override { emit({{"event", "close"}, {"id", id}}); }

 private:
  static void emit(const nlohmann::json& event) {
    std::string line = event.dump() + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
  }
};

// Replies from stdin until it ends.
void pump_replies(SignalServer& server) {
  std::string line;
  while (std::getline(std::cin, line)) {
    auto reply = nlohmann::json::parse(line, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
      std::fprintf(stderr, "sfu_signal_echo: not a JSON object on stdin: %s\n", line.c_str());
    } else if (reply.contains("send")) {
      server.send(reply["send"].get<ConnectionId>(), reply.value("text", std::string()));
    } else if (reply.contains("close")) {
      server.close(reply["close"].get<ConnectionId>());
    }
  }
}

[[noreturn]] void usage() {
  std::cerr << "usage: sfu_signal_echo --listen ADDR:PORT --cert FILE --key FILE --web-root DIR\n"
               "       [--imprint FILE] [--privacy FILE] [--ping-interval S] [--ping-timeout S]\n"
               "       [--max-message BYTES] [--port-file FILE] [--bridge]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  turnd::sfu::signal::SignalOptions options;
  std::string port_file;
  bool bridge = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--bridge") {
      bridge = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    std::string value = argv[++i];
    if (arg == "--listen") {
      auto a = SocketAddress::parse(value);
      if (!a) usage();
      options.listen = *a;
    } else if (arg == "--cert") {
      options.cert_file = value;
    } else if (arg == "--key") {
      options.key_file = value;
    } else if (arg == "--web-root") {
      options.web_root = value;
    } else if (arg == "--imprint") {
      options.imprint_file = value;
    } else if (arg == "--privacy") {
      options.privacy_file = value;
    } else if (arg == "--ping-interval") {
      options.ping_interval_s = static_cast<unsigned>(std::stoul(value));
    } else if (arg == "--ping-timeout") {
      options.ping_timeout_s = static_cast<unsigned>(std::stoul(value));
    } else if (arg == "--max-message") {
      options.max_message = std::stoul(value);
    } else if (arg == "--per-address") {
      options.connection_limits.per_address = static_cast<uint32_t>(std::stoul(value));
    } else if (arg == "--max-connections") {
      options.connection_limits.total = static_cast<uint32_t>(std::stoul(value));
    } else if (arg == "--message-burst") {
      options.message_burst = std::stod(value);
    } else if (arg == "--message-rate") {
      options.message_rate = std::stod(value);
    } else if (arg == "--port-file") {
      port_file = value;
    } else {
      usage();
    }
  }
  turnd::log::configure(turnd::log::Level::kDebug, "", false);  // to stderr

  // SIGTERM and SIGINT are taken by sigwait below, in no other thread (a
  // bridge stops at the end of stdin, or dies of them).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  if (!bridge) pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  EchoHandler echo;
  BridgeHandler pipe;
  turnd::sfu::signal::SignalHandler& handler =
      bridge ? static_cast<turnd::sfu::signal::SignalHandler&>(pipe) : echo;
  try {
    SignalServer server(options, handler);
    echo.attach(&server);
    server.start();
    if (!port_file.empty()) {
      FILE* f = std::fopen(port_file.c_str(), "w");
      if (f == nullptr) throw std::runtime_error("cannot write " + port_file);
      std::fprintf(f, "%u\n", server.local_address().port());
      std::fclose(f);
    }
    if (bridge) {
      std::fprintf(stderr, "listening %s\n", server.local_address().to_string().c_str());
      pump_replies(server);
      server.stop();
      return 0;
    }
    std::printf("listening %s\n", server.local_address().to_string().c_str());
    std::fflush(stdout);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
    std::printf("stopped\n");
    std::fflush(stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_signal_echo: %s\n", e.what());
    return 2;
  }
  return 0;
}
