// EN 13757-3 long-frame and variable-data decoder (DEV-2). See mbus.h for
// the contract; the unit tables are in mbus_vif.cc.
//
// Every read goes through RecordReader::Has() or an explicit size check
// against a std::span, so a lying L, DIFE chain, LVAR or text length can
// only ever produce a Status. Frames are at most 261 bytes, so nothing
// here needs to guard against large allocations.
#include "heat/proto/mbus.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>

namespace heat::proto {
namespace {

using mbus_internal::ApplyCombinable;
using mbus_internal::Combinable;
using mbus_internal::ExtensionFb;
using mbus_internal::ExtensionFd;
using mbus_internal::Normalise;
using mbus_internal::PrimaryVif;
using mbus_internal::UnitInfo;
using mbus_internal::ValueKind;

constexpr uint8_t kStart = 0x68, kStop = 0x16;
constexpr size_t kMaxDife = 10, kMaxVife = 10;  // as libmbus: a longer chain is garbage
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string Hex(uint8_t b) {
  char s[8];
  std::snprintf(s, sizeof s, "0x%02X", b);
  return s;
}

std::string Num(size_t n) { return std::to_string(n); }

// ---- Helpers on data fields, all LSB first (see TakeLe) ----

uint64_t UnsignedLe(const std::vector<uint8_t>& le) {
  uint64_t v = 0;
  for (size_t i = std::min<size_t>(le.size(), 8); i-- > 0;) v = (v << 8) | le[i];
  return v;
}

// Type B: two's complement of the field's width.
int64_t SignedLe(const std::vector<uint8_t>& le) {
  uint64_t u = UnsignedLe(le);
  size_t bits = std::min<size_t>(le.size(), 8) * 8;
  if (bits > 0 && bits < 64 && ((u >> (bits - 1)) & 1)) u |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(u);
}

// Type A (BCD), most significant digit last. 0xF as the most significant
// nibble is a minus sign; any other nibble above 9 (meters send FF..FF
// for "no value") makes the field invalid. At most 18 digits fit.
bool DecodeBcd(const std::vector<uint8_t>& le, int64_t* out) {
  if (le.size() > 9) return false;
  int64_t v = 0;
  bool negative = false;
  for (size_t i = le.size(); i-- > 0;) {
    for (int shift : {4, 0}) {
      int d = (le[i] >> shift) & 0xF;
      if (d == 0xF && i + 1 == le.size() && shift == 4) {
        negative = true;
        continue;
      }
      if (d > 9) return false;
      v = v * 10 + d;
    }
  }
  *out = negative ? -v : v;
  return true;
}

// The digits as sent, most significant first ("06855817"); hex digits
// stay visible rather than being guessed at.
std::string NibbleString(const std::vector<uint8_t>& le) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string s;
  for (size_t i = le.size(); i-- > 0;) {
    s += kDigits[le[i] >> 4];
    s += kDigits[le[i] & 0xF];
  }
  return s;
}

// Text fields are sent last character first. Anything outside printable
// ASCII becomes '?', so the result is safe to log and to store as UTF-8.
std::string TextFromLe(const std::vector<uint8_t>& le) {
  std::string s;
  for (size_t i = le.size(); i-- > 0;) s += (le[i] >= 0x20 && le[i] < 0x7F) ? char(le[i]) : '?';
  return s;
}

std::string Letters(uint16_t m) {
  std::string s(3, '@');
  s[0] = char(((m >> 10) & 0x1F) + 64);
  s[1] = char(((m >> 5) & 0x1F) + 64);
  s[2] = char((m & 0x1F) + 64);
  return s;
}

// ---- Dates: types G, F, I ----

int FullYear(int yy, int hundreds) {
  if (hundreds == 0 && yy <= 80) return 2000 + yy;  // old meters: two-digit year
  return 1900 + 100 * hundreds + yy;
}

bool PlausibleDate(const MbusTime& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour < 24 &&
         t.minute < 60 && t.second < 60;
}

std::string IsoText(const MbusTime& t, int fields) {
  char s[40] = "";
  if (fields == 3) std::snprintf(s, sizeof s, "%04d-%02d-%02d", t.year, t.month, t.day);
  if (fields == 5)
    std::snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
  if (fields == 6)
    std::snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
  return s;
}

// The time of day of types F and I; returns the IV (invalid) bit. F keeps
// IV in the minute byte and SU and the century in the hour byte; I starts
// with the seconds and keeps IV and SU in the minute byte.
bool DecodeClock(const std::vector<uint8_t>& b, MbusTime* t, int* hundreds) {
  if (b.size() == 4) {
    t->minute = b[0] & 0x3F;
    t->hour = b[1] & 0x1F;
    *hundreds = (b[1] >> 5) & 3;
    t->summer = b[1] & 0x80;
    return b[0] & 0x80;
  }
  if (b.size() == 6) {
    t->second = b[0] & 0x3F;
    t->minute = b[1] & 0x3F;
    t->summer = b[1] & 0x40;
    t->hour = b[2] & 0x1F;
    return b[1] & 0x80;
  }
  return false;  // G: a date only
}

// b: 2 bytes (G), 4 bytes (F) or 6 bytes (I), LSB first. The date
// (day, month, year) follows the time of day; type I ends with a week byte.
void DecodeTime(const std::vector<uint8_t>& b, MbusRecord* rec) {
  size_t n = b.size(), d = n == 6 ? 3 : n - 2;
  MbusTime t;
  int hundreds = 0;
  bool invalid = DecodeClock(b, &t, &hundreds);
  t.day = b[d] & 0x1F;
  t.month = b[d + 1] & 0x0F;
  int yy = ((b[d] >> 5) & 7) | ((b[d + 1] >> 4) << 3);
  t.year = FullYear(yy, hundreds);
  rec->time = t;
  rec->coding = n == 2 ? MbusCoding::kDate : MbusCoding::kDateTime;
  rec->valid = !invalid && yy <= 99 && PlausibleDate(t);
  rec->text = IsoText(t, n == 2 ? 3 : n == 4 ? 5 : 6);
  rec->raw = static_cast<int64_t>(UnsignedLe(b));
}

// ---- Records ----

// Where a record's bytes are, for reading and for messages.
struct RecordReader {
  std::span<const uint8_t> body;  // the frame's data after the CI header
  size_t base = 0;                // offset of body[0] in the buffer
  bool msb_first = false;         // CI 0x76
  int index = 0;                  // 1-based record number within the frame
  size_t start = 0;               // body index of the DIF
  size_t pos = 0;

