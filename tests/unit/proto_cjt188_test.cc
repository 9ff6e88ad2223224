// CJ/T 188-2004 heat-meter frames (DEV-2): the 901F reply's fields and
// units, preambles, several frames per payload, and every way a frame can
// be wrong. Frames are built here byte by byte with their checksum.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "heat/proto/cjt188.h"

namespace heat::proto {
namespace {

using Bytes = std::vector<uint8_t>;

std::string Hex(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v & 0xFFu);
  return buf;
}

// v as n BCD bytes, low byte first.
Bytes Bcd(uint64_t v, int n) {
  Bytes b;
  for (int i = 0; i < n; ++i, v /= 100) b.push_back(static_cast<uint8_t>((v % 100 / 10) << 4 | v % 10));
  return b;
}

// The 43 data bytes of a 901F reply; defaults are a plausible meter.
struct Body {
  uint64_t settled = 1234567, heat = 2345678, power = 1250, flow = 12345, volume = 987654;
  uint8_t settled_unit = 0x05, heat_unit = 0x05, power_unit = 0x17, flow_unit = 0x35, volume_unit = 0x2C;
  uint64_t supply = 5512, ret = 4034, hours = 12345;
  Bytes clock = {0x45, 0x30, 0x10, 0x15, 0x01, 0x24, 0x20};  // 2024-01-15 10:30:45
  uint16_t status = 0;

  Bytes Data() const {
    Bytes d;
    auto add = [&d](const Bytes& b) { d.insert(d.end(), b.begin(), b.end()); };
    add(Bcd(settled, 4)), d.push_back(settled_unit);
    add(Bcd(heat, 4)), d.push_back(heat_unit);
    add(Bcd(power, 4)), d.push_back(power_unit);
    add(Bcd(flow, 4)), d.push_back(flow_unit);
    add(Bcd(volume, 4)), d.push_back(volume_unit);
    add(Bcd(supply, 3)), add(Bcd(ret, 3)), add(Bcd(hours, 3)), add(clock);
    d.push_back(static_cast<uint8_t>(status)), d.push_back(static_cast<uint8_t>(status >> 8));
    return d;
  }
};

// 68 T A0..A6 C L DI0 DI1 SER data CS 16.
struct FrameSpec {
  uint8_t type = 0x20, control = 0x81, di0 = 0x1F, di1 = 0x90, ser = 0x07;
  Bytes addr = {0x44, 0x33, 0x22, 0x11, 0x00, 0x33, 0x78};  // A0 first
  Bytes data = Body().Data();

  Bytes Build() const {
    Bytes f = {0x68, type};
    f.insert(f.end(), addr.begin(), addr.end());
    f.push_back(control), f.push_back(static_cast<uint8_t>(data.size() + 3));
    f.push_back(di0), f.push_back(di1), f.push_back(ser);
    f.insert(f.end(), data.begin(), data.end());
    unsigned cs = 0;
    for (uint8_t b : f) cs += b;
    f.push_back(static_cast<uint8_t>(cs)), f.push_back(0x16);
    return f;
  }
};

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kFE2 = {0xFE, 0xFE};

Cjt188Reading DecodeOne(const Bytes& b) {
  auto r = DecodeCjt188(b);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->size() != 1) return {};
  return r->front();
}

std::string Error(const Bytes& b) {
  auto r = DecodeCjt188(b);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Code::kUsage);
  return r.status().message();
}

