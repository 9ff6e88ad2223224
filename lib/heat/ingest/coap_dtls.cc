// DTLS-PSK for the CoAP transport (ingest/coap.h): a key per device, found
// by the PSK identity the device presents (its address).
#include <coap3/coap.h>

#include <cstring>

#include "heat/core/log.h"
#include "heat/ingest/coap.h"

namespace heat::ingest {
namespace {

// libcoap copies the key it is given; it only has to live until the
// callback returns, so a per-thread buffer is enough (one I/O thread).
const coap_bin_const_t* KeyForIdentity(coap_bin_const_t* identity, coap_session_t*, void* arg) {
  auto* t = static_cast<CoapTransport*>(arg);
  std::string id(reinterpret_cast<const char*>(identity->s), identity->length);
  thread_local std::string key;
  thread_local coap_bin_const_t bin;
  auto k = t->KeyFor(id);
  if (!k) return nullptr;  // unknown identity: the handshake fails
  key = *k;
  bin.s = reinterpret_cast<const uint8_t*>(key.data());
  bin.length = key.size();
  return &bin;
}

}  // namespace

Result<PskIndex> LoadPskIndex(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(
      "SELECT address, settings->>'psk' AS psk FROM heat.device"
      " WHERE address IS NOT NULL AND coalesce(settings->>'psk', '') <> ''"));
  PskIndex out;
  for (int i = 0; i < r.size(); ++i) out[r.get(i, 0)] = r.get(i, 1);
  return out;
}

std::optional<std::string> CoapTransport::KeyFor(const std::string& identity) {
  std::shared_ptr<const PskIndex> psks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    psks = psks_;
  }
  auto it = psks->find(identity);
  if (it == psks->end()) {
    stats_.dtls_refused++;
    log::Limited(log::Level::kWarning, "coap-dtls-" + identity, "coap dtls: unknown identity '" + identity + "'");
    return std::nullopt;
  }
  return it->second;
}

void CoapTransport::SetPsks(PskIndex psks) {
  std::lock_guard<std::mutex> lock(mu_);
  psks_ = std::make_shared<const PskIndex>(std::move(psks));
}

Status AddDtlsEndpoint(void* context, CoapTransport* t, const CoapOptions& opt) {
  auto* ctx = static_cast<coap_context_t*>(context);
  if (!coap_dtls_is_supported()) return Status::Failure("coap: this libcoap has no DTLS");
  coap_dtls_spsk_t setup;
  std::memset(&setup, 0, sizeof setup);
  setup.version = COAP_DTLS_SPSK_SETUP_VERSION;
  setup.validate_id_call_back = KeyForIdentity;
  setup.id_call_back_arg = t;
  static const char kHint[] = "heat";
  setup.psk_info.hint.s = reinterpret_cast<const uint8_t*>(kHint);
  setup.psk_info.hint.length = sizeof kHint - 1;
  if (!coap_context_set_psk2(ctx, &setup)) return Status::Failure("coap: cannot set up DTLS-PSK");
  return AddEndpoint(ctx, opt.bind, opt.dtls_port, true);
}

}  // namespace heat::ingest
