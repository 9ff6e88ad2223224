// EN 13757-3 M-Bus long frames from heat meters (DEV-2): real frames from
// four meters, hand-built frames for every DIF/VIF corner, and malformed
// input that must be a Status, never a crash.
//
// The real frames are in mbus_frames.h, with where each is published. The
// expected values below were worked out by hand from the bytes (quoted
// next to each check), not copied from libmbus's XML output.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "heat/proto/mbus.h"
#include "mbus_frames.h"

namespace heat::proto {
namespace {

using namespace testdata;  // NOLINT: frames and frame builders

// ID 12345678, KAM, version 1, medium 4 (heat), access 0x2A, status 0.
const Bytes kHeader72 = FromHex("78 56 34 12 2D 2C 01 04 2A 00 00 00");

// A CI 0x72 frame: records start at byte 19.
Bytes Frame72(const std::string& records) { return LongFrame(0x72, Cat(kHeader72, FromHex(records))); }

std::vector<MbusFrame> DecodeOk(const Bytes& b) {
  auto r = DecodeMbus(b);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : std::vector<MbusFrame>{};
}

// The records of a buffer holding one frame.
std::vector<MbusRecord> Records(const Bytes& b) {
  auto frames = DecodeOk(b);
  EXPECT_EQ(frames.size(), 1u);
  return frames.empty() ? std::vector<MbusRecord>{} : frames[0].records;
}

std::string ErrorOf(const Bytes& b) {
  auto r = DecodeMbus(b);
  EXPECT_FALSE(r.ok());
  if (!r.ok()) {
    EXPECT_EQ(r.status().code(), Code::kUsage);
  }
  return r.ok() ? "" : r.status().message();
}

void ExpectNumber(const MbusRecord& r, MbusQuantity q, double value, const char* unit) {
  EXPECT_EQ(r.quantity, q) << MbusQuantityName(r.quantity);
  EXPECT_TRUE(r.valid);
  EXPECT_DOUBLE_EQ(r.value, value);
  EXPECT_EQ(r.unit, unit);
}

// ---- Real frames ----

TEST(MbusTest, KamstrupMultical601HeatMeter) {
  auto frames = DecodeOk(FromHex(kKamstrup601));
  ASSERT_EQ(frames.size(), 1u);
  const MbusFrame& f = frames[0];
  EXPECT_EQ(f.c, 0x08);
  EXPECT_EQ(f.a, 0x11);
  EXPECT_EQ(f.ci, 0x72);
  EXPECT_EQ(f.id, "06855817");          // 17 58 85 06, BCD low byte first
  EXPECT_EQ(f.manufacturer, "KAM");     // 0x2C2D: 01011 00001 01101
  EXPECT_EQ(f.version, 8);
  EXPECT_EQ(f.medium, 4);               // heat, outlet
  EXPECT_EQ(f.access_no, 4);
  EXPECT_EQ(f.status, 0);
  ASSERT_EQ(f.records.size(), 27u);
  const auto& r = f.records;
  EXPECT_EQ(r[0].quantity, MbusQuantity::kFabNo);                  // 0C 78 17 58 85 06
  EXPECT_EQ(r[0].text, "06855817");
  ExpectNumber(r[1], MbusQuantity::kEnergy, 37351, "kWh");          // 04 06 E7 91: 37351 × 1 kWh
  ExpectNumber(r[2], MbusQuantity::kVolume, 561.08, "m³");          // 04 14 2C DB: 56108 × 0.01 m³
  ExpectNumber(r[3], MbusQuantity::kOnTime, 985, "h");              // 04 22 D9 03: hours
  ExpectNumber(r[4], MbusQuantity::kFlowTemp, 101.69, "°C");        // 04 59 B9 27: 10169 × 0.01
  ExpectNumber(r[5], MbusQuantity::kReturnTemp, 46.16, "°C");       // 04 5D 08 12
  ExpectNumber(r[6], MbusQuantity::kTempDiff, 55.53, "K");          // 04 61 B1 15
  ExpectNumber(r[7], MbusQuantity::kPower, 34.7, "kW");             // 04 2D 5B 01: 347 × 100 W
  ExpectNumber(r[8], MbusQuantity::kPower, 44.8, "kW");             // 14 2D: maximum
  EXPECT_EQ(r[8].function, MbusFunction::kMaximum);
  ExpectNumber(r[9], MbusQuantity::kFlow, 0.543, "m³/h");           // 04 3B 1F 02: 543 l/h
  EXPECT_EQ(r[9].function, MbusFunction::kInstantaneous);
  // DIFEs: 84 10 tariff 1, 84 20 tariff 2, 84 40 subunit 1,
  // 84 80 40 subunit 2, 84 C0 40 subunit 3.
  EXPECT_EQ(r[11].tariff, 1u);
  EXPECT_EQ(r[12].tariff, 2u);
  EXPECT_EQ(r[13].subunit, 1u);
  EXPECT_EQ(r[14].subunit, 2u);
  EXPECT_EQ(r[15].subunit, 3u);
  EXPECT_EQ(r[15].quantity, MbusQuantity::kEnergy);
  // 04 6D 1A 2F 65 11: 26 min, 15 h (century bits 01), day 5, month 1, year 11.
  EXPECT_EQ(r[16].quantity, MbusQuantity::kDateTime);
  EXPECT_EQ(r[16].coding, MbusCoding::kDateTime);
  EXPECT_TRUE(r[16].valid);
  EXPECT_EQ(r[16].text, "2011-01-05T15:26");
  EXPECT_EQ(r[16].time.hour, 15);
  EXPECT_FALSE(r[16].time.summer);
  // Storage 1 (DIF bit 6): the values at the last due date.
  ExpectNumber(r[17], MbusQuantity::kEnergy, 33361, "kWh");         // 44 06 51 82
  EXPECT_EQ(r[17].storage, 1u);
  ExpectNumber(r[18], MbusQuantity::kVolume, 500.98, "m³");         // 44 14 B2 C3
  ExpectNumber(r[19], MbusQuantity::kPower, 55, "kW");              // 54 2D 26 02: max, storage 1
  EXPECT_EQ(r[19].function, MbusFunction::kMaximum);
  EXPECT_EQ(r[19].storage, 1u);
  // 42 6C 5F 1C: day 31, month 12, year 2 | 1 << 3 = 10.
  EXPECT_EQ(r[26].coding, MbusCoding::kDate);
  EXPECT_EQ(r[26].text, "2010-12-31");
  EXPECT_EQ(r[26].storage, 1u);
  // 0F and 57 bytes of Kamstrup data before the checksum.
  EXPECT_EQ(f.manufacturer_data.size(), 57u);
  EXPECT_FALSE(f.more_records_follow);
  for (const auto& rec : r) EXPECT_FALSE(rec.extended) << rec.offset;
}

TEST(MbusTest, LandisGyrUltraheatT230HeatMeterWithNegativeBcd) {
  auto frames = DecodeOk(FromHex(kLandisUltraheatT230));
  ASSERT_EQ(frames.size(), 1u);
  const MbusFrame& f = frames[0];
  EXPECT_EQ(f.id, "66660205");
  EXPECT_EQ(f.manufacturer, "LUG");  // 0x32A7
  EXPECT_EQ(f.status, 0x10);
  ASSERT_EQ(f.records.size(), 34u);
  const auto& r = f.records;
  ExpectNumber(r[0], MbusQuantity::kActualityDuration, 4, "s");   // 09 74 04
  ExpectNumber(r[6], MbusQuantity::kFlowTemp, 19.5, "°C");        // 0B 5A 95 01 00: BCD 000195
  ExpectNumber(r[7], MbusQuantity::kReturnTemp, 19.7, "°C");
  // 0B 62 02 00 F0: BCD F00002, F in the top nibble: -2 × 0.1 K.
  ExpectNumber(r[8], MbusQuantity::kTempDiff, -0.2, "K");
  EXPECT_EQ(r[8].raw, -2);
  EXPECT_EQ(r[8].coding, MbusCoding::kBcd);
  EXPECT_EQ(r[9].text, "66660205");                               // 0C 78: fabrication number
  // 89 10 71 07: tariff 1, averaging duration 7 minutes.
  ExpectNumber(r[10], MbusQuantity::kAveragingDuration, 420, "s");
  EXPECT_EQ(r[10].tariff, 1u);
  // 3C 22: function "value during error state", on time 3769 h.
  ExpectNumber(r[11], MbusQuantity::kOnTime, 3769, "h");
  EXPECT_EQ(r[11].function, MbusFunction::kError);
  // 9B 10 5A 07 03 00: maximum flow temperature 30.7 °C, tariff 1.
  ExpectNumber(r[17], MbusQuantity::kFlowTemp, 30.7, "°C");
  EXPECT_EQ(r[17].function, MbusFunction::kMaximum);
  // 94 10 DA 6F 32 14 7A 18: VIFE 6F "date of": when that maximum was.
  EXPECT_EQ(r[21].quantity, MbusQuantity::kFlowTemp);
  EXPECT_EQ(r[21].coding, MbusCoding::kDateTime);
  EXPECT_TRUE(r[21].extended);
  EXPECT_EQ(r[21].text, "2011-08-26T20:50");
  EXPECT_TRUE(std::isnan(r[21].value));
  // 94 10 AD 6F 00 00 00 00: no date yet, all zero, invalid.
  EXPECT_FALSE(r[19].valid);
  // 84 8F 0F 6D 00 00 E1 F1: two DIFEs of storage bits, 1111 and 1111:
  // 0 + 15·2 + 15·32 = 510; year 127 is no year: invalid.
  EXPECT_EQ(r[32].storage, 510u);
  EXPECT_FALSE(r[32].valid);
  EXPECT_EQ(r[33].text, "2012-01-13T12:04");                      // 04 6D 04 0C 8D 11
  EXPECT_EQ(f.manufacturer_data, FromHex("09 07 00 66 01"));
}

TEST(MbusTest, SensusPolluThermBcdHeatMeter) {
  auto frames = DecodeOk(FromHex(kPolluTherm));
  ASSERT_EQ(frames.size(), 1u);
  const MbusFrame& f = frames[0];
  EXPECT_EQ(f.id, "21050076");
  EXPECT_EQ(f.manufacturer, "SPX");
  EXPECT_EQ(f.version, 0x31);
  EXPECT_EQ(f.access_no, 0x51);
  const auto& r = f.records;
  ASSERT_EQ(r.size(), 9u);
  ExpectNumber(r[0], MbusQuantity::kEnergy, 8640, "kWh");     // 0C 07 64 08 00 00: 864 × 10 kWh
  ExpectNumber(r[1], MbusQuantity::kVolume, 7998.92, "m³");   // 0C 14 92 98 79 00
  // 0C 7B without a VIFE: not in any table, kept, not fatal.
  EXPECT_EQ(r[2].quantity, MbusQuantity::kUnknown);
  EXPECT_EQ(r[2].raw, 302);
  ExpectNumber(r[3], MbusQuantity::kPower, 54.58, "kW");      // 0C 2C 58 54 00 00: 5458 × 10 W
  ExpectNumber(r[4], MbusQuantity::kFlowTemp, 75.5, "°C");    // 0A 5A 55 07
  ExpectNumber(r[5], MbusQuantity::kReturnTemp, 59.4, "°C");  // 0A 5E 94 05
  ExpectNumber(r[6], MbusQuantity::kTempDiff, 16.076, "K");   // 0B 60 76 60 01
  EXPECT_EQ(r[8].quantity, MbusQuantity::kCustomerLocation);  // 0C FD 10
  EXPECT_EQ(r[8].text, "21050076");
  EXPECT_TRUE(f.more_records_follow);                         // 1F
  EXPECT_TRUE(f.manufacturer_data.empty());
}

TEST(MbusTest, EngelmannSensoStar2cBinaryAndExtensionTables) {
  auto frames = DecodeOk(FromHex(kSensoStar2c));
  ASSERT_EQ(frames.size(), 1u);
  const auto& r = frames[0].records;
  EXPECT_EQ(frames[0].manufacturer, "EFE");
  ASSERT_EQ(r.size(), 24u);
  EXPECT_EQ(r[0].text, "10380010");                           // 04 78 EA 62 9E 00 = 0x009E62EA
  EXPECT_EQ(r[1].text, "2012-06-06T20:50");                   // 04 6D 32 14 86 16
  ExpectNumber(r[2], MbusQuantity::kVolume, 12.9, "m³");      // 04 15 81 00 00 00: 129 × 0.1
  ExpectNumber(r[3], MbusQuantity::kEnergy, 800, "kWh");      // 04 FB 00 08: 8 × 0.1 MWh
  EXPECT_EQ(r[4].tariff, 2u);                                 // 84 20 FB 00
  ExpectNumber(r[8], MbusQuantity::kFlowTemp, 95, "°C");      // 02 5B 5F 00
  ExpectNumber(r[11], MbusQuantity::kOpTime, 506 * 24, "h");  // 02 27 FA 01: 506 days
  EXPECT_EQ(r[12].quantity, MbusQuantity::kErrorFlags);       // 01 FD 17 00
  // 04 90 28: volume "per input pulse": not a meter reading.
  EXPECT_TRUE(r[13].extended);
  EXPECT_EQ(r[19].storage, 2u);                               // 82 01 6C: 0 + 1·2
  EXPECT_EQ(r[19].text, "2010-12-31");
}

// ---- Hand-built frames ----

TEST(MbusTest, StorageTariffAndSubunitFromDifeChain) {
  // C4: storage LSB 1, 32-bit; 93: tariff 01, storage 0011; 52: subunit 1,
  // tariff 01, storage 0010. storage = 1 + 3·2 + 2·32 = 71, tariff =
  // 1 + 1·4 = 5, subunit = 0 + 1·2 = 2.
  auto r = Records(Frame72("C4 93 52 06 10 00 00 00"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].storage, 71u);
  EXPECT_EQ(r[0].tariff, 5u);
  EXPECT_EQ(r[0].subunit, 2u);
  EXPECT_EQ(r[0].dife, FromHex("93 52"));
  ExpectNumber(r[0], MbusQuantity::kEnergy, 16, "kWh");
}

TEST(MbusTest, TenDifesAndVifesAreTheLimit) {
  std::string ten_difes = "84 80 80 80 80 80 80 80 80 80 00 06 01 00 00 00";
  EXPECT_EQ(Records(Frame72(ten_difes)).size(), 1u);
  EXPECT_NE(ErrorOf(Frame72("84 80 80 80 80 80 80 80 80 80 80 00 06 01 00 00 00")).find("more than 10 DIFEs"),
            std::string::npos);
  auto ten_vifes = Records(Frame72("01 86 A2 A2 A2 A2 A2 A2 A2 A2 A2 22 07"));
  ASSERT_EQ(ten_vifes.size(), 1u);
  EXPECT_TRUE(ten_vifes[0].extended);
  EXPECT_NE(ErrorOf(Frame72("01 86 A2 A2 A2 A2 A2 A2 A2 A2 A2 A2 22 07")).find("more than 10 VIFEs"),
            std::string::npos);
}

TEST(MbusTest, NegativeAndInvalidBcd) {
  auto r = Records(Frame72(
      "0A 59 23 F1 "      // F123: -123 × 0.01 °C
      "0C 06 45 23 01 F0 "  // F0012345: -12345 kWh
      "0A 5B 1A 00 "      // a nibble A in the middle: invalid
      "0A 5B FF FF "      // all F: the meter's "no value"
      "09 61 F5"));       // 2 digits, F5: -5 × 0.01 K
  ASSERT_EQ(r.size(), 5u);
  ExpectNumber(r[0], MbusQuantity::kFlowTemp, -1.23, "°C");
  EXPECT_EQ(r[0].raw, -123);
  ExpectNumber(r[1], MbusQuantity::kEnergy, -12345, "kWh");
  EXPECT_FALSE(r[2].valid);
  EXPECT_TRUE(std::isnan(r[2].value));
  EXPECT_FALSE(r[3].valid);
  ExpectNumber(r[4], MbusQuantity::kTempDiff, -0.05, "K");
}

TEST(MbusTest, SignedBinaryIntegersLittleEndian) {
  auto r = Records(Frame72(
      "02 5B FE FF "                 // int16 -2 °C
      "01 61 80 "                    // int8 -128 × 0.01 K
      "03 13 FF FF 7F "              // int24 8388607 l
      "06 06 FF FF FF FF FF FF "     // int48 -1 kWh
      "07 06 00 00 00 00 01 00 00 00"));  // int64 2^32 kWh
  ASSERT_EQ(r.size(), 5u);
  ExpectNumber(r[0], MbusQuantity::kFlowTemp, -2, "°C");
  ExpectNumber(r[1], MbusQuantity::kTempDiff, -1.28, "K");
  ExpectNumber(r[2], MbusQuantity::kVolume, 8388.607, "m³");
  ExpectNumber(r[3], MbusQuantity::kEnergy, -1, "kWh");
  ExpectNumber(r[4], MbusQuantity::kEnergy, 4294967296.0, "kWh");
  EXPECT_EQ(r[4].raw, int64_t{1} << 32);
}

TEST(MbusTest, ThirtyTwoBitReal) {
  auto r = Records(Frame72(
      "05 5B 00 00 59 42 "   // 54.25f flow temperature, 1 °C
      "05 2E 00 00 48 41 "   // 12.5f × 1 kW (VIF 10^(6-3) W)
      "05 06 00 00 C0 FF"));  // NaN: no value
  ASSERT_EQ(r.size(), 3u);
  ExpectNumber(r[0], MbusQuantity::kFlowTemp, 54.25, "°C");
  EXPECT_EQ(r[0].coding, MbusCoding::kReal);
  ExpectNumber(r[1], MbusQuantity::kPower, 12.5, "kW");
  EXPECT_FALSE(r[2].valid);
}

TEST(MbusTest, DateTypesFGAndI) {
  auto r = Records(Frame72(
      "04 6D 1E 0A 0F 33 "      // F: 30 min, 10 h, day 15, month 3, year 24
      "04 6D 9E 0A 0F 33 "      // the same with IV (bit 7 of the minute byte)
      "04 6D 1E 8A 0F 33 "      // SU (summer time) bit
      "04 6D 00 20 A1 01 "      // century bits 01, year 5: 2005-01-01 00:00
      "02 6C F8 2C "            // G: day 24, month 12, year 23
      "02 6C 00 00 "            // G all zero: no date
      "06 6D 2D 1E 0A 0F 33 00"));  // I: 10:30:45 on 2024-03-15
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0].text, "2024-03-15T10:30");
  EXPECT_TRUE(r[0].valid);
  EXPECT_EQ(r[0].time.year, 2024);
  EXPECT_EQ(r[0].time.minute, 30);
  EXPECT_FALSE(r[1].valid);
  EXPECT_EQ(r[1].text, "2024-03-15T10:30");
  EXPECT_TRUE(r[2].valid);
  EXPECT_TRUE(r[2].time.summer);
  EXPECT_EQ(r[3].text, "2005-01-01T00:00");
  EXPECT_EQ(r[4].quantity, MbusQuantity::kDate);
  EXPECT_EQ(r[4].coding, MbusCoding::kDate);
  EXPECT_EQ(r[4].text, "2023-12-24");
  EXPECT_TRUE(r[4].valid);
  EXPECT_FALSE(r[5].valid);
  EXPECT_EQ(r[6].text, "2024-03-15T10:30:45");
  EXPECT_TRUE(r[6].valid);
  for (const auto& rec : r) EXPECT_TRUE(std::isnan(rec.value));
}

