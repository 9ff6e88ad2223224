// heatctl meter decode [HEX|-] [--file F] (DEV-2): decodes an M-Bus or
// CJ/T 188 frame by hand, as a field engineer captured it from the meter's
// optical port, and prints every record with the tag and quality it would
// be stored as (ingest/meter_map.h). No database; nothing is stored.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "heat/ctl/commands.h"
#include "heat/ingest/meter.h"
#include "heat/ingest/meter_map.h"

namespace heat::ctl {
namespace {

using Bytes = std::vector<uint8_t>;

struct DecodeArgs {
  std::string hex;   // HEX, or "-" for hex text on stdin
  std::string file;  // a binary capture
};

// Hex digits, with any spaces, colons, commas or "0x" between bytes.
Result<Bytes> ParseHex(const std::string& text) {
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) ++i;
    else if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
    else if (!std::isspace(static_cast<unsigned char>(c)) && c != ':' && c != ',')
      return Status::Usage("meter decode: '" + std::string(1, c) + "' at character " + std::to_string(i + 1) +
                           " is not a hex digit");
  }
  if (digits.empty()) return Status::Usage("meter decode: no bytes given");
  if (digits.size() % 2) return Status::Usage("meter decode: odd number of hex digits (" +
                                              std::to_string(digits.size()) + ")");
  Bytes b;
  for (size_t i = 0; i < digits.size(); i += 2) b.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return b;
}

