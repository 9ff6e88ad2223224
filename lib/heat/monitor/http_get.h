// monitor/http_get.h — a small HTTP/1.0 GET over a plain socket, for the
// monitoring addresses heatctl system status and heatd-alarm ask (the
// daemons' /ready and /metrics, prometheus-node-exporter's /metrics).
//
// Only http:// to the configured address: no TLS, no redirects, no proxy.
// One deadline covers resolving, connecting, sending and reading (blocking
// name resolution may exceed it; the configured addresses are IP addresses
// or names in /etc/hosts). A reply larger than max_body is refused, as is
// one that is not "HTTP/1.x CODE ..." with a header block, or that uses a
// chunked transfer encoding (an HTTP/1.0 request does not get one).
// Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::monitor {

struct HttpUrl {
  std::string host, port, path;  // port "80" when absent, path "/" when absent
};

// http://HOST[:PORT][/PATH]; HOST may be [IPv6]. kUsage naming the URL
// otherwise (https:// included: the monitoring endpoints are plain HTTP).
Result<HttpUrl> ParseHttpUrl(std::string_view url);

// "HOST:PORT" of a *.metrics_listen key as the URL of PATH; an address the
// daemon listens on for every interface (0.0.0.0, [::], empty host) is
// asked on the loopback address.
std::string ListenUrl(std::string_view listen, std::string_view path);

struct HttpReply {
  int status = 0;
  std::string body;
};

// Splits a whole reply into status code and body (hostile input: the
// fuzz target tests/fuzz/prom_text_fuzz.cc feeds it).
Result<HttpReply> ParseHttpReply(std::string_view raw, size_t max_body);

// kFailure "URL: why" when the address cannot be reached in time.
Result<HttpReply> HttpGet(const std::string& url, int timeout_ms, size_t max_body = 16 << 20);

}  // namespace heat::monitor