TEST(MbusTest, UnitsAreNormalised) {
  auto r = Records(Frame72(
      "01 0E 24 "            // 36 MJ = 10 kWh
      "02 FB 09 05 00 "      // 5 GJ
      "01 FB 01 07 "         // 7 MWh
      "01 33 48 "            // 72 × 1000 J/h = 0.02 kW
      "01 44 05 "            // 5 × 10^-3 m³/min = 0.3 m³/h
      "01 21 5A "            // on time 90 min = 1.5 h
      "01 27 02 "            // operating time 2 days = 48 h
      "01 1B 07 "            // 7 × 1 kg
      "02 FB 5B D4 00 "      // flow temp 212 °F = 100 °C
      "02 FD 49 E6 00 "      // 230 × 1 V
      "01 86 74 39"));       // VIFE 74: × 10^-2, 57 kWh → 0.57 kWh, not extended
  ASSERT_EQ(r.size(), 11u);
  ExpectNumber(r[0], MbusQuantity::kEnergy, 10, "kWh");
  EXPECT_NEAR(r[1].value, 5e9 / 3.6e6, 1e-9);
  EXPECT_EQ(r[1].unit, "kWh");
  ExpectNumber(r[2], MbusQuantity::kEnergy, 7000, "kWh");
  ExpectNumber(r[3], MbusQuantity::kPower, 0.02, "kW");
  ExpectNumber(r[4], MbusQuantity::kFlow, 0.3, "m³/h");
  ExpectNumber(r[5], MbusQuantity::kOnTime, 1.5, "h");
  ExpectNumber(r[6], MbusQuantity::kOpTime, 48, "h");
  ExpectNumber(r[7], MbusQuantity::kMass, 7, "kg");
  ExpectNumber(r[8], MbusQuantity::kFlowTemp, 100, "°C");
  ExpectNumber(r[9], MbusQuantity::kVoltage, 230, "V");
  ExpectNumber(r[10], MbusQuantity::kEnergy, 0.57, "kWh");
  EXPECT_FALSE(r[10].extended);
}

