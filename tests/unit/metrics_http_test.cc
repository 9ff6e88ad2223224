// The metrics endpoint (OPS-1) over real sockets on 127.0.0.1: a scrape
// gets the registry in text format 0.0.4; /ready follows the daemon; other
// paths and methods get 404 and 405; an oversized or malformed request is
// refused; clients that send nothing, or too slowly, hold up neither the
// next scrape nor the server's owner. The parser on its own: whole
// requests only, hostile bytes refused at once.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "heat/metrics/http.h"
#include "heat/metrics/registry.h"

namespace heat::metrics {
namespace {

using Clock = std::chrono::steady_clock;
using State = Request::State;

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Everything the server sends until it closes (or 5 s pass).
std::string ReadAll(int fd) {
  std::string out;
  auto until = Clock::now() + std::chrono::seconds(5);
  char buf[4096];
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string Exchange(int port, const std::string& request) {
  int fd = Connect(port);
  if (fd < 0) return "connect failed";
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out = ReadAll(fd);
  close(fd);
  return out;
}

std::string StatusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

class MetricsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.AddGauge("heat_ready", "Ready.").Set(1);
    registry_.AddCounter("heat_ingest_readings_total", "Readings.", {{"protocol", "mqtt"}}).Add(42);
    ServerOptions opt;
    opt.timeout_ms = 500;
    opt.max_clients = 4;
    auto s = Server::Start(opt, {[this] { return registry_.Render(); }, [this] { return ready_.load(); }});
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(s).value();
    port_ = server_->port();
  }
  Registry registry_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

TEST_F(MetricsHttpTest, AScrapeGetsTheRegistryAsTextFormat004) {
  std::string a = Exchange(port_, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(StatusLine(a), "HTTP/1.1 200 OK");
  EXPECT_NE(a.find("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  std::string body = registry_.Render();
  EXPECT_NE(a.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  EXPECT_EQ(a.substr(a.find("\r\n\r\n") + 4), body);
  EXPECT_NE(body.find("heat_ingest_readings_total{protocol=\"mqtt\"} 42\n"), std::string::npos);
}

TEST_F(MetricsHttpTest, ReadyAnswers200WhenReadyAnd503WhenNot) {
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /ready HTTP/1.0\r\n\r\n")), "HTTP/1.1 200 OK");
  ready_ = false;
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /ready HTTP/1.0\r\n\r\n")), "HTTP/1.1 503 Service Unavailable");
}

TEST_F(MetricsHttpTest, AnotherPathIs404AndAnotherMethodIs405) {
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /secret HTTP/1.1\r\n\r\n")), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(StatusLine(Exchange(port_, "GET / HTTP/1.1\r\n\r\n")), "HTTP/1.1 404 Not Found");
  std::string a = Exchange(port_, "POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(StatusLine(a), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(a.find("\r\nAllow: GET\r\n"), std::string::npos);
}

TEST_F(MetricsHttpTest, AnOversizedRequestIsRefusedWith431) {
  std::string big = "GET /metrics HTTP/1.1\r\nX-Junk: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_EQ(StatusLine(Exchange(port_, big)), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /metrics HTTP/1.1\r\n\r\n")), "HTTP/1.1 200 OK");  // serves on
}

TEST_F(MetricsHttpTest, MalformedRequestsGet400AtOnce) {
  auto t0 = Clock::now();
  EXPECT_EQ(StatusLine(Exchange(port_, std::string("GET /metrics\0 HTTP/1.1\r\n", 24))), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /metrics HTTP/2.0\r\n\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(Exchange(port_, "GET metrics HTTP/1.1\r\n\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(400));  // not after the timeout
}

TEST_F(MetricsHttpTest, AClientThatSendsNothingDoesNotBlockTheNextScrape) {
  int idle = Connect(port_);
  ASSERT_GE(idle, 0);
  (void)send(idle, "GET /met", 8, MSG_NOSIGNAL);  // and then nothing
  auto t0 = Clock::now();
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /metrics HTTP/1.1\r\n\r\n")), "HTTP/1.1 200 OK");
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(300));  // well before the idle one's deadline
  EXPECT_EQ(ReadAll(idle), "");  // dropped at its deadline, nothing said
  close(idle);
}

TEST_F(MetricsHttpTest, AFullHouseOfIdleClientsIsDroppedAndScrapesResume) {
  std::vector<int> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(Connect(port_));
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // past their deadline
  EXPECT_EQ(StatusLine(Exchange(port_, "GET /metrics HTTP/1.1\r\n\r\n")), "HTTP/1.1 200 OK");
  for (int fd : idle) close(fd);
}

TEST_F(MetricsHttpTest, StoppingTheServerDoesNotWaitForItsClients) {
  int idle = Connect(port_);
  auto t0 = Clock::now();
  server_.reset();
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(400));
  close(idle);
}

TEST(MetricsHttpServerTest, APortInUseIsAnErrorNamingTheAddress) {
  auto a = Server::Start({}, {});
  ASSERT_TRUE(a.ok());
  ServerOptions same;
  same.port = (*a)->port();
  auto b = Server::Start(same, {});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().rfind("metrics: cannot listen on 127.0.0.1:" + std::to_string(same.port) + ": ", 0),
            0u)
      << b.status().message();
}

TEST(MetricsRequestTest, WholeRequestsOnlyWithTheQueryDropped) {
  EXPECT_EQ(ParseRequest("GET /metrics HTTP/1.1\r\nHost: x").state, State::kIncomplete);
  EXPECT_EQ(ParseRequest("GET /metr").state, State::kIncomplete);
  Request r = ParseRequest("GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.state, State::kDone);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/metrics");
  EXPECT_EQ(ParseRequest("GET /ready HTTP/1.0\n\n").state, State::kDone);  // bare LF, as curl never sends
}

TEST(MetricsRequestTest, HostileHeadsAreBadOrTooLarge) {
  EXPECT_EQ(ParseRequest("GET  /metrics HTTP/1.1\r\n\r\n").state, State::kBad);
  EXPECT_EQ(ParseRequest("GET /metrics HTTP/1.1\r\n folded\r\n\r\n").state, State::kBad);
  EXPECT_EQ(ParseRequest("GET /metrics HTTP/1.1\r\nno colon\r\n\r\n").state, State::kBad);
  EXPECT_EQ(ParseRequest("\r\nGET /metrics HTTP/1.1\r\n\r\n").state, State::kBad);
  EXPECT_EQ(ParseRequest("GET /m\x01 HTTP/1.1\r\n\r\n").state, State::kBad);
  EXPECT_EQ(ParseRequest("GET /" + std::string(kMaxRequest, 'a')).state, State::kTooLarge);
}

TEST(MetricsRequestTest, AnswersCloseTheConnectionAndCarryTheirLength) {
  Request r = ParseRequest("GET /ready HTTP/1.1\r\n\r\n");
  std::string a = Respond(r, {nullptr, [] { return true; }});
  EXPECT_EQ(a, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n"
               "Connection: close\r\n\r\nready\n");
}

}  // namespace
}  // namespace heat::metrics
