// Room-sensor uploads (DEV-1): JSON and CBOR bodies of POST /rt.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "heat/core/config.h"
#include "heat/ingest/coap.h"
#include "heat/ingest/coap_block.h"

namespace heat::ingest {
namespace {

constexpr int64_t kNow = 1764547200;

TEST(RtUploadTest, JsonBatchOfReadings) {
  auto u = ParseRtUpload(R"({"id":"861234567890123","seq":7,"rssi":-85,"r":[[1764546600,215],[1764547200,-31]]})",
                         false, kNow);
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->id, "861234567890123");
  EXPECT_EQ(u->seq, 7);
  ASSERT_EQ(u->readings.size(), 2u);
  EXPECT_EQ(u->readings[1], (std::pair<int64_t, int>{1764547200, -31}));
}

TEST(RtUploadTest, CborBodyIsTheSame) {
  nlohmann::json j = {{"id", "861234567890123"}, {"seq", 1}, {"r", {{1764546600, 215}}}};
  auto bytes = nlohmann::json::to_cbor(j);
  auto u = ParseRtUpload(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), true, kNow);
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->readings[0].second, 215);
  EXPECT_FALSE(ParseRtUpload("\xff\x00garbage", true, kNow).ok());
}

TEST(RtUploadTest, MalformedOrImplausibleUploadsAreRefused) {
  for (const char* bad : {"", "{}", "[]", R"({"id":"","r":[[1764546600,1]]})", R"({"id":"x","r":[]})",
                          R"({"id":"x","r":[[1764546600]]})", R"({"id":"x","r":[[1764546600,21.5]]})",
                          R"({"id":"x","r":[[100,215]]})", R"({"id":"x","r":[[1864546600,215]]})",
                          R"({"id":"x","r":[[1764546600,1001]]})", R"({"id":7,"r":[[1764546600,1]]})"})
    EXPECT_EQ(ParseRtUpload(bad, false, kNow).status().code(), Code::kUsage) << bad;
}

// Regression (cbor_object_of_excessive_size): a CBOR map or array header
// claiming 2^63 entries threw out_of_range 408 through the CoAP handler
// and aborted heatd-ingest. A count the bytes cannot hold is refused first.
TEST(RtUploadTest, CborHeaderOfExcessiveSizeIsRefusedNotThrown) {
  for (std::string body : {std::string("\xbb\x7f") + std::string(7, '\xff'),
                           std::string("\x9b\x7f") + std::string(7, '\xff'),
                           std::string("\xa1\x62id\x9a\xff\xff\xff\xff"), std::string("\xbf\xff"),
                           std::string(5000, '\x81') + "\x01"}) {
    auto u = ParseRtUpload(body, true, kNow);
    EXPECT_EQ(u.status().code(), Code::kUsage) << u.status().message();
  }
}

// 18446744073709551416 read as int64 wrapped to -200, i.e. -20.0 °C.
TEST(RtUploadTest, IntegersOutOfRangeAreRefusedNotWrapped) {
  for (const char* bad : {R"({"id":"x","r":[[1764546600,18446744073709551416]]})",
                          R"({"id":"x","r":[[18446744073709551416,215]]})",
                          R"({"id":"x","r":[[9000000000000000000,215]]})"})
    EXPECT_EQ(ParseRtUpload(bad, false, kNow).status().code(), Code::kUsage) << bad;
}

TEST(RtUploadTest, TimesOutsideTheSensorsWindowAreRefused) {
  TimeWindow day{86400};
  auto at = [](int64_t ts) { return R"({"id":"x","r":[[)" + std::to_string(ts) + R"(,215]]})"; };
  EXPECT_TRUE(ParseRtUpload(at(kNow - 86400), false, kNow, day).ok());
  EXPECT_FALSE(ParseRtUpload(at(kNow - 86401), false, kNow, day).ok());
  EXPECT_TRUE(ParseRtUpload(at(kNow + 300), false, kNow, day).ok());
  EXPECT_FALSE(ParseRtUpload(at(kNow + 301), false, kNow, day).ok());
}