TEST(MbusTest, UnknownExtensionsAndManufacturerVifsDoNotFail) {
  auto r = Records(Frame72(
      "01 FD 3B 05 "          // FD 3B: reserved
      "02 FB 21 10 00 "       // FB 21: 0.1 feet³, not decoded
      "04 FF 07 01 02 03 04 "  // manufacturer-specific VIF, kept raw
      "02 86 7F 10 00 "       // energy with a manufacturer VIFE
      "02 86 22 10 00"));     // energy "per hour": extended
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].quantity, MbusQuantity::kUnknown);
  EXPECT_EQ(r[0].unit, "");
  EXPECT_EQ(r[0].raw, 5);
  EXPECT_EQ(r[1].quantity, MbusQuantity::kUnknown);
  EXPECT_EQ(r[2].quantity, MbusQuantity::kManufacturerSpecific);
  EXPECT_TRUE(r[2].manufacturer_specific);
  EXPECT_EQ(r[2].raw, 0x04030201);
  EXPECT_EQ(r[2].vife, FromHex("07"));
  EXPECT_EQ(r[2].data, FromHex("01 02 03 04"));
  EXPECT_TRUE(r[3].manufacturer_specific);
  ExpectNumber(r[3], MbusQuantity::kEnergy, 16, "kWh");
  EXPECT_TRUE(r[4].extended);
}