TEST(Cjt188Test, FullReplyDecodesEveryField) {
  Cjt188Reading r = DecodeOne(FrameSpec().Build());
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.address, "78330011223344");
  EXPECT_EQ(r.meter_type, 0x20);
  EXPECT_EQ(r.di, 0x901F);
  EXPECT_EQ(r.ser, 0x07);
  EXPECT_DOUBLE_EQ(r.settlement_heat_kwh, 12345.67);
  EXPECT_DOUBLE_EQ(r.heat_kwh, 23456.78);
  EXPECT_DOUBLE_EQ(r.heat_gj, 84.444408);  // 23456.78 kWh × 0.0036
  EXPECT_EQ(r.heat_unit, 0x05);
  EXPECT_DOUBLE_EQ(r.power_kw, 12.5);
  EXPECT_DOUBLE_EQ(r.flow_m3h, 1.2345);
  EXPECT_DOUBLE_EQ(r.volume_m3, 9876.54);
  EXPECT_DOUBLE_EQ(r.supply_c, 55.12);
  EXPECT_DOUBLE_EQ(r.return_c, 40.34);
  EXPECT_EQ(r.hours, 12345u);
  EXPECT_TRUE(r.clock.valid);
  EXPECT_EQ(r.clock.year, 2024);
  EXPECT_EQ(r.clock.month, 1);
  EXPECT_EQ(r.clock.day, 15);
  EXPECT_EQ(r.clock.hour, 10);
  EXPECT_EQ(r.clock.minute, 30);
  EXPECT_EQ(r.clock.second, 45);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.valve, Cjt188Valve::kOpen);
  EXPECT_FALSE(r.battery_low);
  EXPECT_FALSE(r.fault);
}

TEST(Cjt188Test, MegawattHoursAreConvertedExactly) {
  FrameSpec f;
  Body b;
  b.heat_unit = 0x08;  // 12345.67 MWh
  b.heat = 1234567;
  f.data = b.Data();
  Cjt188Reading r = DecodeOne(f.Build());
  EXPECT_DOUBLE_EQ(r.heat_kwh, 12345670.0);
  EXPECT_DOUBLE_EQ(r.heat_gj, 44444.412);
  EXPECT_EQ(r.heat_unit, 0x08);
}

TEST(Cjt188Test, EveryUnitCode) {
  struct Case {
    uint8_t code;
    double factor;  // one unit in kWh, kW, m³ or m³/h
  };
  const Case energy[] = {{0x02, 1e-3}, {0x05, 1},         {0x08, 1e3},      {0x0A, 1e5},      {0x01, 1 / 3.6e6},
                         {0x0B, 1 / 3600.0}, {0x0E, 1 / 3.6}, {0x11, 1e3 / 3.6}, {0x13, 1e5 / 3.6}};
  for (const Case& c : energy) {
    FrameSpec f;
    Body b;
    b.heat_unit = b.settled_unit = c.code;
    f.data = b.Data();
    Cjt188Reading r = DecodeOne(f.Build());
    EXPECT_NEAR(r.heat_kwh, 23456.78 * c.factor, 23456.78 * c.factor * 1e-12) << Hex(c.code);
    EXPECT_NEAR(r.settlement_heat_kwh, 12345.67 * c.factor, 12345.67 * c.factor * 1e-12) << Hex(c.code);
    EXPECT_NEAR(r.heat_gj, r.heat_kwh * 0.0036, r.heat_gj * 1e-12) << Hex(c.code);
  }
  const Case power[] = {{0x14, 1e-3}, {0x17, 1}, {0x1A, 1e3}};
  for (const Case& c : power) {
    FrameSpec f;
    Body b;
    b.power_unit = c.code;
    f.data = b.Data();
    EXPECT_DOUBLE_EQ(DecodeOne(f.Build()).power_kw, 12.5 * c.factor) << Hex(c.code);
  }
  const Case volume[] = {{0x29, 1e-3}, {0x2C, 1}}, flow[] = {{0x32, 1e-3}, {0x35, 1}};
  for (int i = 0; i < 2; ++i) {
    FrameSpec f;
    Body b;
    b.volume_unit = volume[i].code, b.flow_unit = flow[i].code;
    f.data = b.Data();
    Cjt188Reading r = DecodeOne(f.Build());
    EXPECT_DOUBLE_EQ(r.volume_m3, 9876.54 * volume[i].factor);
    EXPECT_DOUBLE_EQ(r.flow_m3h, 1.2345 * flow[i].factor);
  }
  // In GJ the GJ meter's figure is taken as is, not via kWh.
  FrameSpec f;
  Body b;
  b.heat_unit = 0x11;
  f.data = b.Data();
  EXPECT_DOUBLE_EQ(DecodeOne(f.Build()).heat_gj, 23456.78);
}

