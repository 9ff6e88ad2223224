#include "heat/ingest/modbus.h"

#include <modbus.h>

#include <cerrno>
#include <map>
#include <memory>

#include "heat/core/match.h"

namespace heat::ingest {
namespace {

using proto::RegTable;

struct Closer {
  void operator()(modbus_t* m) const {
    modbus_close(m);
    modbus_free(m);
  }
};

// Reads one range into a word map keyed by (table, address).
Status ReadRange(modbus_t* m, const proto::ReadRange& r, std::map<std::pair<RegTable, int>, uint16_t>& out) {
  std::vector<uint16_t> words(static_cast<size_t>(r.count));
  std::vector<uint8_t> bits(static_cast<size_t>(r.count));
  int n = -1;
  switch (r.table) {
    case RegTable::kHolding: n = modbus_read_registers(m, r.addr, r.count, words.data()); break;
    case RegTable::kInput: n = modbus_read_input_registers(m, r.addr, r.count, words.data()); break;
    case RegTable::kCoil: n = modbus_read_bits(m, r.addr, r.count, bits.data()); break;
    case RegTable::kDiscrete: n = modbus_read_input_bits(m, r.addr, r.count, bits.data()); break;
  }
  if (n != r.count) return Status::Failure(std::string("read failed: ") + modbus_strerror(errno));
  bool is_bits = r.table == RegTable::kCoil || r.table == RegTable::kDiscrete;
  for (int i = 0; i < r.count; ++i) out[{r.table, r.addr + i}] = is_bits ? bits[static_cast<size_t>(i)] : words[static_cast<size_t>(i)];
  return Status::Ok();
}

}  // namespace

Result<ModbusAddress> ParseModbusAddress(const std::string& s) {
  static const std::regex re(R"(^([A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:/(\d{1,3}))?$)");
  std::smatch m;
  if (!BoundedMatch(s, m, re)) return Status::Usage("Modbus address must be HOST[:PORT][/UNIT], got '" + s + "'");
  ModbusAddress a;
  a.host = m[1];
  if (m[2].matched) a.port = std::stoi(m[2]);
  if (m[3].matched) a.unit = std::stoi(m[3]);
  if (a.port < 1 || a.port > 65535 || a.unit > 247) return Status::Usage("Modbus address out of range: " + s);
  return a;
}

std::string ModbusLink::Who() const {
  return addr_.host + ":" + std::to_string(addr_.port) + "/" + std::to_string(addr_.unit);
}

void ModbusLink::Close() {
  if (ctx_ == nullptr) return;
  Closer()(static_cast<modbus_t*>(ctx_));
  ctx_ = nullptr;
}

Status ModbusLink::Connect() {
  std::unique_ptr<modbus_t, Closer> m(modbus_new_tcp(addr_.host.c_str(), addr_.port));
  if (!m) return Status::Failure("modbus " + Who() + ": cannot create a context");
  modbus_set_slave(m.get(), addr_.unit);
  const auto s = static_cast<uint32_t>(timeout_ms_ / 1000), us = static_cast<uint32_t>(timeout_ms_ % 1000) * 1000;
  modbus_set_response_timeout(m.get(), s, us);
  // libmodbus waits 500 ms between the bytes of a reply by default: a PLC
  // that stops halfway held a poll that long whatever timeout_ms said
  // (found by modbus_reply_fuzz).
  modbus_set_byte_timeout(m.get(), s, us);
  if (modbus_connect(m.get()) != 0)
    return Status::Failure("modbus " + Who() + ": cannot connect: " + modbus_strerror(errno));
  ctx_ = m.release();
  return Status::Ok();
}

Result<std::vector<TagValue>> ModbusLink::Read(const proto::RegisterMap& map, const std::vector<std::string>& tags) {
  std::vector<const proto::Register*> regs;
  if (tags.empty()) {
    for (const auto& r : map.registers) regs.push_back(&r);
  } else {
    for (const auto& t : tags) {
      const auto* r = map.Find(t);
      if (r == nullptr) return Status::Usage("register map " + map.code + " has no tag " + t);
      regs.push_back(r);
    }
  }
  if (!connected()) HEAT_TRY(Connect());
  std::map<std::pair<RegTable, int>, uint16_t> words;
  for (const auto& range : proto::PlanReads(regs)) {
    Status st = ReadRange(static_cast<modbus_t*>(ctx_), range, words);
    if (!st.ok()) {
      Close();  // a half-read stream is not trusted: reconnect next time
      return st.With("modbus " + Who());
    }
  }
  std::vector<TagValue> out;
  for (const auto* r : regs) {
    uint16_t w[2] = {words[{r->table, r->addr}], r->words() == 2 ? words[{r->table, r->addr + 1}] : uint16_t(0)};
    out.push_back({r->tag, proto::DecodeRegister(*r, w), r->unit});
  }
  return out;
}

Result<std::vector<TagValue>> ReadTags(const ModbusAddress& addr, const proto::RegisterMap& map,
                                       const std::vector<std::string>& tags, int timeout_ms) {
  ModbusLink link(addr, timeout_ms);
  return link.Read(map, tags);
}

}  // namespace heat::ingest
