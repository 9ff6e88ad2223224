// core/address.h — "host:port" addresses in the configuration: an option
// row of type kString whose choices are kHostPort holds one (the metrics
// endpoints' *.metrics_listen); CheckOptionValue refuses anything else
// with the key named, and heat.yaml(5) calls the type "address".
//
// An address is an IPv4 address and a port 1..65535; not a host name (no
// lookup at start) and not the wildcard 0.0.0.0: loopback, or the address
// of the one interface meant. Empty means none (the caller's "off").
#pragma once

#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat {

inline constexpr const char* kHostPort = "host:port";

struct HostPort {
  std::string host;
  int port = 0;
};

Result<HostPort> ParseHostPort(std::string_view text);

}  // namespace heat
