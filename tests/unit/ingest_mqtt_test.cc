// MQTT telemetry payloads and topics (DEV-4, heat-protocols(7)).
#include <gtest/gtest.h>

#include <algorithm>

#include "heat/ingest/mqtt.h"
#include "heat/ingest/mqtt_client.h"

namespace heat::ingest {
namespace {

const std::unordered_map<std::string, int32_t> kTags = {{"t2s", 1}, {"t2r", 2}, {"pump1_run", 3}};

TEST(MqttTelemetryTest, ValuesBecomeReadingsOfKnownTags) {
  std::vector<std::string> unknown;
  auto b = ParseTelemetry(R"({"ts":1764547200000,"seq":1,"v":{"t2s":55.2,"pump1_run":true,"xx":1}})",
                          kTags, &unknown);
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
    auto b = ParseTelemetry(bad, kTags, nullptr);
    EXPECT_EQ(b.status().code(), Code::kUsage) << bad;
  }
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
