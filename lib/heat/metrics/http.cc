#include "heat/metrics/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace heat::metrics {
namespace {

using State = Request::State;

bool Token(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
           c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
  });
}

// "GET /metrics HTTP/1.1": a method, an origin-form target, HTTP/1.0 or 1.1.
bool RequestLine(std::string_view line, Request& r) {
  size_t a = line.find(' ');
  if (a == std::string_view::npos) return false;
  size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos || line.find(' ', b + 1) != std::string_view::npos) return false;
  std::string_view method = line.substr(0, a), target = line.substr(a + 1, b - a - 1), version = line.substr(b + 1);
  if (!Token(method, 20) || (version != "HTTP/1.1" && version != "HTTP/1.0")) return false;
  if (target.empty() || target[0] != '/' || target.size() > 2048) return false;
  if (!std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) return false;
  r.method = method;
  r.path = target.substr(0, target.find('?'));
  return true;
}

// "Name: value"; no folding (a line starting with white space).
bool HeaderLine(std::string_view line) {
  size_t colon = line.find(':');
  return colon != std::string_view::npos && Token(line.substr(0, colon), 256);
}

}  // namespace

Request ParseRequest(std::string_view b) {
  Request r;
  for (unsigned char c : b.substr(0, kMaxRequest + 1))
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f) return Request{State::kBad, {}, {}};
  size_t pos = 0;
  for (int line_no = 0;; ++line_no) {
    size_t nl = b.find('\n', pos);
    if (nl == std::string_view::npos || nl >= kMaxRequest) {
      r.state = b.size() >= kMaxRequest ? State::kTooLarge : State::kIncomplete;
      return r;
    }
    std::string_view line = b.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    bool good = line_no == 0 ? RequestLine(line, r) : line.empty() || HeaderLine(line);
    if (!good) return Request{State::kBad, {}, {}};
    if (line_no > 0 && line.empty()) {
      r.state = State::kDone;
      return r;
    }
  }
}

namespace {

std::string Answer(int code, std::string_view reason, std::string_view type, std::string_view body,
                   std::string_view extra = "") {
  std::string out = "HTTP/1.1 " + std::to_string(code) + " " + std::string(reason) + "\r\nContent-Type: " +
                    std::string(type) + "\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n" + std::string(extra) + "\r\n";
  return out + std::string(body);
}

constexpr std::string_view kText = "text/plain; charset=utf-8";

}  // namespace

std::string Respond(const Request& req, const Endpoints& ep) {
  if (req.state == State::kTooLarge) return Answer(431, "Request Header Fields Too Large", kText, "request too large\n");
  if (req.state != State::kDone) return Answer(400, "Bad Request", kText, "bad request\n");
  if (req.path != "/metrics" && req.path != "/ready") return Answer(404, "Not Found", kText, "not found\n");
  if (req.method != "GET") return Answer(405, "Method Not Allowed", kText, "only GET\n", "Allow: GET\r\n");
  if (req.path == "/ready") {
    bool ready = ep.ready && ep.ready();
    return ready ? Answer(200, "OK", kText, "ready\n") : Answer(503, "Service Unavailable", kText, "not ready\n");
  }
  return Answer(200, "OK", "text/plain; version=0.0.4; charset=utf-8", ep.metrics ? ep.metrics() : "");
}

