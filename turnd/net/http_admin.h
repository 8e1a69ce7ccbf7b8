// HttpAdmin: a tiny HTTP/1.1 server (libevent's evhttp) for the admin
// surface — Prometheus /metrics and /healthz. GET only, one handler per path,
// bound to one address (127.0.0.1 by default: admin surfaces are local-only).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "turnd/common/address.h"
#include "turnd/net/event_loop.h"

struct evhttp;
struct evhttp_request;

namespace turnd::net {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpAdmin {
 public:
  using Handler = std::function<HttpResponse()>;

  // Throws std::runtime_error naming the address when it cannot bind.
  HttpAdmin(EventBase& base, const SocketAddress& address, std::map<std::string, Handler> routes);
  ~HttpAdmin();
  HttpAdmin(const HttpAdmin&) = delete;
  HttpAdmin& operator=(const HttpAdmin&) = delete;

 private:
  static void on_request(evhttp_request* request, void* self);

  evhttp* http_;
  std::map<std::string, Handler> routes_;
};

}  // namespace turnd::net
