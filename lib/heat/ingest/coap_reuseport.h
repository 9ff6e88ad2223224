// ingest/coap_reuseport.h — lets several libcoap contexts listen on one UDP
// port (coap_reuseport.cc says how, and why it has to be done this way).
#pragma once

namespace heat::ingest {

// While alive, UDP sockets that libcoap creates on this thread get
// SO_REUSEPORT along with SO_REUSEADDR.
class ScopedReusePort {
 public:
  explicit ScopedReusePort(bool on);
  ~ScopedReusePort();
  ScopedReusePort(const ScopedReusePort&) = delete;
  ScopedReusePort& operator=(const ScopedReusePort&) = delete;

 private:
  bool was_;
};

}  // namespace heat::ingest
