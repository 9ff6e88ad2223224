// metrics/http.h — a daemon's metrics endpoint (OPS-1): a tiny HTTP/1.x
// server on one thread of its own, answering
//   GET /metrics  200, the registry in Prometheus text format 0.0.4;
//   GET /ready    200 "ready" or 503 "not ready";
// anything else 404 (another path) or 405 (another method on these two).
//
// Every byte a client sends is hostile:
//  * the request head (request line and headers) must be complete within
//    kMaxRequest bytes, else 431; a malformed one gets 400 at once; a
//    body is never read (each answer is Connection: close);
//  * sockets are non-blocking and polled; each client has a deadline for
//    the whole exchange (ServerOptions::timeout_ms) and is dropped after
//    it, so a client that sends nothing or reads slowly holds only itself;
//  * at most max_clients at once: one more is closed at once;
//  * the server thread never blocks on a client, and the daemon's threads
//    never wait for the server (the registry's read functions are the only
//    daemon code it runs).
// ParseRequest and Respond are pure, for the tests and the fuzz target.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "heat/core/status.h"

namespace heat::metrics {

inline constexpr size_t kMaxRequest = 8192;

struct Request {
  enum class State { kIncomplete, kDone, kBad, kTooLarge } state = State::kIncomplete;
  std::string method, path;  // path without its query
};

// Looks at the bytes received so far: the request once its head is
// complete, kBad as soon as what is there cannot become a request.
Request ParseRequest(std::string_view bytes);

struct Endpoints {
  std::function<std::string()> metrics;  // the body of /metrics
  std::function<bool()> ready;           // /ready
};

// The whole answer (status line, headers, body) to a finished request.
std::string Respond(const Request& req, const Endpoints& ep);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (tests; port() tells which)
  int max_clients = 16;
  int timeout_ms = 2000;
};

class Server {
 public:
  // Binds and listens (an error names the address: in use, not local),
  // then serves on its own thread until destroyed.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& opt, Endpoints ep);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return port_; }

 private:
  Server(ServerOptions opt, Endpoints ep, int listen_fd, int wake_r, int wake_w, int port);
  void Loop();

  ServerOptions opt_;
  Endpoints ep_;
  int listen_fd_, wake_r_, wake_w_, port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace heat::metrics