TEST(MbusTest, PlainTextVifAndVariableLengthData) {
  auto r = Records(Frame72(
      "02 FC 03 48 52 25 74 D4 11 "  // unit "%RH" (sent reversed), VIFE 74: × 0.01
      "0D FD 0C 05 45 44 43 42 41 "  // model/version, text "ABCDE" (sent reversed)
      "0D 13 D2 34 12 "              // LVAR D2: negative BCD, 4 digits: -1234 l
      "0D 06 C1 99 "                 // LVAR C1: positive BCD 99 kWh
      "0D 06 E2 10 27 "              // LVAR E2: binary 10000 kWh
      "0D 7F F0 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F"));  // 16 bytes raw
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].quantity, MbusQuantity::kTextUnit);
  EXPECT_EQ(r[0].unit, "%RH");
  EXPECT_DOUBLE_EQ(r[0].value, 45.64);
  EXPECT_EQ(r[1].quantity, MbusQuantity::kModelVersion);
  EXPECT_EQ(r[1].coding, MbusCoding::kText);
  EXPECT_EQ(r[1].text, "ABCDE");
  ExpectNumber(r[2], MbusQuantity::kVolume, -1.234, "m³");
  ExpectNumber(r[3], MbusQuantity::kEnergy, 99, "kWh");
  ExpectNumber(r[4], MbusQuantity::kEnergy, 10000, "kWh");
  EXPECT_EQ(r[5].coding, MbusCoding::kRaw);
  EXPECT_EQ(r[5].data.size(), 16u);
  EXPECT_NE(ErrorOf(Frame72("0D 06 F7 00")).find("LVAR 0xF7 is reserved"), std::string::npos);
  EXPECT_NE(ErrorOf(Frame72("0D 06 05 41 42")).find("data field of 5 bytes runs past"), std::string::npos);
  EXPECT_NE(ErrorOf(Frame72("02 7C 09 41 42 00 00")).find("plain-text VIF of 9 characters"),
            std::string::npos);
}