TEST(Cjt188Test, UnknownOrWrongKindOfUnit) {
  FrameSpec f;
  Body b;
  b.settled_unit = 0x03;
  f.data = b.Data();
  EXPECT_EQ(Error(f.Build()), "cjt188: settlement heat: unknown unit code 0x03 at byte 18 (frame at byte 0)");
  b = Body();
  b.power_unit = 0x05;  // kWh where kW belongs
  f.data = b.Data();
  EXPECT_EQ(Error(f.Build()), "cjt188: heat power: unit 0x05 (kWh) at byte 28 is not a power unit (frame at byte 0)");
}

TEST(Cjt188Test, PreambleBytesAreSkipped) {
  Cjt188Reading r = DecodeOne(Cat({{0xFE, 0xFE, 0xFE, 0xFE}, FrameSpec().Build(), kFE2}));
  EXPECT_EQ(r.offset, 4u);
  EXPECT_DOUBLE_EQ(r.heat_kwh, 23456.78);
}

TEST(Cjt188Test, TwoFramesInOneBuffer) {
  FrameSpec a, b;
  b.addr = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  b.type = 0x21;
  Body body;
  body.heat = 42;
  b.data = body.Data();
  Bytes fa = a.Build();
  auto r = DecodeCjt188(Cat({kFE2, fa, kFE2, b.Build()}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].address, "78330011223344");
  EXPECT_EQ((*r)[0].offset, 2u);
  EXPECT_EQ((*r)[1].address, "00000000000001");
  EXPECT_EQ((*r)[1].meter_type, 0x21);
  EXPECT_EQ((*r)[1].offset, 2 + fa.size() + 2);
  EXPECT_DOUBLE_EQ((*r)[1].heat_kwh, 0.42);
}

// All or nothing: one bad frame fails the payload, and says which one.
TEST(Cjt188Test, OneGoodOneBadFrameFailsTheWholePayload) {
  Bytes good = FrameSpec().Build(), bad = FrameSpec().Build();
  bad[bad.size() - 2] ^= 0xFF;
  std::string msg = Error(Cat({good, kFE2, bad}));
  EXPECT_NE(msg.find("checksum"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(frame at byte " + std::to_string(good.size() + 2) + ")"), std::string::npos) << msg;
  EXPECT_NE(Error(Cat({good, {0x00}})).find("expected frame start 0x68 at byte 59, found 0x00"), std::string::npos);
}

TEST(Cjt188Test, WrongChecksum) {
  Bytes f = Cat({kFE2, FrameSpec().Build()});
  uint8_t right = f[f.size() - 2];
  f[f.size() - 2] = static_cast<uint8_t>(right + 1);
  EXPECT_EQ(Error(f), "cjt188: checksum " + Hex(right + 1u) + ", computed " + Hex(right) + " (frame at byte 2)");
}

TEST(Cjt188Test, TruncatedAtEveryLength) {
  Bytes f = Cat({kFE2, FrameSpec().Build()});
  for (size_t n = 0; n < f.size(); ++n) {
    auto r = DecodeCjt188(std::span<const uint8_t>(f.data(), n));
    EXPECT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), Code::kUsage) << n;
  }
  EXPECT_EQ(Error({}), "cjt188: no frame in 0-byte payload");
  EXPECT_EQ(Error(Bytes(f.begin(), f.begin() + 8)), "cjt188: truncated header: 6 of 11 bytes (frame at byte 2)");
  EXPECT_EQ(Error(Bytes(f.begin(), f.end() - 1)),
            "cjt188: truncated frame: L=46 needs 59 bytes, have 58 (frame at byte 2)");
}

