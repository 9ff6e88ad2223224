// ingest/coap_block.h — uploads in several CoAP blocks (RFC 7959 Block1,
// DEV-1, DEV-2; heat-protocols(7)).
//
// libcoap runs in block mode (COAP_BLOCK_USE_LIBCOAP) and answers 2.31
// Continue for each block but the last; heatd-ingest puts the body
// together here, bounded: not libcoap's single-body mode, which sizes its
// buffer from the client's Size1 option and block numbers (a 9-byte claim
// of 4 GB would be believed). Blocks must come in order; a body over
// max_bytes is refused (4.13) as soon as a block goes past it; at most
// max_partial uploads are in progress at once (5.03 beyond), and one not
// continued for a minute is dropped. Thread-safe (one mutex guards the
// partial bodies).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace heat::ingest {

class BlockAssembler {
 public:
  enum class Step {
    kComplete,    // *body is the whole upload
    kContinue,    // more blocks are due
    kTooLarge,    // 4.13
    kOutOfOrder,  // 4.08 Request Entity Incomplete
    kBusy,        // 5.03
  };
  using Clock = std::chrono::steady_clock;
  BlockAssembler(size_t max_bytes, size_t max_partial) : max_bytes_(max_bytes), max_partial_(max_partial) {}

  // One block of the upload from `session` (any stable key of the peer):
  // its offset in the body, its bytes, and whether more follow.
  Step Add(const void* session, size_t offset, std::string_view data, bool more, std::string* body,
           Clock::time_point now = Clock::now());

 private:
  struct Partial {
    std::string body;
    Clock::time_point last;
  };
  void DropStale(Clock::time_point now);
  const size_t max_bytes_, max_partial_;
  std::mutex mu_;
  std::map<const void*, Partial> partial_;  // guarded by mu_
};

}  // namespace heat::ingest
