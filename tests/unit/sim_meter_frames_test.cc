// heatsim's heat-meter frames (sim/meter_frames.h): every frame the
// encoders make decodes, with proto/cjt188.h and proto/mbus.h, back to the
// values put in, and ingest/meter.h maps it onto the right points.
#include <gtest/gtest.h>

#include <ctime>
#include <vector>

#include "heat/ingest/meter.h"
#include "heat/proto/cjt188.h"
#include "heat/proto/mbus.h"
#include "heat/sim/meter_frames.h"

namespace heat::sim {
namespace {

constexpr int64_t kT = 1765432109;  // 2025-12-11, a winter day

std::tm Local(int64_t t_s) {
  std::time_t t = static_cast<std::time_t>(t_s);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

const proto::MbusRecord* Find(const proto::MbusFrame& f, proto::MbusQuantity q) {
  for (const auto& r : f.records)
    if (r.quantity == q) return &r;
  return nullptr;
}

TEST(SimMeterValues, RegistersNeverGoBackwards) {
  for (int m : {0, 1, 17, 4999}) {
    MeterValues prev = MeterValuesAt(m, kT);
    for (int64_t t = kT + 1; t < kT + 3 * 86400; t += 97) {
      MeterValues v = MeterValuesAt(m, t);
      EXPECT_GE(v.heat_kwh, prev.heat_kwh) << m << " " << t;
      EXPECT_GE(v.volume_m3, prev.volume_m3) << m << " " << t;
      EXPECT_GE(v.hours, prev.hours) << m << " " << t;
      EXPECT_LE(v.settlement_kwh, v.heat_kwh);
      EXPECT_GT(v.supply_c, v.return_c);
      prev = v;
    }
    EXPECT_GT(prev.heat_kwh, MeterValuesAt(m, kT).heat_kwh) << "a day's heat shows";
  }
  EXPECT_NE(MeterValuesAt(1, kT).power_kw, MeterValuesAt(2, kT).power_kw) << "meters differ";
}

TEST(SimMeterFrames, Cjt188RoundTrip) {
  for (int m : {0, 3, 250}) {
    for (int64_t t : {kT, kT + 3599, kT + 40000}) {
      MeterValues v = MeterValuesAt(m, t);
      auto f = EncodeCjt188("78330011223344", v, 0x5A);
      ASSERT_TRUE(f.ok()) << f.status().message();
      EXPECT_EQ((*f)[0], 0xFE);
      auto r = proto::DecodeCjt188(*f);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_EQ(r->size(), 1u);
      const proto::Cjt188Reading& x = (*r)[0];
      EXPECT_EQ(x.address, "78330011223344");
      EXPECT_EQ(x.meter_type, 0x20);
      EXPECT_EQ(x.di, 0x901F);
      EXPECT_EQ(x.ser, 0x5A);
      EXPECT_DOUBLE_EQ(x.heat_kwh, v.heat_kwh);
      EXPECT_NEAR(x.heat_gj, v.heat_kwh * 0.0036, 1e-9);
      EXPECT_DOUBLE_EQ(x.settlement_heat_kwh, v.settlement_kwh);
      EXPECT_DOUBLE_EQ(x.power_kw, v.power_kw);
      EXPECT_DOUBLE_EQ(x.flow_m3h, v.flow_m3h);
      EXPECT_DOUBLE_EQ(x.volume_m3, v.volume_m3);
      EXPECT_DOUBLE_EQ(x.supply_c, v.supply_c);
      EXPECT_DOUBLE_EQ(x.return_c, v.return_c);
      EXPECT_EQ(x.hours, v.hours);
      std::tm tm = Local(t);
      EXPECT_TRUE(x.clock.valid);
      EXPECT_EQ(x.clock.year, tm.tm_year + 1900);
      EXPECT_EQ(x.clock.month, tm.tm_mon + 1);
      EXPECT_EQ(x.clock.day, tm.tm_mday);
      EXPECT_EQ(x.clock.hour, tm.tm_hour);
      EXPECT_EQ(x.clock.minute, tm.tm_min);
      EXPECT_EQ(x.clock.second, tm.tm_sec);
      EXPECT_EQ(x.status, 0);
      EXPECT_FALSE(x.fault);
      EXPECT_FALSE(x.battery_low);
    }
  }
}

TEST(SimMeterFrames, MbusRoundTrip) {
  using Q = proto::MbusQuantity;
  for (int m : {0, 3, 250}) {
    for (int64_t t : {kT, kT + 3599, kT + 40000}) {
      MeterValues v = MeterValuesAt(m, t);
      auto f = EncodeMbus("06855817", v, 0x21);
      ASSERT_TRUE(f.ok()) << f.status().message();
      auto r = proto::DecodeMbus(*f);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_EQ(r->size(), 1u);
      const proto::MbusFrame& x = (*r)[0];
      EXPECT_EQ(x.ci, 0x72);
      EXPECT_TRUE(x.has_identity);
      EXPECT_EQ(x.id, "06855817");
      EXPECT_EQ(x.manufacturer, "HSM");
      EXPECT_EQ(x.medium, 0x04);
      EXPECT_EQ(x.access_no, 0x21);
      ASSERT_EQ(x.records.size(), 8u);
      for (const auto& rec : x.records) {
        EXPECT_TRUE(rec.valid) << proto::MbusQuantityName(rec.quantity);
        EXPECT_EQ(rec.storage, 0u);
        EXPECT_FALSE(rec.extended);
      }
      auto value = [&](Q q) { const auto* rec = Find(x, q); return rec ? rec->value : -1.0; };
      EXPECT_NEAR(value(Q::kEnergy), v.heat_kwh, 1e-9);
      EXPECT_NEAR(value(Q::kVolume), v.volume_m3, 1e-9);
      EXPECT_NEAR(value(Q::kPower), v.power_kw, 1e-9);
      EXPECT_NEAR(value(Q::kFlow), v.flow_m3h, 1e-9);
      EXPECT_NEAR(value(Q::kFlowTemp), v.supply_c, 1e-9);
      EXPECT_NEAR(value(Q::kReturnTemp), v.return_c, 1e-9);
      EXPECT_NEAR(value(Q::kOpTime), v.hours, 1e-9);
      const auto* clock = Find(x, Q::kDateTime);
      ASSERT_NE(clock, nullptr);
      std::tm tm = Local(t);
      EXPECT_EQ(clock->time.year, tm.tm_year + 1900);
      EXPECT_EQ(clock->time.month, tm.tm_mon + 1);
      EXPECT_EQ(clock->time.day, tm.tm_mday);
      EXPECT_EQ(clock->time.hour, tm.tm_hour);
      EXPECT_EQ(clock->time.minute, tm.tm_min);
    }
  }
}

TEST(SimMeterFrames, SeveralFramesInOnePayload) {
  std::vector<uint8_t> body;
  for (int i = 0; i < 3; ++i) {
    auto f = EncodeCjt188("00000000000042", MeterValuesAt(7, kT + 60 * i));
    ASSERT_TRUE(f.ok());
    body.insert(body.end(), f->begin(), f->end());
  }
  auto r = proto::DecodeCjt188(body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->size(), 3u);
  body.clear();
  for (int i = 0; i < 2; ++i) {
    auto f = EncodeMbus("00000042", MeterValuesAt(7, kT + 60 * i));
    ASSERT_TRUE(f.ok());
    body.insert(body.end(), f->begin(), f->end());
  }
  auto m = proto::DecodeMbus(body);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->size(), 2u);
}

TEST(SimMeterFrames, BadAddressesAreRefused) {
  MeterValues v = MeterValuesAt(0, kT);
  EXPECT_FALSE(EncodeCjt188("1234", v).ok());
  EXPECT_FALSE(EncodeCjt188("7833001122334A", v).ok());
  EXPECT_FALSE(EncodeMbus("123456789", v).ok());
  EXPECT_FALSE(EncodeMeterFrame("modbus_tcp", "12345678", v).ok());
  EXPECT_TRUE(EncodeMeterFrame("mbus", "12345678", v).ok());
}

// The whole way to readings: ingest/meter.h finds the meter by address and
// puts heat in GJ, timed by the meter's clock.
TEST(SimMeterFrames, IngestMapsFramesToPoints) {
  ingest::MeterIndex meters;
  meters["78330011223344"] = {1, {{"heat", 11}, {"volume", 12}, {"power", 13}, {"flow", 14},
                                  {"t_sup", 15}, {"t_ret", 16}, {"hours", 17}}, {}};
  meters["06855817"] = {2, {{"heat", 21}, {"t_ret", 26}}, {}};
  MeterValues v = MeterValuesAt(9, kT);
  auto cjt = EncodeCjt188("78330011223344", v);
  auto p = ingest::DecodeMeterPayload(*cjt, meters, kT);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->readings.size(), 7u);
  for (const auto& r : p->readings) EXPECT_EQ(r.ts_ms, kT * 1000);
  EXPECT_NEAR(p->readings[0].value, v.heat_kwh * 0.0036, 1e-9);
  EXPECT_EQ(p->readings[0].point_id, 11);
  auto mbus = EncodeMbus("06855817", v);
  p = ingest::DecodeMeterPayload(*mbus, meters, kT);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->readings.size(), 2u);
  EXPECT_EQ(p->readings[0].ts_ms, (kT - kT % 60) * 1000) << "type F: to the minute";
  EXPECT_NEAR(p->readings[0].value, v.heat_kwh * 0.0036, 1e-9);
  EXPECT_NEAR(p->readings[1].value, v.return_c, 1e-9);
  EXPECT_EQ(p->devices, std::vector<int32_t>{2});
}

}  // namespace
}  // namespace heat::sim