TEST(Cjt188Test, NonBcdNibble) {
  FrameSpec f;
  Body b;
  b.supply = 0;
  f.data = b.Data();
  f.data[25] = 0x3A;  // supply temperature, low byte (frame offset 39)
  EXPECT_EQ(Error(f.Build()), "cjt188: supply temperature: 0x3A at byte 39 is not BCD (frame at byte 0)");
  f.data = Body().Data();
  f.data[8] = 0xA1;  // current heat, top byte
  EXPECT_NE(Error(f.Build()).find("current heat: 0xA1 at byte 22 is not BCD"), std::string::npos);
  f.data = Body().Data();
  f.data[34] = 0x1F;  // clock: seconds
  EXPECT_NE(Error(f.Build()).find("clock: 0x1F at byte 48 is not BCD"), std::string::npos);
  f.data = Body().Data();
  f.data[27] = 0x80;  // supply temperature's top byte: BCD 80, no sign bit
  EXPECT_DOUBLE_EQ(DecodeOne(f.Build()).supply_c, 8055.12);  // 80 55.12, not -55.12
}

TEST(Cjt188Test, BadEndByte) {
  Bytes f = FrameSpec().Build();
  f.back() = 0x17;
  EXPECT_EQ(Error(f), "cjt188: missing end byte 0x16 at byte 58, found 0x17 (frame at byte 0)");
}

TEST(Cjt188Test, WaterMeterIsRejected) {
  FrameSpec f;
  f.type = 0x10;
  Bytes b = f.Build();
  EXPECT_EQ(Error(b), "cjt188: meter type 0x10 is not a heat meter (0x20..0x29) (frame at byte 0)");
  EXPECT_TRUE(LooksLikeCjt188(b));  // so that this error, not M-Bus's, is what the meter hears
  f.type = 0x2A;
  EXPECT_NE(Error(f.Build()).find("meter type 0x2A"), std::string::npos);
}

TEST(Cjt188Test, ControlCodes) {
  FrameSpec f;
  f.control = 0x01;
  EXPECT_NE(Error(f.Build()).find("control 0x01 is a request"), std::string::npos);
  f.control = 0xC1;
  EXPECT_NE(Error(f.Build()).find("abnormal reply (control 0xC1)"), std::string::npos);
  f.control = 0x84;
  EXPECT_NE(Error(f.Build()).find("control 0x84 is not a read-data reply"), std::string::npos);
}

TEST(Cjt188Test, DataIdentifierAndLength) {
  FrameSpec f;
  f.di0 = 0x90, f.di1 = 0x1F;  // the 2004 text's order
  EXPECT_EQ(DecodeOne(f.Build()).di, 0x901F);
  f.di0 = 0x20, f.di1 = 0xD1;
  EXPECT_NE(Error(f.Build()).find("DI 0x20 0xD1 is not 901F"), std::string::npos);
  f = FrameSpec();
  f.data.push_back(0x00);
  EXPECT_NE(Error(f.Build()).find("data length L=47"), std::string::npos);
  f.data.clear();
  EXPECT_NE(Error(f.Build()).find("data length L=3"), std::string::npos);
}

TEST(Cjt188Test, StatusBits) {
  auto with = [](uint16_t st) {
    FrameSpec f;
    Body b;
    b.status = st;
    f.data = b.Data();
    return DecodeOne(f.Build());
  };
  Cjt188Reading r = with(0x0004);
  EXPECT_TRUE(r.battery_low);
  EXPECT_FALSE(r.fault);
  EXPECT_EQ(r.status, 0x0004);
  r = with(0x0001);
  EXPECT_EQ(r.valve, Cjt188Valve::kClosed);
  EXPECT_FALSE(r.fault);
  r = with(0x0003);
  EXPECT_EQ(r.valve, Cjt188Valve::kAbnormal);
  EXPECT_TRUE(r.fault);
  EXPECT_FALSE(r.battery_low);
  r = with(0x0008);  // a fault bit of the first ST byte
  EXPECT_TRUE(r.fault);
  r = with(0x0500);  // the manufacturer's second ST byte: kept raw, no fault
  EXPECT_FALSE(r.fault);
  EXPECT_FALSE(r.battery_low);
  EXPECT_EQ(r.status, 0x0500);
}

