// SO_REUSEPORT for libcoap's UDP endpoints (CoapOptions::threads).
//
// libcoap 4.3.1 creates and binds endpoint sockets itself and sets only
// SO_REUSEADDR, which on Linux lets a second UDP socket bind the port but
// delivers each datagram to one of them only, never spreading the load.
// The kernel balances across sockets (by source address and port, so a
// device stays on one socket) only when every one has SO_REUSEPORT before
// bind. libcoap offers no hook for that, so this process's setsockopt
// adds SO_REUSEPORT to SO_REUSEADDR — only while a thread is inside
// AddEndpoint with reuse_port set; every other call passes straight through.
#include <dlfcn.h>
#include <sys/socket.h>

#include "heat/ingest/coap_reuseport.h"

namespace heat::ingest {
namespace {
thread_local bool reuse_port_wanted = false;
}  // namespace

ScopedReusePort::ScopedReusePort(bool on) : was_(reuse_port_wanted) { reuse_port_wanted = on; }
ScopedReusePort::~ScopedReusePort() { reuse_port_wanted = was_; }

}  // namespace heat::ingest

extern "C" int setsockopt(int fd, int level, int name, const void* value, socklen_t len) {
  using Fn = int (*)(int, int, int, const void*, socklen_t);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "setsockopt"));
  int rc = real(fd, level, name, value, len);
  if (rc == 0 && heat::ingest::reuse_port_wanted && level == SOL_SOCKET && name == SO_REUSEADDR) {
    int one = 1;
    rc = real(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  }
  return rc;
}