TEST(MbusTest, ManufacturerTailAndIdleFillerAreSkipped) {
  auto frames = DecodeOk(Frame72("2F 2F 04 06 01 00 00 00 2F 02 5B 3C 00 0F 04 06 FF FF 2F 99"));
  ASSERT_EQ(frames.size(), 1u);
  const auto& f = frames[0];
  ASSERT_EQ(f.records.size(), 2u);  // the 04 06 after 0F is the manufacturer's, not a record
  ExpectNumber(f.records[0], MbusQuantity::kEnergy, 1, "kWh");
  EXPECT_EQ(f.records[0].offset, 21u);
  ExpectNumber(f.records[1], MbusQuantity::kFlowTemp, 60, "°C");
  EXPECT_EQ(f.manufacturer_data, FromHex("04 06 FF FF 2F 99"));
  EXPECT_FALSE(f.more_records_follow);
  // Fillers only, and a frame that is all header: no records, no error.
  EXPECT_TRUE(Records(Frame72("2F 2F 2F")).empty());
  EXPECT_TRUE(Records(Frame72("")).empty());
  EXPECT_TRUE(DecodeOk(Frame72("1F"))[0].more_records_follow);
  EXPECT_NE(ErrorOf(Frame72("3F 00")).find("DIF 0x3F is a reserved special function"), std::string::npos);
}

