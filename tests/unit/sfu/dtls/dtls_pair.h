// Test harness: a DTLS client and server in one process, each with its own
// certificate and context, whose datagrams are queued and pumped between
// them by hand so a test can drop, inspect or reorder them.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <vector>

#include "sfu/dtls/dtls_transport.h"

namespace turnd::sfu::dtls::test {

struct Endpoint {
  std::deque<std::vector<std::byte>> outbox;
  size_t datagrams_sent = 0;
  size_t largest_datagram = 0;
  std::unique_ptr<DtlsTransport> transport;

  DtlsTransport::SendFn sink() {
    return [this](Bytes datagram) {
      outbox.emplace_back(datagram.begin(), datagram.end());
      ++datagrams_sent;
      largest_datagram = std::max(largest_datagram, datagram.size());
    };
  }
  DtlsTransport& operator*() { return *transport; }
  DtlsTransport* operator->() { return transport.get(); }
};

struct PairOptions {
  DtlsContextOptions client_context;
  DtlsContextOptions server_context;
  size_t mtu = 1200;
  bool client_knows_server_fingerprint = true;
  bool server_knows_client_fingerprint = true;
  std::chrono::milliseconds initial_retransmit_timeout{1000};
};

class DtlsPair {
 public:
  explicit DtlsPair(PairOptions options = {})
      : client_context_(client_certificate_, options.client_context),
        server_context_(server_certificate_, options.server_context) {
    DtlsTransportOptions c;
    c.role = DtlsRole::kClient;
    c.mtu = options.mtu;
    c.initial_retransmit_timeout = options.initial_retransmit_timeout;
    if (options.client_knows_server_fingerprint) {
      c.remote_fingerprint = server_certificate_.fingerprint();
    }
    DtlsTransportOptions s = c;
    s.role = DtlsRole::kServer;
    s.remote_fingerprint.reset();
    if (options.server_knows_client_fingerprint) {
      s.remote_fingerprint = client_certificate_.fingerprint();
    }
    client.transport = std::make_unique<DtlsTransport>(client_context_, c, client.sink());
    server.transport = std::make_unique<DtlsTransport>(server_context_, s, server.sink());
  }

  // Delivers queued datagrams both ways until nothing is left in flight.
  void pump(int max_rounds = 50) {
    for (int round = 0; round < max_rounds; ++round) {
      if (client.outbox.empty() && server.outbox.empty()) return;
      deliver(client, server);
      deliver(server, client);
    }
    ADD_FAILURE() << "datagrams still in flight after " << max_rounds << " rounds";
  }

  // start() + pump().
  void handshake() {
    client->start();
    server->start();
    pump();
  }

  const DtlsCertificate& client_certificate() const { return client_certificate_; }
  const DtlsCertificate& server_certificate() const { return server_certificate_; }

 private:
  static void deliver(Endpoint& from, Endpoint& to) {
    while (!from.outbox.empty()) {
      std::vector<std::byte> datagram = std::move(from.outbox.front());
      from.outbox.pop_front();
      to->feed(datagram);
    }
  }

  DtlsCertificate client_certificate_ = DtlsCertificate::generate();
  DtlsCertificate server_certificate_ = DtlsCertificate::generate();
  DtlsContext client_context_;
  DtlsContext server_context_;

 public:
  // After the contexts: transports must go before the context they use.
  Endpoint client;
  Endpoint server;
};

}  // namespace turnd::sfu::dtls::test
