// monitor/http_get.cc — GET with one deadline over a non-blocking socket.
#include "heat/monitor/http_get.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

namespace heat::monitor {

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  auto bad = [&](const std::string& why) { return Status::Usage("'" + std::string(url) + "': " + why); };
  if (!url.starts_with("http://")) return bad("only http:// addresses are asked");
  std::string_view rest = url.substr(7);
  size_t slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  HttpUrl u;
  u.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  size_t colon = hostport.rfind(':');
  if (!hostport.empty() && hostport[0] == '[') {  // [IPv6]:port
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return bad("no ']' after the IPv6 address");
    u.host = hostport.substr(1, close - 1);
    colon = close + 1 < hostport.size() && hostport[close + 1] == ':' ? close + 1 : std::string_view::npos;
  } else {
    u.host = hostport.substr(0, colon);
  }
  u.port = colon == std::string_view::npos ? "80" : std::string(hostport.substr(colon + 1));
  if (u.host.empty()) return bad("no host");
  if (u.port.empty() || u.port.size() > 5 || u.port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(u.port) < 1 || std::stoi(u.port) > 65535)
    return bad("the port must be 1..65535");
  for (char c : u.path)
    if (c <= ' ' || c == 0x7f) return bad("a blank or control character in the path");
  return u;
}

std::string ListenUrl(std::string_view listen, std::string_view path) {
  std::string_view host = listen.substr(0, listen.rfind(':'));
  std::string_view port = listen.rfind(':') == std::string_view::npos ? "" : listen.substr(listen.rfind(':') + 1);
  if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
  if (host == "[::]" || host == "::") host = "[::1]";
  return "http://" + std::string(host) + ":" + std::string(port) + std::string(path);
}

Result<HttpReply> ParseHttpReply(std::string_view raw, size_t max_body) {
  size_t head_end = raw.find("\r\n\r\n");
  size_t sep = 4;
  if (head_end == std::string_view::npos) head_end = raw.find("\n\n"), sep = 2;
  if (head_end == std::string_view::npos) return Status::Usage("the reply has no complete header");
  std::string_view head = raw.substr(0, head_end);
  if (!head.starts_with("HTTP/1.") || head.size() < 12 || head[8] != ' ')
    return Status::Usage("the reply does not start with HTTP/1.x");
  std::string_view code = head.substr(9, 3);
  if (code.find_first_not_of("0123456789") != std::string_view::npos || (head.size() > 12 && head[12] != ' ' &&
                                                                         head[12] != '\r' && head[12] != '\n'))
    return Status::Usage("the reply has no three-digit status code");
  std::string lower(head);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("transfer-encoding: chunked") != std::string::npos)
    return Status::Usage("a chunked reply to an HTTP/1.0 request");
  std::string_view body = raw.substr(head_end + sep);
  if (body.size() > max_body) return Status::Usage("the reply is larger than " + std::to_string(max_body) + " bytes");
  return HttpReply{(code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0'), std::string(body)};
}

namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int MsLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits until fd is ready for `events`; false on the deadline.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  int r;
  do r = poll(&p, 1, MsLeft(deadline));
  while (r < 0 && errno == EINTR);
  return r > 0;
}

Result<int> Connect(const HttpUrl& u, Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* ai = nullptr;
  int rc = getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &ai);
  if (rc != 0) return Status::Failure(std::string("cannot resolve: ") + gai_strerror(rc));
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(ai, freeaddrinfo);
  std::string why = "no address";
  for (addrinfo* a = ai; a; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) return fd;
    int err = errno;
    if (err == EINPROGRESS && WaitFor(fd, POLLOUT, deadline)) {
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) return fd;
    }
    why = err == EINPROGRESS ? "no answer in time" : std::strerror(err);
    close(fd);
  }
  return Status::Failure(why);
}

Status SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) data.remove_prefix(static_cast<size_t>(n));
    else if (n < 0 && errno != EAGAIN && errno != EINTR) return Status::Failure(std::strerror(errno));
    else if (!WaitFor(fd, POLLOUT, deadline)) return Status::Failure("no answer in time");
  }
  return Status::Ok();
}

Result<std::string> ReadAll(int fd, size_t max_bytes, Clock::time_point deadline) {
  std::string raw;
  char buf[16384];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) return raw;
    if (n > 0) {
      raw.append(buf, static_cast<size_t>(n));
      if (raw.size() > max_bytes) return Status::Failure("the reply is larger than " + std::to_string(max_bytes));
    } else if (errno != EAGAIN && errno != EINTR) {
      return Status::Failure(std::strerror(errno));
    } else if (!WaitFor(fd, POLLIN, deadline)) {
      return Status::Failure("no complete reply in time");
    }
  }
}

}  // namespace

Result<HttpReply> HttpGet(const std::string& url, int timeout_ms, size_t max_body) {
  HEAT_ASSIGN(HttpUrl u, ParseHttpUrl(url));
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  auto failed = [&](const Status& st) { return Status::Failure(url + ": " + st.message()); };
  auto fd = Connect(u, deadline);
  if (!fd.ok()) return failed(fd.status());
  Fd sock(*fd);
  std::string host = u.host.find(':') == std::string::npos ? u.host : "[" + u.host + "]";
  std::string request = "GET " + u.path + " HTTP/1.0\r\nHost: " + host + ":" + u.port +
                        "\r\nUser-Agent: heat-monitor\r\nAccept: text/plain\r\nConnection: close\r\n\r\n";
  Status sent = SendAll(sock.get(), request, deadline);
  if (!sent.ok()) return failed(sent);
  auto raw = ReadAll(sock.get(), max_body + 64 * 1024, deadline);
  if (!raw.ok()) return failed(raw.status());
  auto reply = ParseHttpReply(*raw, max_body);
  if (!reply.ok()) return failed(reply.status());
  return reply;
}

}  // namespace heat::monitor