Result<Bytes> ReadInput(const DecodeArgs& a) {
  if (!a.file.empty()) {
    std::ifstream in(a.file, std::ios::binary);
    if (!in) return Status::NotFound("meter decode: cannot open " + a.file);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (a.hex == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return ParseHex(text.str());
  }
  return ParseHex(a.hex);
}

std::string HexBytes(uint8_t first, const Bytes& more) {
  std::string s;
  char b[4];
  std::snprintf(b, sizeof b, "%02X", first);
  s += b;
  for (uint8_t x : more) std::snprintf(b, sizeof b, " %02X", x), s += b;
  return s;
}

cli::Cell Num(double v) {
  char s[40];
  std::snprintf(s, sizeof s, "%.10g", v);
  return {std::string(s), cli::Cell::kNumber};
}
cli::Cell Int(uint64_t v) { return {std::to_string(v), cli::Cell::kInt}; }
cli::Cell Text(std::string s) { return {std::move(s), cli::Cell::kString}; }
const cli::Cell kNull{std::nullopt, cli::Cell::kString};

const std::vector<std::string> kColumns = {"frame", "record", "offset", "dif", "vif", "storage", "tariff",
                                           "subunit", "function", "quantity", "value", "unit", "tag",
                                           "stored", "quality", "note"};

// The stored value of a tag, if the mapping step gives it, as cells.
void AddStored(const ingest::MeterValue* v, std::vector<cli::Cell>& row) {
  row.push_back(v ? Text(v->tag) : kNull);
  row.push_back(v ? Text(Num(v->value).text.value() + (v->unit.empty() ? "" : " " + v->unit)) : kNull);
  row.push_back(v ? Int(static_cast<uint64_t>(v->quality)) : kNull);
}

const ingest::MeterValue* ByRecord(const std::vector<ingest::MeterValue>& vals, int record, const std::string& tag) {
  for (const auto& v : vals)
    if (v.record == record && (tag.empty() || v.tag == tag)) return &v;
  return nullptr;
}

cli::Cell RecordValue(const proto::MbusRecord& r) {
  if (!r.text.empty()) return Text(r.text);
  if (r.valid) return Num(r.value);
  return kNull;
}

void AddMbusFrame(size_t n, const proto::MbusFrame& f, cli::Table& t) {
  auto vals = ingest::MapMbusFrame(f, {});
  auto header = [&](const char* what, cli::Cell value, const ingest::MeterValue* v) {
    std::vector<cli::Cell> row = {Int(n), kNull, Int(f.offset), kNull, kNull, kNull, kNull, kNull, kNull,
                                  Text(what), std::move(value), kNull};
    AddStored(v, row);
    row.push_back(kNull);
    t.Add(std::move(row));
  };
  if (f.has_identity) header("address", Text(f.id), nullptr);
  if (f.has_identity) header("manufacturer", Text(f.manufacturer), nullptr);
  if (f.ci != 0x78) header("status", Int(f.status), ByRecord(vals, -1, "status"));
  for (size_t i = 0; i < f.records.size(); ++i) {
    const proto::MbusRecord& r = f.records[i];
    std::string why;
    std::string tag = ingest::MbusRecordTag(r, &why);
    const ingest::MeterValue* v = ByRecord(vals, static_cast<int>(i), "");
    if (!tag.empty() && !v) why = tag + " given by an earlier record (or no energy unit)";
    std::vector<cli::Cell> row = {Int(n), Int(i + 1), Int(r.offset), Text(HexBytes(r.dif, r.dife)),
                                  Text(HexBytes(r.vif, r.vife)), Int(r.storage), Int(r.tariff), Int(r.subunit),
                                  Text(proto::MbusFunctionName(r.function)), Text(proto::MbusQuantityName(r.quantity)),
                                  RecordValue(r), r.unit.empty() ? kNull : Text(r.unit)};
    AddStored(v, row);
    row.push_back(why.empty() ? kNull : Text(why));
    t.Add(std::move(row));
  }
}

void AddCjt188(size_t n, const proto::Cjt188Reading& r, cli::Table& t) {
  auto vals = ingest::MapCjt188(r, {});
  auto field = [&](const char* what, cli::Cell value, const char* unit, const char* tag) {
    const ingest::MeterValue* v = nullptr;
    for (const auto& x : vals)
      if (tag && x.tag == tag) v = &x;
    std::vector<cli::Cell> row = {Int(n), kNull, Int(r.offset), kNull, kNull, kNull, kNull, kNull, kNull,
                                  Text(what), std::move(value), unit ? Text(unit) : kNull};
    AddStored(v, row);
    row.push_back(kNull);
    t.Add(std::move(row));
  };
  const char* energy = r.meter_type == 0x21 ? "cooling" : "heat";
  field("address", Text(r.address), nullptr, nullptr);
  field("settlement_heat", Num(r.settlement_heat_kwh), "kWh", nullptr);
  field("heat", Num(r.heat_kwh), "kWh", energy);
  field("power", Num(r.power_kw), "kW", "power");
  field("flow", Num(r.flow_m3h), "m³/h", "flow");
  field("volume", Num(r.volume_m3), "m³", "volume");
  field("flow_temp", Num(r.supply_c), "°C", "t_sup");
  field("return_temp", Num(r.return_c), "°C", "t_ret");
  field("hours", Int(r.hours), "h", "hours");
  char clock[32];
  std::snprintf(clock, sizeof clock, "%04d-%02d-%02dT%02d:%02d:%02d", r.clock.year, r.clock.month, r.clock.day,
                r.clock.hour, r.clock.minute, r.clock.second);
  field("datetime", r.clock.valid ? Text(clock) : kNull, nullptr, nullptr);
  field("status", Int(r.status), nullptr, "status");
}

Status Decode(cli::Context& ctx, const DecodeArgs& a) {
  if (a.file.empty() == a.hex.empty())
    return Status::Usage("meter decode: give the frame as HEX, - (hex on stdin) or --file F, one of them");
  HEAT_ASSIGN(Bytes bytes, ReadInput(a));
  HEAT_ASSIGN(ingest::MeterFrames frames, ingest::DecodeMeterFrames(bytes));
  cli::Table t;
  t.columns = kColumns;
  for (size_t i = 0; i < frames.mbus.size(); ++i) AddMbusFrame(i + 1, frames.mbus[i], t);
  for (size_t i = 0; i < frames.cjt188.size(); ++i) AddCjt188(i + 1, frames.cjt188[i], t);
  cli::Print(t, ctx.format, ctx.out());
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> MeterCommands() {
  return {{"meter decode", "decode an M-Bus or CJ/T 188 frame by hand: every record and the tag it is stored as",
           "DEV-2", [](CLI::App& app) -> cli::Runner {
             auto a = std::make_shared<DecodeArgs>();
             app.add_option("hex", a->hex, "the frame in hex (spaces allowed), or - to read hex from stdin");
             app.add_option("--file", a->file, "a binary capture instead");
             return [a](cli::Context& ctx) { return Decode(ctx, *a); };
           }}};
}

}  // namespace heat::ctl
