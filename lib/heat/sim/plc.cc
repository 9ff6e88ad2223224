#include "heat/sim/plc.h"

#include <modbus.h>
#include <sys/select.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <ctime>
#include <functional>
#include <vector>

#include "heat/db/conn.h"
#include "heat/proto/regmap.h"

namespace heat::sim {
namespace {

volatile std::sig_atomic_t g_stop = 0;

Result<proto::RegisterMap> LoadMap(const std::string& code) {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open("", "heatsim"));
  HEAT_ASSIGN(db::Rows r, c.Query("SELECT body::text FROM heat.register_map WHERE code = $1", {code}));
  if (r.empty()) return Status::NotFound("register map " + code + " not found");
  return proto::ParseRegisterMap(nlohmann::json::parse(r.get(0, 0)), code);
}

double ValueOf(const proto::Register& r, const PlcOptions& opt, std::time_t now) {
  auto f = opt.fixed.find(r.tag);
  if (f != opt.fixed.end()) return f->second;
  if (r.type == proto::RegType::kBit || r.bit >= 0) return 1;
  double phase = static_cast<double>(std::hash<std::string>{}(r.tag) % 628) / 100.0;
  return 50 + 10 * std::sin(static_cast<double>(now) / 600.0 + phase);
}

// Writes every register's current value into the libmodbus mapping.
void Fill(modbus_mapping_t* mb, const proto::RegisterMap& map, const PlcOptions& opt) {
  std::time_t now = std::time(nullptr);
  for (const auto& r : map.registers) {
    auto w = proto::EncodeRegister(r, ValueOf(r, opt, now));
    for (size_t i = 0; i < w.size(); ++i) {
      int a = r.addr + static_cast<int>(i);
      switch (r.table) {
        case proto::RegTable::kHolding: mb->tab_registers[a] = w[i]; break;
        case proto::RegTable::kInput:
          if (r.bit >= 0) mb->tab_input_registers[a] |= w[i];
          else mb->tab_input_registers[a] = w[i];
          break;
        case proto::RegTable::kCoil: mb->tab_bits[a] = static_cast<uint8_t>(w[i]); break;
        case proto::RegTable::kDiscrete: mb->tab_input_bits[a] = static_cast<uint8_t>(w[i]); break;
      }
    }
  }
}

}  // namespace

Status RunPlc(const PlcOptions& opt) {
  HEAT_ASSIGN(proto::RegisterMap map, LoadMap(opt.map_code));
  int size[4] = {1, 1, 1, 1};  // holding, input, coil, discrete: highest address + 2
  for (const auto& r : map.registers) {
    int& s = size[static_cast<int>(r.table)];
    s = std::max(s, r.addr + r.words() + 1);
  }
  modbus_mapping_t* mb = modbus_mapping_new(size[2], size[3], size[0], size[1]);
  modbus_t* ctx = modbus_new_tcp(opt.bind.c_str(), opt.port);
  int server = ctx ? modbus_tcp_listen(ctx, 8) : -1;
  if (!mb || server < 0) return Status::Failure("heatsim plc: cannot listen on " + opt.bind + ":" + std::to_string(opt.port));
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::vector<int> clients;
  std::vector<uint8_t> query(MODBUS_TCP_MAX_ADU_LENGTH);
  while (!g_stop) {
    Fill(mb, map, opt);
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(server, &fds);
    int top = server;
    for (int c : clients) { FD_SET(c, &fds); top = std::max(top, c); }
    timeval tv{0, 200000};
    if (select(top + 1, &fds, nullptr, nullptr, &tv) <= 0) continue;
    if (FD_ISSET(server, &fds)) {
      int fd = modbus_tcp_accept(ctx, &server);
      if (fd >= 0) clients.push_back(fd);
    }
    for (auto it = clients.begin(); it != clients.end();) {
      if (!FD_ISSET(*it, &fds)) { ++it; continue; }
      modbus_set_socket(ctx, *it);
      int rc = modbus_receive(ctx, query.data());
      if (rc > 0) modbus_reply(ctx, query.data(), rc, mb);
      if (rc == -1) { close(*it); it = clients.erase(it); } else { ++it; }
    }
  }
  for (int c : clients) close(c);
  close(server);
  modbus_free(ctx);
  modbus_mapping_free(mb);
  return Status::Ok();
}

}  // namespace heat::sim