namespace {

using Clock = std::chrono::steady_clock;

// One connection: its request coming in, then its answer going out, then
// what the client still sends read and dropped until it closes (closing
// with unread bytes would reset the connection before it has the answer).
struct Client {
  enum class Phase { kReading, kWriting, kDraining } phase = Phase::kReading;
  int fd = -1;
  std::string in, out;
  size_t sent = 0, drained = 0;
  Clock::time_point deadline;
};

constexpr size_t kMaxDrain = 64 * 1024;

// False when the connection is to be closed.
bool Read(Client& c, const Endpoints& ep) {
  char buf[4096];
  size_t room = std::min(sizeof buf, kMaxRequest + 1 - c.in.size());
  ssize_t n = recv(c.fd, buf, room, MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  if (n == 0) return false;  // gone before asking anything whole
  c.in.append(buf, static_cast<size_t>(n));
  Request req = ParseRequest(c.in);
  if (req.state == State::kIncomplete) return true;
  c.out = Respond(req, ep);
  c.phase = Client::Phase::kWriting;
  return true;
}

bool Write(Client& c) {
  ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  c.sent += static_cast<size_t>(n);
  if (c.sent < c.out.size()) return true;
  shutdown(c.fd, SHUT_WR);
  c.phase = Client::Phase::kDraining;
  c.deadline = std::min(c.deadline, Clock::now() + std::chrono::milliseconds(500));
  return true;
}

bool Drain(Client& c) {
  char buf[4096];
  ssize_t n = recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  c.drained += static_cast<size_t>(n);
  return n > 0 && c.drained < kMaxDrain;
}

bool Serve(Client& c, short revents, const Endpoints& ep) {
  if (Clock::now() >= c.deadline || (revents & POLLNVAL)) return false;
  if (c.phase == Client::Phase::kReading && (revents & (POLLIN | POLLHUP | POLLERR)) && !Read(c, ep)) return false;
  if (c.phase == Client::Phase::kWriting) return Write(c);
  if (c.phase == Client::Phase::kDraining && (revents & (POLLIN | POLLHUP | POLLERR))) return Drain(c);
  return !(revents & POLLERR);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& opt, Endpoints ep) {
  std::string where = opt.host + ":" + std::to_string(opt.port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(opt.port));
  if (inet_pton(AF_INET, opt.host.c_str(), &addr.sin_addr) != 1)
    return Status::Usage("metrics: " + where + ": not an IPv4 address");
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Failure("metrics: socket: " + std::string(std::strerror(errno)));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 16) != 0) {
    std::string why = std::strerror(errno);
    close(fd);
    return Status::Failure("metrics: cannot listen on " + where + ": " + why);
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int wake[2];
  if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
    close(fd);
    return Status::Failure("metrics: pipe: " + std::string(std::strerror(errno)));
  }
  std::unique_ptr<Server> s(new Server(opt, std::move(ep), fd, wake[0], wake[1], ntohs(addr.sin_port)));
  s->thread_ = std::thread([raw = s.get()] { raw->Loop(); });
  return s;
}

Server::Server(ServerOptions opt, Endpoints ep, int listen_fd, int wake_r, int wake_w, int port)
    : opt_(std::move(opt)), ep_(std::move(ep)), listen_fd_(listen_fd), wake_r_(wake_r), wake_w_(wake_w), port_(port) {}

Server::~Server() {
  stop_ = true;
  (void)!write(wake_w_, "x", 1);
  if (thread_.joinable()) thread_.join();
  for (int fd : {listen_fd_, wake_r_, wake_w_}) close(fd);
}

void Server::Loop() {
  std::vector<Client> clients;
  std::vector<pollfd> fds;
  while (!stop_) {
    fds.assign({{listen_fd_, POLLIN, 0}, {wake_r_, POLLIN, 0}});
    for (const Client& c : clients)
      fds.push_back({c.fd, static_cast<short>(c.phase == Client::Phase::kWriting ? POLLOUT : POLLIN), 0});
    if (poll(fds.data(), fds.size(), 250) < 0 && errno != EINTR) break;
    for (size_t i = 0; i < clients.size(); ++i)
      if (!Serve(clients[i], fds[i + 2].revents, ep_)) {
        close(clients[i].fd);
        clients[i].fd = -1;
      }
    std::erase_if(clients, [](const Client& c) { return c.fd < 0; });
    if (!(fds[0].revents & POLLIN)) continue;
    for (int fd; (fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
      if (static_cast<int>(clients.size()) >= opt_.max_clients) {
        close(fd);  // full: the others finish or time out first
        continue;
      }
      Client c;
      c.fd = fd;
      c.deadline = Clock::now() + std::chrono::milliseconds(opt_.timeout_ms);
      clients.push_back(std::move(c));
    }
  }
  for (const Client& c : clients) close(c.fd);
}

}  // namespace heat::metrics