TEST(RtUploadTest, MoreThan1000ReadingsIsTheTooLargeMessage) {
  std::string body = R"({"id":"x","r":[)";
  for (int i = 0; i < 1001; ++i) body += (i ? "," : "") + std::string("[1764546600,215]");
  body += "]}";
  EXPECT_EQ(ParseRtUpload(body, false, kNow).status().message(), kTooManyReadings);
}

// RFC 7959 Block1 uploads, put together in order and bounded.
TEST(BlockAssemblerTest, BlocksInOrderMakeTheBody) {
  BlockAssembler a(100, 2);
  std::string body;
  int peer = 0;
  EXPECT_EQ(a.Add(&peer, 0, "abc", true, &body), BlockAssembler::Step::kContinue);
  EXPECT_EQ(a.Add(&peer, 0, "abc", true, &body), BlockAssembler::Step::kContinue);  // started again
  EXPECT_EQ(a.Add(&peer, 3, "def", true, &body), BlockAssembler::Step::kContinue);
  EXPECT_EQ(a.Add(&peer, 3, "def", true, &body), BlockAssembler::Step::kContinue);  // repeated block
  EXPECT_EQ(a.Add(&peer, 6, "g", false, &body), BlockAssembler::Step::kComplete);
  EXPECT_EQ(body, "abcdefg");
  EXPECT_EQ(a.Add(&peer, 0, "single", false, &body), BlockAssembler::Step::kComplete);
  EXPECT_EQ(body, "single");
}

TEST(BlockAssemblerTest, GapsOversizeAndTooManyPeersAreRefused) {
  BlockAssembler a(10, 1);
  std::string body;
  int p1 = 0, p2 = 0;
  EXPECT_EQ(a.Add(&p1, 16, "x", true, &body), BlockAssembler::Step::kTooLarge);  // a claim past the limit
  EXPECT_EQ(a.Add(&p1, 4, "x", true, &body), BlockAssembler::Step::kOutOfOrder);
  EXPECT_EQ(a.Add(&p1, 0, "abcd", true, &body), BlockAssembler::Step::kContinue);
  EXPECT_EQ(a.Add(&p2, 0, "abcd", true, &body), BlockAssembler::Step::kBusy);
  EXPECT_EQ(a.Add(&p1, 4, "efghijk", true, &body), BlockAssembler::Step::kTooLarge);
  EXPECT_EQ(a.Add(&p2, 0, "abcd", true, &body), BlockAssembler::Step::kContinue);  // p1's was dropped
  auto later = BlockAssembler::Clock::now() + std::chrono::minutes(2);
  EXPECT_EQ(a.Add(&p1, 0, "abcd", true, &body, later), BlockAssembler::Step::kContinue);  // p2's went stale
}

// Item 6 of SYS-1 (config side): plain CoAP only on loopback unless DTLS
// is on or the configuration says it is meant.
TEST(CoapOptionsTest, PlainCoapBeyondLoopbackNeedsDtlsOrInsecure) {
  CoapOptions o;
  o.bind = "127.0.0.1";
  EXPECT_TRUE(CheckCoapExposure(o, false).ok());
  o.bind = "0.0.0.0";
  EXPECT_EQ(CheckCoapExposure(o, false).code(), Code::kUsage);
  EXPECT_TRUE(CheckCoapExposure(o, true).ok());
  o.dtls_port = 5684;
  EXPECT_TRUE(CheckCoapExposure(o, false).ok());
  EXPECT_STREQ(FindOption("ingest.coap_bind")->default_value, "127.0.0.1");
}

// Regression: ingest.coap_threads was raised to 256 while the transport
// still stopped at 64 contexts, silently.
TEST(CoapOptionsTest, ConfigRangeIsTheContextBound) {
  const Option* o = FindOption("ingest.coap_threads");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->max, kMaxCoapThreads);
  EXPECT_EQ(std::stoi(o->default_value), CoapOptions{}.threads);
}

}  // namespace
}  // namespace heat::ingest