TEST(MbusTest, OtherCiFields) {
  // 0x78: no header, records straight after the CI.
  auto no_header = DecodeOk(LongFrame(0x78, FromHex("04 06 05 00 00 00")));
  ASSERT_EQ(no_header.size(), 1u);
  EXPECT_FALSE(no_header[0].has_identity);
  EXPECT_EQ(no_header[0].id, "");
  ExpectNumber(no_header[0].records.at(0), MbusQuantity::kEnergy, 5, "kWh");
  // 0x7A: access no, status, signature.
  auto short_header = DecodeOk(LongFrame(0x7A, FromHex("11 22 00 00 02 5B 40 00")));
  ASSERT_EQ(short_header.size(), 1u);
  EXPECT_EQ(short_header[0].access_no, 0x11);
  EXPECT_EQ(short_header[0].status, 0x22);
  ExpectNumber(short_header[0].records.at(0), MbusQuantity::kFlowTemp, 64, "°C");
  // 0x76, mode 2: every multi-byte field most significant byte first.
  auto msb = DecodeOk(LongFrame(0x76, FromHex("06 85 58 17 2C 2D 08 04 04 00 00 00 "
                                              "04 06 00 00 91 E7 0C 14 00 05 61 08 "
                                              "0A 59 F1 23 04 6D 11 65 2F 1A")));
  ASSERT_EQ(msb.size(), 1u);
  EXPECT_EQ(msb[0].id, "06855817");
  EXPECT_EQ(msb[0].manufacturer, "KAM");
  ASSERT_EQ(msb[0].records.size(), 4u);
  ExpectNumber(msb[0].records[0], MbusQuantity::kEnergy, 37351, "kWh");
  ExpectNumber(msb[0].records[1], MbusQuantity::kVolume, 561.08, "m³");
  ExpectNumber(msb[0].records[2], MbusQuantity::kFlowTemp, -1.23, "°C");
  EXPECT_EQ(msb[0].records[3].text, "2011-01-05T15:26");
}

