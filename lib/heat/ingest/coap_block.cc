#include "heat/ingest/coap_block.h"

namespace heat::ingest {

void BlockAssembler::DropStale(Clock::time_point now) {
  for (auto it = partial_.begin(); it != partial_.end();)
    it = now - it->second.last > std::chrono::minutes(1) ? partial_.erase(it) : std::next(it);
}

BlockAssembler::Step BlockAssembler::Add(const void* session, size_t offset, std::string_view data, bool more,
                                         std::string* body, Clock::time_point now) {
  if (offset > max_bytes_ || data.size() > max_bytes_ - offset) {
    std::lock_guard<std::mutex> lock(mu_);
    partial_.erase(session);
    return Step::kTooLarge;
  }
  if (offset == 0 && !more) {  // one block: nothing to keep
    body->assign(data);
    return Step::kComplete;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = partial_.find(session);
  if (offset == 0) {
    if (it == partial_.end()) {
      DropStale(now);
      if (partial_.size() >= max_partial_) return Step::kBusy;
      it = partial_.emplace(session, Partial{}).first;
    }
    it->second.body.clear();  // a new upload from this peer starts over
  } else if (it != partial_.end() && more && offset + data.size() == it->second.body.size()) {
    return Step::kContinue;  // the last block again (its 2.31 was lost)
  } else if (it == partial_.end() || it->second.body.size() != offset) {
    if (it != partial_.end()) partial_.erase(it);
    return Step::kOutOfOrder;
  }
  it->second.body.append(data);
  it->second.last = now;
  if (more) return Step::kContinue;
  *body = std::move(it->second.body);
  partial_.erase(it);
  return Step::kComplete;
}

}  // namespace heat::ingest
