// ModbusLink against a PLC that misbehaves on the wire (DEV-4, MON-2): a
// stalled device must not hold a poll longer than its timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "heat/ingest/modbus.h"

namespace heat::ingest {
namespace {

// A listener on 127.0.0.1; its port.
int Listen(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(listen(fd, 1), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

// libmodbus waits 500 ms between the bytes of a reply unless told
// otherwise; a PLC that sent the first bytes of its answer and stopped
// held the poll that long whatever ingest.modbus_timeout_ms said.
TEST(ModbusLinkTest, PlcThatStopsHalfwayThroughAReplyHoldsThePollNoLongerThanTheTimeout) {
  int port = 0;
  int listener = Listen(&port);
  std::thread plc([&] {
    int c = accept(listener, nullptr, nullptr);
    char req[12];
    ASSERT_EQ(recv(c, req, sizeof req, MSG_WAITALL), 12);
    const char half[] = {req[0], req[1], 0, 0, 0, 5, 1, 3};  // header and function; no data
    send(c, half, sizeof half, MSG_NOSIGNAL);
    char sink[16];
    (void)recv(c, sink, sizeof sink, 0);  // until the client hangs up
    close(c);
  });
  proto::RegisterMap map;
  map.code = "m";
  proto::Register r;
  r.tag = "t1s";
  map.registers.push_back(r);
  auto start = std::chrono::steady_clock::now();
  {
    ModbusLink link({"127.0.0.1", port, 1}, 100);
    auto got = link.Read(map, {});
    EXPECT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), Code::kFailure);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 450) << "the byte timeout is not the link's timeout";
  plc.join();
  close(listener);
}

}  // namespace
}  // namespace heat::ingest