TEST(MbusTest, UnknownCiIsRejected) {
  EXPECT_EQ(ErrorOf(LongFrame(0x73, FromHex("00 00 00 00"))),
            "mbus: frame at byte 0: CI 0x73 at byte 6 is not variable data (expected 0x72, 0x76, 0x78 or 0x7A)");
  EXPECT_NE(ErrorOf(LongFrame(0x51, {})).find("CI 0x51"), std::string::npos);
  EXPECT_NE(ErrorOf(LongFrame(0x70, FromHex("01"))).find("CI 0x70"), std::string::npos);
  EXPECT_EQ(ErrorOf(LongFrame(0x72, FromHex("78 56 34 12 2D"))),
            "mbus: frame at byte 0: CI 0x72 needs a 12-byte header, the frame has 5 data bytes");
}

TEST(MbusTest, FramingErrors) {
  Bytes good = FromHex(kKamstrup601);
  Bytes bad_cs = good;
  bad_cs[good.size() - 2] ^= 0x01;
  EXPECT_EQ(ErrorOf(bad_cs),
            "mbus: frame at byte 0: checksum 0x99 at byte 251 does not match the sum 0x98 of bytes 4..250");
  Bytes l_mismatch = good;
  l_mismatch[2] = 0xF6;
  EXPECT_EQ(ErrorOf(l_mismatch), "mbus: frame at byte 0: length bytes differ: 0xF7 at byte 1, 0xF6 at byte 2");
  Bytes no_stop = good;
  no_stop.back() = 0x00;
  EXPECT_EQ(ErrorOf(no_stop), "mbus: frame at byte 0: stop byte at byte 252 is 0x00, expected 0x16");
  Bytes missing_stop(good.begin(), good.end() - 1);
  EXPECT_NE(ErrorOf(missing_stop).find("runs past the end of the buffer"), std::string::npos);
  EXPECT_NE(ErrorOf(FromHex("68 02 02 68 08 01 09 16")).find("L=2 is less than 3"), std::string::npos);
  EXPECT_NE(ErrorOf(FromHex("68 03 03 16 08 01 72 7B 16")).find("expected 0x68"), std::string::npos);
  EXPECT_EQ(ErrorOf({}), "mbus: no long frame (68 L L 68) in 0 bytes");
  EXPECT_EQ(ErrorOf(FromHex("E5 FE FE 10 5B 01 5C 16")), "mbus: no long frame (68 L L 68) in 8 bytes");
}

TEST(MbusTest, RecordErrorsNameTheRecordAndItsByte) {
  // Records start at byte 19: 02 5B (19..22), 02 5F (23..26), then a
  // 32-bit field at 27 with only two data bytes left in the frame.
  EXPECT_EQ(ErrorOf(Frame72("02 5B 10 00 02 5F 0A 00 04 06 01 02")),
            "mbus: record 3 at byte 27: data field of 4 bytes runs past the end of the frame (2 bytes left)");
  EXPECT_EQ(ErrorOf(Frame72("02 5B 10 00 84")), "mbus: record 2 at byte 23: DIFE 1 runs past the end of the frame");
  EXPECT_EQ(ErrorOf(Frame72("02")), "mbus: record 1 at byte 19: VIF runs past the end of the frame");
  EXPECT_EQ(ErrorOf(Frame72("02 FB")), "mbus: record 1 at byte 19: VIFE 1 runs past the end of the frame");
}

TEST(MbusTest, TruncatedAtEveryPrefixLengthIsAnError) {
  for (const char* hex : {kKamstrup601, kLandisUltraheatT230, kPolluTherm}) {
    Bytes frame = FromHex(hex);
    for (size_t n = 0; n < frame.size(); ++n) {
      auto r = DecodeMbus(std::span<const uint8_t>(frame.data(), n));
      EXPECT_FALSE(r.ok()) << n;
    }
    EXPECT_TRUE(DecodeMbus(frame).ok());
  }
}

TEST(MbusTest, RecordsCutAtEveryByteNeverCrash) {
  // The frame stays well formed (L and CS recomputed) but the records end
  // anywhere: either a clean decode or a record error, nothing else.
  Bytes full = FromHex(kKamstrup601);
  Bytes data(full.begin() + 7, full.end() - 2);
  for (size_t n = 12; n <= data.size(); ++n) {
    auto r = DecodeMbus(LongFrame(0x72, Bytes(data.begin(), data.begin() + n), 0x08, 0x11));
    if (!r.ok()) {
      EXPECT_EQ(r.status().message().rfind("mbus: record ", 0), 0u) << r.status().message();
    }
  }
}

