// The mapping step of heat meters (DEV-2): real frames (mbus_frames.h says
// where each is published) decoded and mapped to the tags, values and
// qualities that are stored, as heatd-ingest stores them. Expected values
// are worked out by hand from the bytes quoted next to each check.
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <string>
#include <vector>

#include "heat/ingest/meter.h"
#include "heat/ingest/meter_map.h"
#include "heat/proto/cjt188.h"
#include "heat/proto/mbus.h"
#include "mbus_frames.h"

namespace heat::ingest {
namespace {

using namespace testdata;  // NOLINT: frames and frame builders

proto::MbusFrame DecodeOne(const Bytes& b) {
  auto r = proto::DecodeMbus(b);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->size() != 1) return {};
  return r->front();
}

std::vector<MeterValue> MapMbus(const char* hex, const TagUnits& units = {}) {
  return MapMbusFrame(DecodeOne(FromHex(hex)), units);
}

std::vector<MeterValue> MapCjt(const char* hex, const TagUnits& units = {}) {
  auto r = proto::DecodeCjt188(FromHex(hex));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() && r->size() == 1 ? MapCjt188(r->front(), units) : std::vector<MeterValue>{};
}

// The shortest text that reads back as x: 134.4636 shows as that only if
// it is the double nearest 134.4636.
std::string Shortest(double x) {
  char num[64];
  auto r = std::to_chars(num, num + sizeof num, x);
  return std::string(num, r.ptr);
}

// "tag=value/quality" for every stored value, in order: one string shows
// every tag, what it holds and how good it is.
std::string Stored(const std::vector<MeterValue>& values) {
  std::string s;
  for (const MeterValue& v : values) {
    s += (s.empty() ? "" : " ") + v.tag + "=" + Shortest(v.value) + "/" + std::to_string(v.quality);
  }
  return s;
}

const MeterValue* Find(const std::vector<MeterValue>& values, const std::string& tag) {
  for (const MeterValue& v : values)
    if (v.tag == tag) return &v;
  return nullptr;
}

// A 32-bit real widened to double and divided by div, as the decoder
// scales it, printed as Stored prints it.
std::string Float(uint32_t bits, double div = 1) {
  return Shortest(static_cast<double>(std::bit_cast<float>(bits)) / div);
}

// ---- M-Bus ----

TEST(MeterMapTest, KamstrupMultical601StoresHeatInGjExactlyAndOnTimeAsHours) {
  // 04 06 E7 91 00 00: 37351 kWh = 134.4636 GJ, not 134.46359999999999;
  // 04 22 D9 03 00 00: on time 985 h; 14 2D (maximum) and the tariff,
  // subunit and storage-1 records are not current values.
  auto v = MapMbus(kKamstrup601);
  EXPECT_EQ(Stored(v),
            "status=0/0 heat=134.4636/0 volume=561.08/0 hours=985/0 t_sup=101.69/0 t_ret=46.16/0 "
            "power=34.7/0 flow=0.543/0");
  EXPECT_EQ(Find(v, "heat")->value, 134.4636);
  EXPECT_EQ(Find(v, "heat")->unit, "GJ");
}

TEST(MeterMapTest, KamstrupMultical601HeatInTheUnitThePointDeclares) {
  auto heat = [](const std::string& unit) {
    auto values = MapMbus(kKamstrup601, {{"heat", unit}});
    const MeterValue* v = Find(values, "heat");
    return v ? v->value : -1;
  };
  EXPECT_EQ(heat("kWh"), 37351);
  EXPECT_EQ(heat("MWh"), 37.351);
  EXPECT_EQ(heat("MJ"), 134463.6);
  EXPECT_EQ(heat("Wh"), 37351000);
  EXPECT_EQ(heat("GJ"), 134.4636);
  EXPECT_EQ(heat(""), 134.4636);  // no unit: GJ, as heat.meter_month counts
  EXPECT_EQ(heat("m³"), -1);      // not an energy unit: nothing stored
}

TEST(MeterMapTest, KamstrupMultical601WithPermanentErrorIsStoredAsBad) {
  // The real frame with its status byte (byte 16) set to 0x08, "permanent
  // error", and the checksum made right again.
  Bytes b = FromHex(kKamstrup601);
  b[16] = 0x08;
  b[b.size() - 2] = static_cast<uint8_t>(b[b.size() - 2] + 0x08);
  auto v = MapMbusFrame(DecodeOne(b), {});
  EXPECT_EQ(Find(v, "status")->value, 8);
  EXPECT_EQ(Find(v, "status")->quality, 0);
  for (const char* tag : {"heat", "volume", "hours", "t_sup", "t_ret", "power", "flow"})
    EXPECT_EQ(Find(v, tag)->quality, kQualityFault) << tag;
}

TEST(MeterMapTest, KamstrupMultical403SkipsManufacturerRecords) {
  // 04 A5 FF 21 C7 D0 27 00: operating time in minutes, but VIFE FF makes
  // it the manufacturer's: not 43489 hours. 04 FF 07 / FF 08 / FF 22: the
  // manufacturer's VIF. 04 06 CE 86 00 00: 34510 kWh, on a kWh point.
  auto f = DecodeOne(FromHex(kKamstrup403));
  ASSERT_EQ(f.records.size(), 9u);
  auto v = MapMbusFrame(f, {{"heat", "kWh"}});
  EXPECT_EQ(Stored(v),
            "status=0/0 heat=34510/0 volume=2232.49/0 flow=0.527/0 t_sup=64.6/0 t_ret=45.16/0");
  EXPECT_EQ(Find(v, "hours"), nullptr);
  std::string why;
  EXPECT_EQ(MbusRecordTag(f.records[8], &why), "");
  EXPECT_EQ(why, "manufacturer-specific");
  EXPECT_EQ(MbusRecordTag(f.records[1], &why), "");
  EXPECT_EQ(why, "manufacturer-specific");
}

TEST(MeterMapTest, SensusPolluStatETemporaryErrorMarksEveryValueAWarning) {
  // Header status 0x10: temporary error. 02 5A C9 00: 20.1 °C;
  // 02 5E CA 00: 20.2 °C; energy, volume, flow and power are 0.
  auto v = MapMbus(kPolluStatE);
  EXPECT_EQ(Stored(v),
            "status=16/0 heat=0/8 volume=0/8 flow=0/8 power=0/8 t_sup=20.1/8 t_ret=20.2/8");
}

TEST(MeterMapTest, LandisGyrT230StoresErrorHoursApart) {
  // 3C 22 69 37 00 00: on time during the error state, 3769 h, goes to
  // error_hours; 0C 22 69 37 00 00 is the on time, 3769 h; 0C 26 (operating
  // time, 0 h) comes later, so hours keeps the first. Status 0x10: warning.
  auto v = MapMbus(kLandisUltraheatT230);
  EXPECT_EQ(Stored(v),
            "status=16/0 heat=0/8 volume=0/8 power=0/8 flow=0/8 t_sup=19.5/8 t_ret=19.7/8 "
            "error_hours=3769/8 hours=3769/8");
}

TEST(MeterMapTest, EngelmannSensoStar2cOperatingTimeInDaysIsHours) {
  // 02 27 FA 01: 506 days = 12144 h. 01 FD 17 00: error flags 0.
  auto v = MapMbus(kSensoStar2c);
  EXPECT_EQ(Find(v, "hours")->value, 12144);
  EXPECT_EQ(Find(v, "error_flags")->value, 0);
  EXPECT_EQ(Find(v, "heat")->value, 2.88);  // 04 FB 00 08: 800 kWh
}

TEST(MeterMapTest, EngelmannSensoStarWithAlarmAndPowerLowIsBad) {
  // Status 0x27: bits 0-1 = 11 (alarm), bit 2 power low, bit 5 the
  // manufacturer's. 04 06 A0 21 00 00: 8608 kWh = 30.9888 GJ;
  // 02 23 81 0C: on time 3201 days = 76824 h; 01 FD 17 00: no error flags.
  auto v = MapMbus(kSensoStarPowerLow);
  EXPECT_EQ(Stored(v),
            "status=39/0 volume=841.6/12 heat=30.9888/12 flow=0/12 power=0/12 t_sup=24/12 "
            "t_ret=23/12 hours=76824/12 error_flags=0/0");
  EXPECT_EQ(Find(v, "heat")->value, 30.9888);
}

TEST(MeterMapTest, EdcHeatCoolingMeterStoresHeatAndCoolingApart) {
  // 84 00 86 3B 23 00 00 00: 35 kWh, VIFE 3B (only positive): heat;
  // 84 00 86 3C D1 01 00 00: 465 kWh, VIFE 3C (only negative): cooling.
  // DIFE 40 (subunit 1) and 95 (maximum) records are not current values;
  // 85 00 5B / 5F / 3B / 2B: 32-bit reals.
  auto v = MapMbus(kEdcHeatCooling);
  EXPECT_EQ(Stored(v), "status=0/0 heat=0.126/0 cooling=1.674/0 t_sup=" + Float(0x41AC4B2B) +
                           "/0 t_ret=" + Float(0x41ACD720) + "/0 flow=" + Float(0x3F350084, 1000) +
                           "/0 power=0/0");
  EXPECT_EQ(Find(v, "heat")->value, 0.126);
  EXPECT_EQ(Find(v, "cooling")->value, 1.674);
}

TEST(MeterMapTest, ErrorFlagsOtherThanZeroMarkEveryValueAFault) {
  // ID 12345678, KAM, status 0; 04 06: 5 kWh; 01 FD 17 04: error flags 4.
  Bytes b = LongFrame(0x72, FromHex("78 56 34 12 2D 2C 01 04 2A 00 00 00 04 06 05 00 00 00 01 FD 17 04"));
  auto v = MapMbusFrame(DecodeOne(b), {{"heat", "kWh"}});
  EXPECT_EQ(Stored(v), "status=0/0 heat=5/4 error_flags=4/0");
}

TEST(MeterMapTest, MegajouleRecordsAreRescaledExactly) {
  // 01 0E 24: 36 × 1 MJ = 10 kWh = 0.036 GJ exactly.
  Bytes b = LongFrame(0x72, FromHex("78 56 34 12 2D 2C 01 04 2A 00 00 00 01 0E 24"));
  EXPECT_EQ(Find(MapMbusFrame(DecodeOne(b), {{"heat", "kWh"}}), "heat")->value, 10);
  EXPECT_EQ(Find(MapMbusFrame(DecodeOne(b), {}), "heat")->value, 0.036);
}

TEST(MeterPayloadTest, KamstrupMultical601AfterAnAckAndPreamblesIsStored) {
  // A capture from the optical head often starts with the E5 that
  // acknowledged the previous request, and FE wake-up bytes.
  MeterIndex meters;
  meters["06855817"] = MeterInfo{7, {{"heat", 1}, {"status", 2}}, {{"heat", "kWh"}}};
  Bytes body = Cat(FromHex("E5 FE FE"), FromHex(kKamstrup601));
  auto p = DecodeMeterPayload(body, meters, 1'764'547'200);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->readings.size(), 2u);
  EXPECT_EQ(p->readings[0], (telemetry::Reading{2, 1'764'547'200'000, 0, 0}));
  EXPECT_EQ(p->readings[1], (telemetry::Reading{1, 1'764'547'200'000, 37351, 0}));
}

// ---- CJ/T 188 ----

TEST(MeterMapTest, Cjt188MeterWithManufacturerStatus0005IsGood) {
  // ST 00 05: the first byte (valve open, battery fine, no fault) is the
  // standard's; 05 in the second is the manufacturer's and no fault.
  // Heat 88 27 44 05 + 05: 54427.88 kWh = 195.940368 GJ.
  auto v = MapCjt(kCjt188Status0005);
  EXPECT_EQ(Stored(v),
            "heat=195.940368/0 volume=7156.08/0 power=0/0 flow=0/0 t_sup=26.79/0 t_ret=26.64/0 "
            "hours=74766/0 status=1280/0");
  EXPECT_EQ(Find(v, "heat")->value, 195.940368);
}

TEST(MeterMapTest, Cjt188MeterWithLowBatteryIsAWarning) {
  // ST 04 00: bit 2 of the first byte, battery low.
  auto v = MapCjt(kCjt188BatteryLow, {{"heat", "kWh"}});
  EXPECT_EQ(Stored(v),
            "heat=0/8 volume=0.19/8 power=0/8 flow=0/8 t_sup=30.76/8 t_ret=30.68/8 hours=273/8 "
            "status=4/0");
}

}  // namespace
}  // namespace heat::ingest