TEST(Cjt188Test, ClockOutOfRangeIsInvalidNotAnError) {
  auto clock = [](Bytes c) {
    FrameSpec f;
    Body b;
    b.clock = std::move(c);
    f.data = b.Data();
    return DecodeOne(f.Build()).clock;
  };
  EXPECT_TRUE(clock({0x00, 0x00, 0x00, 0x29, 0x02, 0x24, 0x20}).valid);   // 2024-02-29
  EXPECT_FALSE(clock({0x00, 0x00, 0x00, 0x29, 0x02, 0x23, 0x20}).valid);  // 2023-02-29
  EXPECT_FALSE(clock({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}).valid);  // never set
  EXPECT_FALSE(clock({0x00, 0x60, 0x00, 0x01, 0x01, 0x24, 0x20}).valid);  // minute 60
  EXPECT_FALSE(clock({0x20, 0x14, 0x03, 0x18, 0x12, 0x56, 0x59}).valid);  // sent high byte first
}

// A capture from a JY meter (CJ/T-188 冷热量表协议解析2): DI sent 90 1F and
// each unit byte before its value. The checksum is right; the unit is not.
TEST(Cjt188Test, UnitFirstVariantFailsClearly) {
  const Bytes jy = {0xFE, 0xFE, 0xFE, 0xFE, 0x68, 0x20, 0x32, 0x41, 0x31, 0x40, 0x00, 0x00, 0x00, 0x81, 0x2E,
                    0x90, 0x1F, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x17, 0x00,
                    0x00, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x34, 0x10, 0x00, 0x00, 0x35, 0x25,
                    0x00, 0x66, 0x25, 0x00, 0x00, 0x00, 0x00, 0x53, 0x00, 0x12, 0x10, 0x07, 0x15, 0x20, 0x00,
                    0x00, 0x31, 0x16};
  EXPECT_TRUE(LooksLikeCjt188(jy));
  EXPECT_EQ(Error(jy), "cjt188: settlement heat: unknown unit code 0x00 at byte 22 (frame at byte 4)");
}

TEST(Cjt188Test, AddressDigitsArePrintedInHex) {
  FrameSpec f;
  f.addr = {0x01, 0x00, 0xEE, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(DecodeOne(f.Build()).address, "00000000EE0001");
}

TEST(Cjt188Test, SniffTellsCjt188FromMbus) {
  Bytes cjt = Cat({kFE2, FrameSpec().Build()});
  EXPECT_TRUE(LooksLikeCjt188(cjt));
  EXPECT_TRUE(LooksLikeCjt188(Bytes(cjt.begin(), cjt.begin() + 20)));  // truncated, still CJ/T 188
  // M-Bus long frame: 68 L L 68 C A CI ... CS 16.
  Bytes mbus = {0x68, 0x1F, 0x1F, 0x68, 0x08, 0x01, 0x72};
  mbus.resize(4 + 0x1F, 0x00);
  unsigned cs = 0;
  for (size_t i = 4; i < mbus.size(); ++i) cs += mbus[i];
  mbus.push_back(static_cast<uint8_t>(cs)), mbus.push_back(0x16);
  EXPECT_FALSE(LooksLikeCjt188(mbus));
  EXPECT_FALSE(LooksLikeCjt188(Bytes{0xE5}));                          // M-Bus ack
  EXPECT_FALSE(LooksLikeCjt188(Bytes{0x10, 0x5B, 0x01, 0x5C, 0x16}));  // M-Bus short frame
  EXPECT_FALSE(LooksLikeCjt188(Bytes{}));
  EXPECT_FALSE(LooksLikeCjt188(kFE2));
}

}  // namespace
}  // namespace heat::proto