TEST(MbusTest, MutatedRecordBytesNeverCrash) {
  Bytes full = FromHex(kLandisUltraheatT230);
  Bytes data(full.begin() + 7, full.end() - 2);
  for (size_t i = 12; i < data.size(); ++i) {
    for (uint8_t v : {0x00, 0x0D, 0x2F, 0x7C, 0x8F, 0xFF}) {
      Bytes d = data;
      d[i] = v;
      auto r = DecodeMbus(LongFrame(0x72, d));
      if (!r.ok()) {
        EXPECT_EQ(r.status().message().rfind("mbus: ", 0), 0u) << r.status().message();
      }
    }
  }
}

TEST(MbusTest, SeveralFramesWithNoiseBetween) {
  Bytes a = Frame72("04 06 01 00 00 00");
  Bytes b = LongFrame(0x78, FromHex("02 5B 3C 00"));
  // Wake-up FEs, an ACK, a short frame whose address is 0x68, then the frames.
  Bytes buf = Cat(Cat(FromHex("FE FE E5 10 5B 68 C3 16"), a), Cat(FromHex("E5"), b));
  auto frames = DecodeOk(buf);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].offset, 8u);
  EXPECT_EQ(frames[1].offset, 8u + a.size() + 1);
  EXPECT_EQ(frames[1].records.at(0).offset, frames[1].offset + 7);
  // A stray 0x68 after good frames is a broken frame, not noise.
  EXPECT_NE(ErrorOf(Cat(buf, FromHex("68 F7"))).find("truncated header"), std::string::npos);
}

TEST(MbusTest, LooksLikeMbus) {
  Bytes frame = FromHex(kKamstrup601);
  EXPECT_TRUE(LooksLikeMbus(frame));
  EXPECT_TRUE(LooksLikeMbus(Cat(FromHex("FE FE FE"), frame)));
  EXPECT_FALSE(LooksLikeMbus({}));
  EXPECT_FALSE(LooksLikeMbus(FromHex("68 F7 F6 68")));
  EXPECT_FALSE(LooksLikeMbus(FromHex("10 5B 01 5C 16")));
  EXPECT_FALSE(LooksLikeMbus(Bytes(frame.begin(), frame.end() - 1)));
  // CJ/T 188 heat meter frame: 68 T=20 A0..A6 C L ...; no 68 at byte 3.
  EXPECT_FALSE(LooksLikeMbus(FromHex("FE FE 68 20 78 56 34 12 00 11 11 01 03 90 1F 00 5B 16")));
}

TEST(MbusTest, LooksLikeMbusAfterAnAckAndPreambles) {
  // A capture from the optical head starts with the E5 that acknowledged
  // the previous request; /hm refused such a body as neither protocol.
  Bytes frame = FromHex(kKamstrup601);
  EXPECT_TRUE(LooksLikeMbus(Cat(FromHex("E5"), frame)));
  EXPECT_TRUE(LooksLikeMbus(Cat(FromHex("E5 FE FE"), frame)));
  EXPECT_TRUE(LooksLikeMbus(Cat(FromHex("FE E5"), frame)));
}

TEST(MbusTest, EdcHeatCoolingRegistersAreAccumulationsNotExtended) {
  // 84 00 86 3B: energy, VIFE 3B "accumulation only if positive
  // contributions"; 84 00 86 3C: "... only if negative contributions".
  auto frames = DecodeOk(FromHex(kEdcHeatCooling));
  ASSERT_EQ(frames.size(), 1u);
  const auto& r = frames[0].records;
  ExpectNumber(r[0], MbusQuantity::kEnergy, 35, "kWh");
  EXPECT_EQ(r[0].accumulation, MbusAccumulation::kPositive);
  EXPECT_FALSE(r[0].extended);
  ExpectNumber(r[1], MbusQuantity::kEnergy, 465, "kWh");
  EXPECT_EQ(r[1].accumulation, MbusAccumulation::kNegative);
  EXPECT_FALSE(r[1].extended);
  EXPECT_EQ(r[1].raw, 465);
  EXPECT_EQ(r[1].exp10, 0);  // VIF 06: 10^3 Wh, i.e. 10^0 kWh
  EXPECT_EQ(r[2].subunit, 1u);
}

TEST(MbusTest, NamesAreStable) {
  EXPECT_STREQ(MbusQuantityName(MbusQuantity::kEnergy), "energy");
  EXPECT_STREQ(MbusQuantityName(MbusQuantity::kFlowTemp), "flow_temp");
  EXPECT_STREQ(MbusQuantityName(MbusQuantity::kManufacturerSpecific), "manufacturer_specific");
  EXPECT_STREQ(MbusFunctionName(MbusFunction::kError), "err");
}

}  // namespace
}  // namespace heat::proto
