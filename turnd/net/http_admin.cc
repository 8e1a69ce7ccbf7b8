#include "turnd/net/http_admin.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <stdexcept>

namespace turnd::net {

HttpAdmin::HttpAdmin(EventBase& base, const SocketAddress& address,
                     std::map<std::string, Handler> routes)
    : http_(evhttp_new(base.get())), routes_(std::move(routes)) {
  if (http_ == nullptr) throw std::runtime_error("libevent: evhttp_new failed");
  evhttp_set_allowed_methods(http_, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
  evhttp_set_timeout(http_, 10);
  evhttp_set_max_headers_size(http_, 8192);
  evhttp_set_max_body_size(http_, 0);
  evhttp_set_gencb(http_, &HttpAdmin::on_request, this);
  if (evhttp_bind_socket(http_, address.ip_string().c_str(), address.port()) != 0) {
    evhttp_free(http_);
    throw std::runtime_error("cannot listen for metrics on " + address.to_string());
  }
}

HttpAdmin::~HttpAdmin() {
  evhttp_free(http_);
}

void HttpAdmin::on_request(evhttp_request* request, void* self) {
  auto& admin = *static_cast<HttpAdmin*>(self);
  const evhttp_uri* uri = evhttp_request_get_evhttp_uri(request);
  const char* path = uri != nullptr ? evhttp_uri_get_path(uri) : nullptr;
  auto route = admin.routes_.find(path != nullptr ? path : "");
  HttpResponse response;
  if (route == admin.routes_.end()) {
    response = {404, "text/plain; charset=utf-8", "not found\n"};
  } else {
    try {
      response = route->second();
    } catch (const std::exception& e) {
      response = {500, "text/plain; charset=utf-8", std::string(e.what()) + "\n"};
    }
  }
  evkeyvalq* headers = evhttp_request_get_output_headers(request);
  evhttp_add_header(headers, "Content-Type", response.content_type.c_str());
  evhttp_add_header(headers, "Cache-Control", "no-store");
  evbuffer* body = evbuffer_new();
  evbuffer_add(body, response.body.data(), response.body.size());
  const char* reason = response.status == 200   ? "OK"
                       : response.status == 404 ? "Not Found"
                       : response.status == 503 ? "Service Unavailable"
                                                : "Error";
  evhttp_send_reply(request, response.status, reason, body);
  evbuffer_free(body);
}

}  // namespace turnd::net
