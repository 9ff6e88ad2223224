// MQTT telemetry payloads and topics (DEV-4, heat-protocols(7)).
#include <gtest/gtest.h>

#include <algorithm>

#include "heat/ingest/mqtt.h"
#include "heat/ingest/mqtt_client.h"

namespace heat::ingest {
namespace {

const std::unordered_map<std::string, int32_t> kTags = {{"t2s", 1}, {"t2r", 2}, {"pump1_run", 3}};
constexpr int64_t kNow = 1764547200;  // 2025-12-01T00:00:00Z

TEST(MqttTelemetryTest, ValuesBecomeReadingsOfKnownTags) {
  std::vector<std::string> unknown;
  auto b = ParseTelemetry(R"({"ts":1764547200000,"seq":1,"v":{"t2s":55.2,"pump1_run":true,"xx":1}})",
                          kTags, &unknown, kNow);
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->size(), 2u);
  telemetry::Batch want = {{3, 1764547200000, 1, 0}, {1, 1764547200000, 55.2, 0}};
  std::sort(b->begin(), b->end(), [](auto& x, auto& y) { return x.point_id > y.point_id; });
  EXPECT_EQ(*b, want);
  EXPECT_EQ(unknown, std::vector<std::string>{"xx"});
}

TEST(MqttTelemetryTest, MalformedPayloadsAreUsageErrors) {
  for (const char* bad : {"", "garbage", "[]", R"({"v":{"t2s":1}})", R"({"ts":"x","v":{}})",
                          R"({"ts":-5,"v":{}})", R"({"ts":1,"v":[]})", R"({"ts":1,"v":{"t2s":"hot"}})",
                          R"({"ts":1.5,"v":{}})"}) {
    auto b = ParseTelemetry(bad, kTags, nullptr, kNow);
    EXPECT_EQ(b.status().code(), Code::kUsage) << bad;
  }
}

// Regression (mqtt_absurd_timestamp): "ts":9e18 was taken, failed the
// write, and wedged storage behind it in the spool. Times outside
// [now - max_age, now + 5 min] are refused here, before any conversion.
TEST(MqttTelemetryTest, AbsurdOrImplausibleTimestampsAreRefused) {
  TimeWindow week{7 * 86400};
  for (const std::string& ts : std::vector<std::string>{"9000000000000000000", "18446744073709551416",
                                                       "-9000000000000000000", std::to_string((kNow + 301) * 1000),
                                                       std::to_string((kNow - 8 * 86400) * 1000)}) {
    auto b = ParseTelemetry(R"({"ts":)" + ts + R"(,"v":{"t2s":1}})", kTags, nullptr, kNow, week);
    EXPECT_EQ(b.status().code(), Code::kUsage) << ts;
  }
  for (int64_t ok : {(kNow + 300) * 1000, (kNow - 7 * 86400) * 1000})
    EXPECT_TRUE(ParseTelemetry(R"({"ts":)" + std::to_string(ok) + R"(,"v":{"t2s":1}})", kTags, nullptr, kNow, week).ok())
        << ok;
}

// Regression (mqtt_event_with_nul): an event the operation log cannot
// hold was never acknowledged, and the session reconnected for ever.
TEST(MqttEventTest, NulInMessageIsRefusedBeforeTheDatabase) {
  EXPECT_EQ(ParseDeviceEvent(R"({"msg":"\u0000"})").status().code(), Code::kUsage);
  EXPECT_EQ(ParseDeviceEvent(R"({"msg":"a\u0000b"})").status().code(), Code::kUsage);
}

// A msg that is not a string threw out of nlohmann's value() and ended
// the worker thread.
TEST(MqttEventTest, OddShapesAreRefusedOrTakenNeverThrown) {
  for (const char* bad : {"", "[1]", "\"x\"", "{", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]"})
    EXPECT_EQ(ParseDeviceEvent(bad).status().code(), Code::kUsage) << bad;
  auto e = ParseDeviceEvent(R"({"msg":5,"kind":"mode"})");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->msg, "");
  EXPECT_EQ(ParseDeviceEvent(std::string(kMaxEventBytes + 1, ' ')).status().code(), Code::kUsage);
}

TEST(MqttTelemetryTest, PointCodesSplitIntoStationAndTag) {
  std::unordered_map<std::string, telemetry::PointInfo> pts = {
      {"S01.t2s", {7, 1, 0}}, {"S01.t2r", {8, 1, 0}}, {"S01-HM.heat", {9, 1, 0}}};
  auto idx = IndexStationPoints(pts);
  EXPECT_EQ(idx.at("S01").at("t2s"), 7);
  EXPECT_EQ(idx.at("S01").size(), 2u);
  EXPECT_EQ(idx.at("S01-HM").at("heat"), 9);
}

TEST(MqttUriTest, HostAndPort) {
  std::string host;
  int port = 0;
  ASSERT_TRUE(ParseMqttUri("tcp://127.0.0.1:1883", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 1883);
  EXPECT_FALSE(ParseMqttUri("127.0.0.1:1883", &host, &port).ok());
  EXPECT_FALSE(ParseMqttUri("ssl://x:1", &host, &port).ok());
}

}  // namespace
}  // namespace heat::ingest
