// sim/run_modbus.cc — PLCs served from the model, writes applied to it.
#include "heat/sim/run_modbus.h"

#include <modbus.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <regex>

#include "heat/core/match.h"
#include "heat/sim/run_cmd.h"

namespace heat::sim {

namespace {

constexpr size_t kMaxClients = 16;  // a PLC's connection limit; more are closed

bool IsWrite(uint8_t function) { return function == 5 || function == 6 || function == 15 || function == 16; }

}  // namespace

struct PlcServers::Server {
  Plc* plc = nullptr;
  Loop* loop = nullptr;
  modbus_t* ctx = nullptr;
  modbus_mapping_t* mb = nullptr;
  int listen_fd = -1;
  std::vector<int> clients;
  int size[4] = {1, 1, 1, 1};  // holding, input, coil, discrete: highest address + 2

  ~Server() {
    for (int c : clients) close(c);
    if (listen_fd >= 0) close(listen_fd);
    if (ctx) modbus_free(ctx);
    if (mb) modbus_mapping_free(mb);
  }
  // The raw words of register r as they sit in the mapping.
  std::vector<uint16_t> Words(const proto::Register& r) const {
    std::vector<uint16_t> w;
    for (int i = 0; i < r.words(); ++i) {
      int a = r.addr + i;
      switch (r.table) {
        case proto::RegTable::kHolding: w.push_back(mb->tab_registers[a]); break;
        case proto::RegTable::kInput: w.push_back(mb->tab_input_registers[a]); break;
        case proto::RegTable::kCoil: w.push_back(mb->tab_bits[a]); break;
        case proto::RegTable::kDiscrete: w.push_back(mb->tab_input_bits[a]); break;
      }
    }
    return w;
  }
};

Status ParseModbusAddress(const std::string& address, std::string* host, int* port) {
  static const std::regex re(R"(^([0-9.]+)(?::([0-9]{1,5}))?(?:/([0-9]{1,3}))?$)");
  std::smatch m;
  if (!BoundedMatch(address, m, re)) return Status::Usage("PLC address '" + address + "' is not IPv4[:port][/unit]");
  *host = m[1];
  *port = m[2].matched ? std::stoi(m[2]) : 502;
  if (*port < 1 || *port > 65535) return Status::Usage("PLC address '" + address + "': port out of range");
  return Status::Ok();
}

PlcServers::PlcServers() = default;
PlcServers::~PlcServers() = default;

Status PlcServers::Start(Plant& plant) {
  plant_ = &plant;
  for (auto& plc : plant.plcs) {
    auto s = std::make_unique<Server>();
    s->plc = &plc;
    s->loop = &plant.loops[plc.loop];
    std::string host;
    int port = 0;
    HEAT_TRY(ParseModbusAddress(plc.address, &host, &port).With(plc.device));
    for (const auto& r : plc.map.registers) {
      int& n = s->size[static_cast<int>(r.table)];
      n = std::max(n, r.addr + r.words() + 1);
    }
    s->mb = modbus_mapping_new(s->size[2], s->size[3], s->size[0], s->size[1]);
    s->ctx = modbus_new_tcp(host.c_str(), port);
    s->listen_fd = s->ctx ? modbus_tcp_listen(s->ctx, 8) : -1;
    if (!s->mb || s->listen_fd < 0)
      return Status::Failure(plc.device + ": cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             std::strerror(errno));
    modbus_set_byte_timeout(s->ctx, 0, 200000);  // a client dripping bytes holds the loop at most this long
    Fill(*s);
    servers_.push_back(std::move(s));
  }
  return Status::Ok();
}

// Every register from the model; tables cleared first so that bits OR
// into clean words and stray writes vanish.
void PlcServers::Fill(Server& s) {
  std::fill_n(s.mb->tab_registers, s.size[0], 0);
  std::fill_n(s.mb->tab_input_registers, s.size[1], 0);
  std::fill_n(s.mb->tab_bits, s.size[2], 0);
  std::fill_n(s.mb->tab_input_bits, s.size[3], 0);
  for (const auto& r : s.plc->map.registers) {
    auto v = LoopTagValue(s.loop->model, ModelTag(r.tag), r.writable);
    auto w = proto::EncodeRegister(r, v.value_or(0));
    for (size_t i = 0; i < w.size(); ++i) {
      int a = r.addr + static_cast<int>(i);
      switch (r.table) {
        case proto::RegTable::kHolding: s.mb->tab_registers[a] |= w[i]; break;
        case proto::RegTable::kInput: s.mb->tab_input_registers[a] |= w[i]; break;
        case proto::RegTable::kCoil: s.mb->tab_bits[a] = static_cast<uint8_t>(w[i]); break;
        case proto::RegTable::kDiscrete: s.mb->tab_input_bits[a] = static_cast<uint8_t>(w[i]); break;
      }
    }
  }
}

void PlcServers::Poll(int timeout_ms) {
  fd_set fds;
  FD_ZERO(&fds);
  int top = -1;
  for (auto& s : servers_) {
    FD_SET(s->listen_fd, &fds);
    top = std::max(top, s->listen_fd);
    for (int c : s->clients) {
      FD_SET(c, &fds);
      top = std::max(top, c);
    }
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  if (top < 0) {
    select(0, nullptr, nullptr, nullptr, &tv);
    return;
  }
  if (select(top + 1, &fds, nullptr, nullptr, &tv) <= 0) return;
  for (auto& s : servers_) {
    if (FD_ISSET(s->listen_fd, &fds)) {
      int fd = modbus_tcp_accept(s->ctx, &s->listen_fd);
      if (fd >= 0 && s->clients.size() < kMaxClients) s->clients.push_back(fd);
      else if (fd >= 0) close(fd);
    }
    std::vector<int> ready;
    for (int c : s->clients)
      if (FD_ISSET(c, &fds)) ready.push_back(c);
    for (int c : ready) Serve(*s, c);
  }
}

// One request: the mapping is filled from the model first (reads are
// current), and after a write the written words are applied and the
// mapping filled again (reads show what was applied).
void PlcServers::Serve(Server& s, int fd) {
  std::vector<uint8_t> query(MODBUS_TCP_MAX_ADU_LENGTH);
  modbus_set_socket(s.ctx, fd);
  int rc = modbus_receive(s.ctx, query.data());
  if (rc == -1) {
    close(fd);
    s.clients.erase(std::find(s.clients.begin(), s.clients.end(), fd));
    return;
  }
  if (rc <= 0) return;
  Fill(s);
  std::vector<uint16_t> regs(s.mb->tab_registers, s.mb->tab_registers + s.size[0]);
  std::vector<uint8_t> bits(s.mb->tab_bits, s.mb->tab_bits + s.size[2]);
  modbus_reply(s.ctx, query.data(), rc, s.mb);
  int h = modbus_get_header_length(s.ctx);
  if (rc > h && IsWrite(query[static_cast<size_t>(h)])) {
    ApplyWrites(s, regs, bits);
    Fill(s);
  }
}

// Writable registers whose words changed, as setpoints of the model.
void PlcServers::ApplyWrites(Server& s, const std::vector<uint16_t>& before_regs,
                             const std::vector<uint8_t>& before_bits) {
  for (const auto& r : s.plc->map.registers) {
    if (!r.writable || (r.table != proto::RegTable::kHolding && r.table != proto::RegTable::kCoil)) continue;
    std::vector<uint16_t> now = s.Words(r);
    bool changed = false;
    for (int i = 0; i < r.words(); ++i) {
      size_t a = static_cast<size_t>(r.addr + i);
      changed = changed || (r.table == proto::RegTable::kHolding ? before_regs[a] : before_bits[a]) != now[i];
    }
    if (!changed) continue;
    double v = proto::DecodeRegister(r, now.data());
    std::string tag = ModelTag(r.tag);
    SetResult res;
    if (tag == "v1_set") res = SetValve(s.loop->model, v);
    else if (tag == "pump1_hz") res = SetPumpHz(s.loop->model, v);
    else if (tag == "pump1_run") res = SetPumpRun(s.loop->model, v != 0);
    else continue;
    writes_++;
    if (res.code != kAckApplied)
      std::cerr << "heatsim: " << s.plc->device << ": write of " << r.tag << " not applied: " << res.msg << "\n";
  }
}

}  // namespace heat::sim
