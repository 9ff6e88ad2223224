// libFuzzer target: what a PLC answers over Modbus TCP (DEV-4, MON-1,
// SYS-1), through the code heatd-ingest polls with (ModbusLink::Read over
// libmodbus, then the register map's decoding). A server thread on
// 127.0.0.1 answers each request with the next piece of the input (each
// piece: a length byte, then that many bytes; the first two bytes get the
// request's transaction id so that libmodbus looks further), and closes
// the connection when the pieces run out or a piece is empty. Whatever the PLC sends: Read
// either fails as kFailure or returns one value per register; no crash,
// no hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "heat/ingest/modbus.h"

namespace {

int Listener(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 4) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    std::abort();
  *port = ntohs(a.sin_port);
  return fd;
}

bool ReadN(int fd, uint8_t* buf, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = recv(fd, buf + got, n - got, 0);
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

// One connection: a piece of the input per request, then close.
void Serve(int listener, const uint8_t* data, size_t size) {
  int c = accept(listener, nullptr, nullptr);
  if (c < 0) return;
  size_t at = 0;
  uint8_t head[7], pdu[260];
  while (at < size && ReadN(c, head, 7)) {
    size_t len = static_cast<size_t>(head[4] << 8 | head[5]);
    if (len < 1 || len > sizeof pdu + 1 || !ReadN(c, pdu, len - 1)) break;
    size_t n = std::min<size_t>(data[at], size - at - 1);
    std::string reply(reinterpret_cast<const char*>(data + at + 1), n);
    at += 1 + n;
    if (reply.empty()) break;  // an empty piece: hang up now
    if (reply.size() >= 2) reply[0] = static_cast<char>(head[0]), reply[1] = static_cast<char>(head[1]);
    if (send(c, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) break;
  }
  // Hanging up as soon as the input is used up makes a short last reply
  // fail at once; a short reply in the middle waits the 2 ms timeout.
  close(c);
}

heat::proto::Register Reg(const char* tag, heat::proto::RegTable table, int addr, heat::proto::RegType type,
                          heat::proto::WordOrder order = heat::proto::WordOrder::kABCD, int bit = -1) {
  heat::proto::Register r;
  r.tag = tag;
  r.table = table;
  r.addr = addr;
  r.type = type;
  r.order = order;
  r.bit = bit;
  return r;
}

heat::proto::RegisterMap Map() {
  using heat::proto::RegTable;
  using heat::proto::RegType;
  using heat::proto::WordOrder;
  heat::proto::RegisterMap m;
  m.code = "fuzz";
  m.registers = {Reg("t1s", RegTable::kHolding, 0, RegType::kI16),
                 Reg("f1", RegTable::kHolding, 1, RegType::kF32, WordOrder::kCDAB),
                 Reg("q1", RegTable::kInput, 10, RegType::kU32, WordOrder::kDCBA),
                 Reg("fault", RegTable::kInput, 12, RegType::kU16, WordOrder::kABCD, 3),
                 Reg("pump", RegTable::kCoil, 0, RegType::kBit),
                 Reg("alarm", RegTable::kDiscrete, 5, RegType::kBit)};
  m.registers[0].scale = 0.1;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int port = 0;
  static int listener = Listener(&port);
  static const heat::proto::RegisterMap map = Map();
  std::thread server(Serve, listener, data, size);
  {
    heat::ingest::ModbusLink link({"127.0.0.1", port, 1}, 2);
    auto values = link.Read(map, {});
    if (values.ok() && values->size() != map.registers.size()) std::abort();
    if (!values.ok() && values.status().code() != heat::Code::kFailure) std::abort();
  }  // closing the link ends the server's connection
  server.join();
  return 0;
}