  bool Has(size_t n) const { return pos <= body.size() && body.size() - pos >= n; }
  size_t Left() const { return pos <= body.size() ? body.size() - pos : 0; }
  uint8_t Next() { return body[pos++]; }  // only after Has(1)
  Status Error(const std::string& what) const {
    return Status::Usage("mbus: record " + std::to_string(index) + " at byte " + Num(base + start) +
                         ": " + what);
  }
};

// What the VIF and VIFEs said, once read.
struct Vib {
  UnitInfo unit;
  Combinable comb;
};

Status ReadDib(RecordReader* r, MbusRecord* rec) {
  rec->dif = r->Next();
  rec->function = static_cast<MbusFunction>((rec->dif >> 4) & 3);
  rec->storage = (rec->dif >> 6) & 1;
  bool more = rec->dif & 0x80;
  for (size_t i = 0; more; ++i) {
    if (i == kMaxDife) return r->Error("more than " + Num(kMaxDife) + " DIFEs");
    if (!r->Has(1)) return r->Error("DIFE " + Num(i + 1) + " runs past the end of the frame");
    uint8_t e = r->Next();
    rec->dife.push_back(e);
    rec->storage |= uint64_t{e & 0x0Fu} << (1 + 4 * i);
    rec->tariff |= uint32_t((e >> 4) & 3) << (2 * i);
    rec->subunit |= uint32_t((e >> 6) & 1) << i;
    more = e & 0x80;
  }
  return Status::Ok();
}

// Bytes in [pos, pos+n) in LSB-first order, whatever the mode.
std::vector<uint8_t> TakeLe(RecordReader* r, size_t n) {
  std::vector<uint8_t> v(r->body.begin() + r->pos, r->body.begin() + r->pos + n);
  r->pos += n;
  if (r->msb_first) std::reverse(v.begin(), v.end());
  return v;
}

// VIF 0x7C / 0xFC: a length byte and the unit in ASCII, before any VIFE.
Status ReadTextUnit(RecordReader* r, MbusRecord* rec) {
  if (!r->Has(1)) return r->Error("plain-text VIF length runs past the end of the frame");
  size_t n = r->Next();
  if (!r->Has(n))
    return r->Error("plain-text VIF of " + Num(n) + " characters runs past the end of the frame (" +
                    Num(r->Left()) + " bytes left)");
  rec->unit = TextFromLe(TakeLe(r, n));
  return Status::Ok();
}

Status ReadVifes(RecordReader* r, MbusRecord* rec) {
  bool more = rec->vif & 0x80;
  while (more) {
    if (rec->vife.size() == kMaxVife) return r->Error("more than " + Num(kMaxVife) + " VIFEs");
    if (!r->Has(1))
      return r->Error("VIFE " + Num(rec->vife.size() + 1) + " runs past the end of the frame");
    uint8_t e = r->Next();
    rec->vife.push_back(e);
    more = e & 0x80;
  }
  return Status::Ok();
}

// The meaning of VIF + VIFEs: the true VIF (primary, or FB/FD table), then
// combinable VIFEs. After a manufacturer-specific marker every further
// VIFE is the manufacturer's and means nothing to us.
Vib InterpretVib(MbusRecord* rec) {
  Vib vib;
  uint8_t v = rec->vif & 0x7F;
  size_t i = 0;
  if (v == 0x7F) {
    rec->manufacturer_specific = true;
    vib.unit = PrimaryVif(v);
    return vib;
  }
  if ((v == 0x7B || v == 0x7D) && !rec->vife.empty()) {
    vib.unit = v == 0x7B ? ExtensionFb(rec->vife[0]) : ExtensionFd(rec->vife[0]);
    i = 1;
  } else {
    vib.unit = PrimaryVif(v);
  }
  for (; i < rec->vife.size() && !vib.comb.manufacturer; ++i) {
    if ((rec->vife[i] & 0x7F) == 0x7C) {  // next VIFE is from the combinable extension table
      vib.comb.extended = true;
      ++i;
      continue;
    }
    ApplyCombinable(rec->vife[i], &vib.comb);
  }
  rec->manufacturer_specific = rec->manufacturer_specific || vib.comb.manufacturer;
  rec->extended = vib.comb.extended;
  return vib;
}

Status ReadVib(RecordReader* r, MbusRecord* rec, Vib* vib) {
  if (!r->Has(1)) return r->Error("VIF runs past the end of the frame");
  rec->vif = r->Next();
  if ((rec->vif & 0x7F) == 0x7C) HEAT_TRY(ReadTextUnit(r, rec));
  HEAT_TRY(ReadVifes(r, rec));
  *vib = InterpretVib(rec);
  return Status::Ok();
}

// Data field length by DIF code; -1 is LVAR. Code 0xF never gets here.
int FixedLength(uint8_t dif) {
  static const int8_t kLen[16] = {0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, 0};
  return kLen[dif & 0x0F];
}

// Bytes after an LVAR byte; -1 for the reserved codes, whose length
// nobody knows, so the rest of the frame cannot be read.
int LvarLength(uint8_t lvar) {
  if (lvar <= 0xBF) return lvar;                 // text
  if (lvar <= 0xCF) return lvar - 0xC0;          // positive BCD, 2 digits a byte
  if (lvar <= 0xDF) return lvar - 0xD0;          // negative BCD
  if (lvar <= 0xEF) return lvar - 0xE0;          // binary
  if (lvar <= 0xF4) return 4 * (lvar - 0xEC);    // binary, 16..32 bytes
  if (lvar == 0xF5) return 48;
  if (lvar == 0xF6) return 64;
  return -1;
}

Status ReadData(RecordReader* r, MbusRecord* rec, int* lvar, std::vector<uint8_t>* le) {
  int len = FixedLength(rec->dif);
  if (len < 0) {
    if (!r->Has(1)) return r->Error("LVAR byte runs past the end of the frame");
    *lvar = r->Next();
    len = LvarLength(static_cast<uint8_t>(*lvar));
    if (len < 0) return r->Error("LVAR " + Hex(static_cast<uint8_t>(*lvar)) + " is reserved");
  }
  size_t n = static_cast<size_t>(len);
  if (!r->Has(n))
    return r->Error("data field of " + Num(n) + " bytes runs past the end of the frame (" +
                    Num(r->Left()) + " bytes left)");
  rec->data.assign(r->body.begin() + r->pos, r->body.begin() + r->pos + n);
  *le = TakeLe(r, n);
  return Status::Ok();
}

void SetNumber(MbusRecord* rec, const Vib& vib, double x) {
  rec->value = Normalise(vib.unit, x, vib.comb.exp10);
  rec->valid = std::isfinite(rec->value);
  if (!rec->valid) rec->value = kNaN;
}

void DecodeInt(const std::vector<uint8_t>& le, const Vib& vib, MbusRecord* rec) {
  // Identifiers and manufacturer fields are bit patterns, not quantities.
  bool is_id = vib.unit.kind == ValueKind::kIdentifier ||
               vib.unit.quantity == MbusQuantity::kManufacturerSpecific;
  rec->coding = MbusCoding::kInt;
  rec->raw = is_id ? static_cast<int64_t>(UnsignedLe(le)) : SignedLe(le);
  if (is_id) rec->text = std::to_string(UnsignedLe(le));
  SetNumber(rec, vib, is_id ? static_cast<double>(UnsignedLe(le)) : static_cast<double>(rec->raw));
}

void DecodeBcdField(const std::vector<uint8_t>& le, bool negate, const Vib& vib, MbusRecord* rec) {
  rec->coding = MbusCoding::kBcd;
  if (vib.unit.kind == ValueKind::kIdentifier) rec->text = NibbleString(le);
  int64_t v = 0;
  if (!DecodeBcd(le, &v)) return;  // invalid digits: value stays NaN
  rec->raw = negate ? -v : v;
  SetNumber(rec, vib, static_cast<double>(rec->raw));
}

void DecodeReal(const std::vector<uint8_t>& le, const Vib& vib, MbusRecord* rec) {
  rec->coding = MbusCoding::kReal;
  float f = std::bit_cast<float>(static_cast<uint32_t>(UnsignedLe(le)));
  if (std::isfinite(f)) SetNumber(rec, vib, static_cast<double>(f));
}

void DecodeLvar(const std::vector<uint8_t>& le, uint8_t lvar, const Vib& vib, MbusRecord* rec) {
  if (lvar <= 0xBF) {
    rec->coding = MbusCoding::kText;
    rec->text = TextFromLe(le);
    rec->valid = true;
  } else if (lvar <= 0xDF) {
    DecodeBcdField(le, lvar >= 0xD0, vib, rec);
  } else if (lvar <= 0xEF && le.size() <= 8) {
    DecodeInt(le, vib, rec);
  } else {
    rec->coding = MbusCoding::kRaw;  // long binary: kept in data only
  }
}

void DecodeValue(const std::vector<uint8_t>& le, int lvar, const Vib& vib, MbusRecord* rec) {
  rec->quantity = vib.unit.quantity;
  rec->exp10 = vib.unit.exp10 + vib.comb.exp10;
  rec->add = vib.unit.add;
  rec->mul = vib.unit.mul;
  rec->div = vib.unit.div;
  rec->accumulation = vib.comb.accumulation;
  if (rec->quantity != MbusQuantity::kTextUnit) rec->unit = vib.unit.unit;
  rec->value = kNaN;
  uint8_t code = rec->dif & 0x0F;
  bool dated = vib.comb.date_of || vib.unit.kind == ValueKind::kDate ||
               vib.unit.kind == ValueKind::kDateTime;
  if (dated) {
    rec->unit.clear();
    if (code == 0x2 || code == 0x4 || code == 0x6) DecodeTime(le, rec);
    else rec->coding = code == 0 || code == 8 ? MbusCoding::kNone : MbusCoding::kRaw;
    return;
  }
  switch (code) {
    case 0x0: case 0x8: rec->coding = MbusCoding::kNone; return;
    case 0x5: DecodeReal(le, vib, rec); return;
    case 0x9: case 0xA: case 0xB: case 0xC: case 0xE: DecodeBcdField(le, false, vib, rec); return;
    case 0xD: DecodeLvar(le, static_cast<uint8_t>(lvar), vib, rec); return;
    default: DecodeInt(le, vib, rec); return;
  }
}

Status ReadRecord(RecordReader* r, MbusRecord* rec) {
  rec->offset = r->base + r->start;
  HEAT_TRY(ReadDib(r, rec));
  Vib vib;
  HEAT_TRY(ReadVib(r, rec, &vib));
  int lvar = -1;
  std::vector<uint8_t> le;
  HEAT_TRY(ReadData(r, rec, &lvar, &le));
  DecodeValue(le, lvar, vib, rec);
  return Status::Ok();
}

// Records until the end of the frame or a 0x0F / 0x1F manufacturer block.
Status ReadRecords(std::span<const uint8_t> body, size_t base, bool msb_first, MbusFrame* f) {
  RecordReader r{body, base, msb_first, 0, 0, 0};
  while (r.pos < body.size()) {
    uint8_t dif = body[r.pos];
    if (dif == 0x2F) {  // idle filler
      ++r.pos;
      continue;
    }
    if (dif == 0x0F || dif == 0x1F) {  // manufacturer data up to the checksum
      f->more_records_follow = dif == 0x1F;
      f->manufacturer_data.assign(body.begin() + r.pos + 1, body.end());
      return Status::Ok();
    }
    r.start = r.pos;
    ++r.index;
    if ((dif & 0x0F) == 0x0F) return r.Error("DIF " + Hex(dif) + " is a reserved special function");
    MbusRecord rec;
    HEAT_TRY(ReadRecord(&r, &rec));
    f->records.push_back(std::move(rec));
  }
  return Status::Ok();
}

// ---- Frames ----

Status FrameError(size_t at, const std::string& what) {
  return Status::Usage("mbus: frame at byte " + Num(at) + ": " + what);
}

// Checks `68 L L 68 ... CS 16` at o; returns L.
Result<size_t> CheckFrame(std::span<const uint8_t> b, size_t o) {
  size_t left = b.size() - o;
  if (left < 4) return FrameError(o, "truncated header: 68 L L 68 needs 4 bytes, " + Num(left) + " left");
  if (b[o + 3] != kStart)
    return FrameError(o, "byte " + Num(o + 3) + " is " + Hex(b[o + 3]) + ", expected 0x68 (68 L L 68)");
  if (b[o + 1] != b[o + 2])
    return FrameError(o, "length bytes differ: " + Hex(b[o + 1]) + " at byte " + Num(o + 1) + ", " +
                             Hex(b[o + 2]) + " at byte " + Num(o + 2));
  size_t l = b[o + 1];
  if (l < 3) return FrameError(o, "L=" + Num(l) + " is less than 3 (C, A and CI)");
  if (left < l + 6)
    return FrameError(o, "frame of " + Num(l + 6) + " bytes (L=" + Num(l) +
                             ") runs past the end of the buffer (" + Num(left) + " bytes left)");
  if (b[o + l + 5] != kStop)
    return FrameError(o, "stop byte at byte " + Num(o + l + 5) + " is " + Hex(b[o + l + 5]) +
                             ", expected 0x16");
  uint8_t sum = 0;
  for (size_t i = o + 4; i < o + 4 + l; ++i) sum = static_cast<uint8_t>(sum + b[i]);
  if (sum != b[o + l + 4])
    return FrameError(o, "checksum " + Hex(b[o + l + 4]) + " at byte " + Num(o + l + 4) +
                             " does not match the sum " + Hex(sum) + " of bytes " + Num(o + 4) + ".." +
                             Num(o + l + 3));
  return l;
}

// CI 0x72 / 0x76: ID, manufacturer, version, medium, access no, status,
// signature; h is 12 bytes.
void ReadLongHeader(std::span<const uint8_t> h, bool msb_first, MbusFrame* f) {
  std::vector<uint8_t> id(h.begin(), h.begin() + 4);
  if (msb_first) std::reverse(id.begin(), id.end());
  f->id = NibbleString(id);
  f->manufacturer_code = msb_first ? uint16_t(h[4] << 8 | h[5]) : uint16_t(h[5] << 8 | h[4]);
  f->manufacturer = Letters(f->manufacturer_code);
  f->version = h[6];
  f->medium = h[7];
  f->access_no = h[8];
  f->status = h[9];
  f->signature = msb_first ? uint16_t(h[10] << 8 | h[11]) : uint16_t(h[11] << 8 | h[10]);
  f->has_identity = true;
}

// Header bytes after a variable-data CI; -1 for any other CI.
int HeaderLength(uint8_t ci) {
  switch (ci) {
    case 0x72: case 0x76: return 12;
    case 0x7A: return 4;
    case 0x78: return 0;
    default: return -1;
  }
}

// Reads the header the CI announces; returns its length.
Result<size_t> ReadHeader(std::span<const uint8_t> data, size_t at, MbusFrame* f) {
  int need = HeaderLength(f->ci);
  if (need < 0)
    return FrameError(f->offset, "CI " + Hex(f->ci) + " at byte " + Num(at - 1) +
                                     " is not variable data (expected 0x72, 0x76, 0x78 or 0x7A)");
  if (data.size() < static_cast<size_t>(need))
    return FrameError(f->offset, "CI " + Hex(f->ci) + " needs a " + Num(need) +
                                     "-byte header, the frame has " + Num(data.size()) + " data bytes");
  if (need == 12) ReadLongHeader(data.first(12), f->ci == 0x76, f);
  if (need == 4) {  // short header: no identity, little-endian signature
    f->access_no = data[0];
    f->status = data[1];
    f->signature = uint16_t(data[3] << 8 | data[2]);
  }
  return static_cast<size_t>(need);
}

// Decodes the frame at o (b[o] == 0x68); returns the offset after it.
Result<size_t> DecodeFrame(std::span<const uint8_t> b, size_t o, MbusFrame* f) {
  HEAT_ASSIGN(size_t l, CheckFrame(b, o));
  f->offset = o;
  f->c = b[o + 4];
  f->a = b[o + 5];
  f->ci = b[o + 6];
  std::span<const uint8_t> data = b.subspan(o + 7, l - 3);
  HEAT_ASSIGN(size_t header, ReadHeader(data, o + 7, f));
  HEAT_TRY(ReadRecords(data.subspan(header), o + 7 + header, f->ci == 0x76, f));
  return o + l + 6;
}

// A short frame 10 C A CS 16 (an echoed REQ_UD2, say) may hold a 0x68.
bool IsShortFrame(std::span<const uint8_t> b, size_t i) {
  return b.size() - i >= 5 && b[i] == 0x10 && b[i + 4] == kStop &&
         static_cast<uint8_t>(b[i + 1] + b[i + 2]) == b[i + 3];
}

}  // namespace

Result<std::vector<MbusFrame>> DecodeMbus(std::span<const uint8_t> bytes) {
  std::vector<MbusFrame> frames;
  size_t i = 0;
  while (i < bytes.size()) {
    if (IsShortFrame(bytes, i)) {
      i += 5;
    } else if (bytes[i] != kStart) {
      ++i;  // preamble, ACK or noise
    } else {
      MbusFrame f;
      HEAT_ASSIGN(i, DecodeFrame(bytes, i, &f));
      frames.push_back(std::move(f));
    }
  }
  if (frames.empty())
    return Status::Usage("mbus: no long frame (68 L L 68) in " + Num(bytes.size()) + " bytes");
  return frames;
}

bool LooksLikeMbus(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size() && (bytes[i] == 0xFE || bytes[i] == 0xE5)) ++i;  // preambles, ACKs
  std::span<const uint8_t> b = bytes.subspan(i);
  if (b.size() < 4 || b[0] != kStart || b[3] != kStart || b[1] != b[2] || b[1] < 3) return false;
  size_t l = b[1];
  return b.size() >= l + 6 && b[l + 5] == kStop;
}

}  // namespace heat::proto
