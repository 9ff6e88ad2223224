// libFuzzer target: the bytes of a WeChat Pay notify or query reply
// (BIL-23), which come from the internet. Whatever the bytes,
// ParseEnvelope and ParseTransaction return a value or kUsage, and
// DecryptResource of a parsed envelope returns plaintext, kUsage or
// kPermission — never a crash. An accepted transaction keeps its
// promises: an out_trade_no of 6-32 characters, amounts within 0..kMaxFen,
// and a SUCCESS has a transaction id, a positive total and a valid time.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/wechat/notify.h"
#include "heat/wechat/rfc3339.h"

namespace {

const heat::wechat::Merchant& Ours() {
  static heat::wechat::Merchant m = [] {
    heat::wechat::Merchant x;
    x.mchid = "1900000109";
    x.appid = "wx8888888888888888";
    x.apiv3_key = "0123456789abcdefghijklmnopqrstuv";
    return x;
  }();
  return m;
}

void Check(const heat::Status& s, bool permission_ok) {
  if (s.ok() || s.code() == heat::Code::kUsage) return;
  if (permission_ok && s.code() == heat::Code::kPermission) return;
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& m = Ours();
  auto e = heat::wechat::ParseEnvelope(text);
  Check(e.status(), false);
  if (e.ok()) Check(heat::wechat::DecryptResource(m.apiv3_key, e->resource).status(), true);
  auto t = heat::wechat::ParseTransaction(m, text);
  Check(t.status(), false);
  if (t.ok()) {
    if (t->out_trade_no.size() < 6 || t->out_trade_no.size() > 32) std::abort();
    if (t->total < 0 || t->total > heat::kMaxFen || t->payer_total < 0 || t->payer_total > heat::kMaxFen) std::abort();
    if (t->Paid() && (t->transaction_id.empty() || t->total <= 0 ||
                      !heat::wechat::ParseRfc3339(t->success_time).ok()))
      std::abort();
    if (t->mchid != m.mchid || t->appid != m.appid) std::abort();
  }
  Check(heat::wechat::ParseRfc3339(text).status(), false);
  return 0;
}
