#include "heat/core/address.h"

#include <arpa/inet.h>

namespace heat {

Result<HostPort> ParseHostPort(std::string_view text) {
  std::string t(text);
  auto bad = [&](const std::string& why) {
    return Status::Usage("expected host:port, an IPv4 address and a port (127.0.0.1:9561), got '" + t + "'" + why);
  };
  size_t colon = t.rfind(':');
  if (colon == std::string::npos) return bad("");
  HostPort hp{t.substr(0, colon), 0};
  std::string port = t.substr(colon + 1);
  in_addr a{};
  if (inet_pton(AF_INET, hp.host.c_str(), &a) != 1) return bad("");
  if (a.s_addr == htonl(INADDR_ANY)) return bad(": 0.0.0.0 is every interface; name one (127.0.0.1: this machine only)");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return bad("");
  hp.port = std::stoi(port);
  if (hp.port < 1 || hp.port > 65535) return bad(": the port is 1..65535");
  return hp;
}

}  // namespace heat
