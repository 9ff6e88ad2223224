#include "heat/ingest/modbus.h"

#include <modbus.h>

#include <cerrno>
#include <cmath>
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

namespace {

// Whether value fits the register's raw type after scale and offset.
bool Fits(const proto::Register& r, double value) {
  if (!std::isfinite(value)) return false;
  if (r.type == proto::RegType::kBit || r.bit >= 0) return value == 0 || value == 1;
  double raw = std::nearbyint((value - r.offset) / r.scale);
  switch (r.type) {
    case proto::RegType::kU16: return raw >= 0 && raw <= 65535;
    case proto::RegType::kI16: return raw >= -32768 && raw <= 32767;
    case proto::RegType::kU32: return raw >= 0 && raw <= 4294967295.0;
    case proto::RegType::kI32: return raw >= -2147483648.0 && raw <= 2147483647.0;
    default: return std::fabs(raw) < 3.4e38;
  }
}

}  // namespace

Result<double> ModbusLink::Write(const proto::RegisterMap& map, const std::string& tag, double value) {
  const auto* r = map.Find(tag);
  if (r == nullptr) return Status::Usage("register map " + map.code + " has no tag " + tag);
  if (!r->writable) return Status::Usage("register " + tag + " of map " + map.code + " is not writable");
  if (!Fits(*r, value)) return Status::Usage("value " + std::to_string(value) + " does not fit register " + tag);
  if (r->table != RegTable::kHolding && r->table != RegTable::kCoil)
    return Status::Usage("register " + tag + " is in a read-only table");
  if (!connected()) HEAT_TRY(Connect());
  auto* m = static_cast<modbus_t*>(ctx_);
  std::vector<uint16_t> words = proto::EncodeRegister(*r, value);
  int n = r->table == RegTable::kCoil ? modbus_write_bit(m, r->addr, words[0] ? 1 : 0)
                                      : modbus_write_registers(m, r->addr, static_cast<int>(words.size()), words.data());
  if (n < 0) {
    Status st = Status::Failure(std::string("write of ") + tag + " failed: " + modbus_strerror(errno));
    Close();
    return st.With("modbus " + Who());
  }
  HEAT_ASSIGN(auto back, Read(map, {tag}));
  return back.at(0).value;
}

Result<std::vector<TagValue>> ReadTags(const ModbusAddress& addr, const proto::RegisterMap& map,
                                       const std::vector<std::string>& tags, int timeout_ms) {
  ModbusLink link(addr, timeout_ms);
  return link.Read(map, tags);
}

}  // namespace heat::ingest
