// libFuzzer target: the bytes a client sends a daemon's metrics endpoint
// (OPS-1, metrics/http.h), offered to the parser as they arrive — in two
// pieces split at the first byte's position — and answered. Whatever the
// bytes: a request is whole only with a method and a path starting '/',
// more than kMaxRequest bytes without a whole head is never still
// incomplete, a piece that is bad stays bad with more bytes, the answer
// is one of the few the server gives, and nothing throws.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "heat/metrics/http.h"

using heat::metrics::Request;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t cut = size ? data[0] % (size + 1) : 0;
  Request first = heat::metrics::ParseRequest(all.substr(0, cut));
  Request r = heat::metrics::ParseRequest(all);
  if (first.state == Request::State::kBad && r.state != Request::State::kBad) std::abort();
  if (r.state == Request::State::kIncomplete && size >= heat::metrics::kMaxRequest) std::abort();
  if (r.state == Request::State::kDone && (r.method.empty() || r.path.empty() || r.path[0] != '/')) std::abort();
  std::string answer = heat::metrics::Respond(r, {[] { return std::string("heat_ready 1\n"); }, [] { return true; }});
  static const char* kLines[] = {"HTTP/1.1 200 ", "HTTP/1.1 400 ", "HTTP/1.1 404 ", "HTTP/1.1 405 ", "HTTP/1.1 431 "};
  bool known = false;
  for (const char* l : kLines) known = known || answer.rfind(l, 0) == 0;
  if (!known || answer.find("\r\n\r\n") == std::string::npos) std::abort();
  return 0;
}
