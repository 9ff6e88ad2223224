// "host:port" options (core/address.h, the *.metrics_listen keys of
// OPS-1): an IPv4 address and a port, nothing else; a bad one is refused
// by the configuration with file, line and key, and changes nothing.
#include <gtest/gtest.h>

#include "heat/core/address.h"
#include "heat/core/config.h"

namespace heat {
namespace {

TEST(CoreAddressTest, AnIpv4AddressAndAPortAreTaken) {
  auto hp = ParseHostPort("127.0.0.1:9561");
  ASSERT_TRUE(hp.ok());
  EXPECT_EQ(hp->host, "127.0.0.1");
  EXPECT_EQ(hp->port, 9561);
  EXPECT_TRUE(ParseHostPort("10.1.2.3:65535").ok());
}

TEST(CoreAddressTest, NamesWildcardsAndBadPortsAreRefusedSayingWhy) {
  for (const char* bad : {"localhost:9561", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:http", "127.0.0.1:+80", "[::1]:9561", ":9561", "127.0.0.1:9561:1"})
    EXPECT_FALSE(ParseHostPort(bad).ok()) << bad;
  EXPECT_EQ(ParseHostPort("0.0.0.0:9561").status().message(),
            "expected host:port, an IPv4 address and a port (127.0.0.1:9561), got '0.0.0.0:9561': 0.0.0.0 is every "
            "interface; name one (127.0.0.1: this machine only)");
}

TEST(CoreAddressTest, TheConfigurationRefusesABadListenAddressNamingTheKey) {
  auto c = Config::Parse("ingest:\n  metrics_listen: localhost:9561\n", "heat.yaml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "heat.yaml:2: ingest.metrics_listen: expected host:port, an IPv4 address and a port (127.0.0.1:9561), "
            "got 'localhost:9561'");
}

TEST(CoreAddressTest, EmptyTurnsTheEndpointOffAndTheDefaultsAreLoopback) {
  auto c = Config::Parse("alarm:\n  metrics_listen: \"\"\n", "heat.yaml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->str("alarm.metrics_listen"), "");
  Config d = Config::Defaults();
  EXPECT_EQ(d.str("ingest.metrics_listen"), "127.0.0.1:9561");
  EXPECT_EQ(d.str("control.metrics_listen"), "127.0.0.1:9562");
  EXPECT_EQ(d.str("alarm.metrics_listen"), "127.0.0.1:9563");
  EXPECT_EQ(d.str("forecast.metrics_listen"), "127.0.0.1:9564");
}

}  // namespace
}  // namespace heat
