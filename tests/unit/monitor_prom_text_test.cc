// The Prometheus text format as node-exporter and the daemons serve it
// (monitor/prom_text.h, OPS-1): samples with labels, escapes and the
// special values read; hostile text refused whole, naming the line.
#include <gtest/gtest.h>

#include <cmath>

#include "heat/monitor/http_get.h"
#include "heat/monitor/prom_text.h"

namespace heat::monitor {
namespace {

std::string Refusal(std::string_view text) {
  auto r = ParsePromText(text);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), Code::kUsage);
  return r.status().message();
}

TEST(PromTextTest, SamplesKeepTheirLabelsValuesAndOrder) {
  auto r = ParsePromText(
      "# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.52\n"
      "node_filesystem_avail_bytes{device=\"/dev/sda1\",fstype=\"ext4\",mountpoint=\"/\"} 4.2e+10\n"
      "\n  heat_build_info{program=\"heatd-ingest\",version=\"0.1.0\",} 1 1700000000000\r\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].name, "node_load1");
  EXPECT_DOUBLE_EQ((*r)[0].value, 0.52);
  EXPECT_EQ((*r)[1].label("mountpoint"), "/");
  EXPECT_EQ((*r)[1].label("fstype"), "ext4");
  EXPECT_DOUBLE_EQ((*r)[1].value, 4.2e10);
  EXPECT_EQ((*r)[2].label("version"), "0.1.0");
  EXPECT_EQ((*r)[2].label("absent"), "");
}

TEST(PromTextTest, EscapesInLabelValuesAreUndone) {
  auto r = ParsePromText("m{path=\"C:\\\\x \\\"q\\\"\\nnext\"} 1\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0].label("path"), "C:\\x \"q\"\nnext");
}

TEST(PromTextTest, NaNAndInfinitiesAreValues) {
  auto r = ParsePromText("a NaN\nb +Inf\nc -Inf\nd -1.5e-3\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(std::isnan((*r)[0].value));
  EXPECT_EQ((*r)[1].value, HUGE_VAL);
  EXPECT_EQ((*r)[2].value, -HUGE_VAL);
  EXPECT_DOUBLE_EQ((*r)[3].value, -0.0015);
}

TEST(PromTextTest, OnlyTheWantedNamesAreKeptButEveryLineIsChecked) {
  auto keep = [](std::string_view n) { return n == "node_load1"; };
  auto r = ParsePromText("node_load5 1\nnode_load1 2\n", keep);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_DOUBLE_EQ((*r)[0].value, 2);
  EXPECT_FALSE(ParsePromText("node_load1 2\nnode_load5 x\n", keep).ok());
}

TEST(PromTextTest, HostileTextIsRefusedNamingTheLine) {
  EXPECT_EQ(Refusal("ok 1\n9bad 1\n"), "line 2: a metric name is expected");
  EXPECT_EQ(Refusal("m{a=\"x} 1\n"), "line 1: a label value is not closed");
  EXPECT_EQ(Refusal("m{a=x} 1\n"), "line 1: a label value must be quoted");
  EXPECT_EQ(Refusal("m{a=\"\\t\"} 1\n"), "line 1: unknown escape \\t in a label value");
  EXPECT_EQ(Refusal("m{a=\"1\" b=\"2\"} 1\n"), "line 1: ',' or '}' is expected after a label");
  EXPECT_EQ(Refusal("m 0x1F\n"), "line 1: '0x1F' is not a number");
  EXPECT_EQ(Refusal("m 1e\n"), "line 1: '1e' is not a number");
  EXPECT_EQ(Refusal("m\n"), "line 1: a sample value is expected");
  EXPECT_EQ(Refusal("m 1 12a\n"), "line 1: bad timestamp '12a'");
  EXPECT_EQ(Refusal("m 1 2 3\n"), "line 1: unexpected text after the sample");
  EXPECT_EQ(Refusal(std::string("m \0\x01\n", 5)), "line 1: '?" "?' is not a number");
  EXPECT_EQ(Refusal("m " + std::string(100, '7') + "\n"), "line 1: a sample value is expected");
  EXPECT_EQ(Refusal("m " + std::string(kMaxLineBytes, '1') + "\n"), "line 1: longer than 64 KiB");
  std::string many = "m{";
  for (size_t i = 0; i <= kMaxLabels; ++i) many += "l" + std::to_string(i) + "=\"v\",";
  EXPECT_EQ(Refusal(many + "} 1\n"), "line 1: more than 64 labels");
}

TEST(PromTextTest, TooManySamplesAreRefused) {
  std::string text;
  for (size_t i = 0; i <= kMaxSamples; ++i) text += "m 1\n";
  EXPECT_EQ(Refusal(text), "line 100001: more than 100000 samples");
}

TEST(HttpReplyTest, StatusAndBodyAreSplitAndBadRepliesRefused) {
  auto r = ParseHttpReply("HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nnot ready\n", 100);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, "not ready\n");
  EXPECT_EQ(ParseHttpReply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 100)
                .status().message(),
            "a chunked reply to an HTTP/1.0 request");
  EXPECT_EQ(ParseHttpReply("SSH-2.0-OpenSSH\r\n\r\n", 100).status().message(), "the reply does not start with HTTP/1.x");
  EXPECT_EQ(ParseHttpReply("HTTP/1.0 2x0 OK\r\n\r\n", 100).status().message(),
            "the reply has no three-digit status code");
  EXPECT_EQ(ParseHttpReply("HTTP/1.0 200 OK\r\n\r\n0123456789", 5).status().message(),
            "the reply is larger than 5 bytes");
  EXPECT_EQ(ParseHttpReply("HTTP/1.0 200 OK\r\n", 5).status().message(), "the reply has no complete header");
}

TEST(HttpUrlTest, OnlyPlainHttpToAHostAndPortIsAsked) {
  auto u = ParseHttpUrl("http://node1:9100/metrics");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "node1");
  EXPECT_EQ(u->port, "9100");
  EXPECT_EQ(u->path, "/metrics");
  EXPECT_EQ(ParseHttpUrl("http://[::1]:9100").value().host, "::1");
  EXPECT_EQ(ParseHttpUrl("http://h").value().port, "80");
  EXPECT_EQ(ParseHttpUrl("https://node1:9100/metrics").status().message(),
            "'https://node1:9100/metrics': only http:// addresses are asked");
  EXPECT_EQ(ParseHttpUrl("http://node1:99999/").status().message(), "'http://node1:99999/': the port must be 1..65535");
  EXPECT_EQ(ListenUrl("127.0.0.1:9561", "/ready"), "http://127.0.0.1:9561/ready");
  EXPECT_EQ(ListenUrl("0.0.0.0:9561", "/ready"), "http://127.0.0.1:9561/ready");
}

}  // namespace
}  // namespace heat::monitor
