#include "heat/ingest/coap.h"

#include <arpa/inet.h>
#include <coap3/coap.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

#include "heat/core/log.h"
#include "heat/ingest/coap_block.h"
#include "heat/ingest/coap_reuseport.h"
#include "heat/proto/payload.h"

namespace heat::ingest {
namespace {

// Which context (socket) the calling loop thread serves, for the stats.
thread_local int socket_index = 0;

// The PSK identity of a DTLS session; nullopt over plain UDP.
std::optional<std::string> IdentityOf(const coap_session_t* session) {
  if (coap_session_get_proto(session) != COAP_PROTO_DTLS) return std::nullopt;
  const coap_bin_const_t* id = coap_session_get_psk_identity(session);
  if (id == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(id->s), id->length);
}

void Reply(coap_pdu_t* response, const std::pair<int, std::string>& out) {
  coap_pdu_set_code(response, static_cast<coap_pdu_code_t>(COAP_RESPONSE_CODE(out.first)));
  if (out.first == 204 && !out.second.empty()) {
    uint8_t buf[4];
    coap_add_option(response, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, sizeof buf, 50), buf);
  }
  if (!out.second.empty())
    coap_add_data(response, out.second.size(), reinterpret_cast<const uint8_t*>(out.second.data()));
}

// The whole body of a request, put together from its Block1 blocks
// (coap_block.h); false, with the response set, while more blocks are due
// or when the upload is refused.
bool WholeBody(CoapTransport* t, coap_session_t* session, const coap_pdu_t* request, coap_pdu_t* response,
               std::string* body) {
  size_t len = 0, offset = 0, total = 0;
  const uint8_t* data = nullptr;
  coap_get_data_large(request, &len, &data, &offset, &total);
  std::string_view piece(reinterpret_cast<const char*>(data), data ? len : 0);
  switch (t->blocks().Add(session, offset, piece, total > offset + len, body)) {
    case BlockAssembler::Step::kComplete: return true;
    case BlockAssembler::Step::kContinue: Reply(response, {231, ""}); break;
    case BlockAssembler::Step::kTooLarge: Reply(response, {413, "body over 32 KiB"}); break;
    case BlockAssembler::Step::kOutOfOrder: Reply(response, {408, "blocks out of order; start again"}); break;
    case BlockAssembler::Step::kBusy: Reply(response, {503, "too many uploads in progress"}); break;
  }
  return false;
}

void RtHandler(coap_resource_t* resource, coap_session_t* session, const coap_pdu_t* request,
               const coap_string_t*, coap_pdu_t* response) {
  auto* t = static_cast<CoapTransport*>(coap_resource_get_userdata(resource));
  t->CountSocket(socket_index);
  coap_opt_iterator_t it;
  coap_opt_t* cf = coap_check_option(request, COAP_OPTION_CONTENT_FORMAT, &it);
  unsigned format = cf ? coap_decode_var_bytes(coap_opt_value(cf), coap_opt_length(cf)) : 50;
  if (format != 50 && format != 60) return Reply(response, {415, "content-format must be 50 (JSON) or 60 (CBOR)"});
  std::string body;
  if (!WholeBody(t, session, request, response, &body)) return;
  Reply(response, t->HandleRt(body, format == 60, IdentityOf(session)));
}

void HmHandler(coap_resource_t* resource, coap_session_t* session, const coap_pdu_t* request,
               const coap_string_t*, coap_pdu_t* response) {
  auto* t = static_cast<CoapTransport*>(coap_resource_get_userdata(resource));
  t->CountSocket(socket_index);
  std::string body;
  if (!WholeBody(t, session, request, response, &body)) return;
  Reply(response, t->HandleHm(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size()),
                              IdentityOf(session)));
}

}  // namespace

Result<SensorIndex> LoadSensorIndex(db::Conn& conn) {
  HEAT_ASSIGN(db::Rows r, conn.Query(
      "SELECT d.address, p.id, d.id AS device_id, coalesce((d.settings->>'upload_s')::int, 1800) AS up,"
      " coalesce((d.settings->>'sample_s')::int, 600) AS iv FROM heat.device d"
      " JOIN heat.point p ON p.device_id = d.id AND p.tag = 'temp'"
      " WHERE d.kind = 'room_sensor' AND d.protocol = 'coap' AND d.address IS NOT NULL"));
  SensorIndex out;
  for (int i = 0; i < r.size(); ++i)
    out[r.get(i, 0)] = SensorInfo{static_cast<int32_t>(r.get_int(i, "id")),
                                  static_cast<int32_t>(r.get_int(i, "device_id")),
                                  static_cast<int>(r.get_int(i, "up")), static_cast<int>(r.get_int(i, "iv"))};
  return out;
}

namespace {

Result<nlohmann::json> ParseRtBody(std::string_view body, bool cbor) {
  proto::PayloadLimits limits{kMaxCoapBody, 4};
  auto j = cbor ? proto::ParseCborPayload(body, limits) : proto::ParseJsonPayload(body, limits);
  if (!j.ok()) return j.status();
  if (!j->is_object()) return Status::Usage(cbor ? "body is not a CBOR map" : "body is not a JSON object");
  return j;
}

// One [epoch_s, deci_C] pair, range-checked before any conversion.
Result<std::pair<int64_t, int>> ParseRtReading(const nlohmann::json& e, int64_t now_s, const TimeWindow& window) {
  if (!e.is_array() || e.size() != 2)
    return Status::Usage("each reading must be [epoch_s, deci_C] with whole numbers");
  auto ts = proto::AsInt64(e[0]);
  auto dc = proto::AsInt64(e[1]);
  if (!ts || !dc) return Status::Usage("each reading must be [epoch_s, deci_C] with whole numbers");
  if (std::string why = window.Check(*ts, now_s); !why.empty()) return Status::Usage(why);
  if (*dc < -500 || *dc > 1000) return Status::Usage("temperature " + std::to_string(*dc) + " deci-°C is out of range");
  return std::pair<int64_t, int>{*ts, static_cast<int>(*dc)};
}

// The sensor's id of a refused upload when it can be read, for the
// quarantine's key; empty otherwise.
std::string RtKey(std::string_view body, bool cbor) {
  auto j = ParseRtBody(body, cbor);
  if (!j.ok()) return "";
  auto id = j->find("id");
  return id != j->end() && id->is_string() ? id->get<std::string>().substr(0, 32) : "";
}

}  // namespace

Status CheckCoapExposure(const CoapOptions& opt, bool insecure) {
  if (opt.bind.rfind("127.", 0) == 0 || opt.dtls_port > 0 || insecure) return Status::Ok();
  return Status::Usage("ingest.coap_bind: " + opt.bind +
                       " would take plain CoAP from the network; set ingest.coap_dtls_port, or"
                       " ingest.coap_insecure: true if that is meant");
}

Result<RtUpload> ParseRtUpload(std::string_view body, bool cbor, int64_t now_s, const TimeWindow& window) {
  HEAT_ASSIGN(nlohmann::json j, ParseRtBody(body, cbor));
  RtUpload u;
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty() || id->get<std::string>().size() > 32)
    return Status::Usage("\"id\" must be the sensor's IMEI");
  u.id = id->get<std::string>();
  if (auto s = j.find("seq"); s != j.end()) u.seq = proto::AsInt64(*s).value_or(0);
  auto r = j.find("r");
  if (r == j.end() || !r->is_array() || r->empty()) return Status::Usage("\"r\" must be a list of [epoch_s, deci_C] (1 to 1000)");
  if (r->size() > kMaxRtReadings) return Status::Usage(kTooManyReadings);
  for (const auto& e : *r) {
    HEAT_ASSIGN(auto reading, ParseRtReading(e, now_s, window));
    u.readings.push_back(reading);
  }
  return u;
}

std::pair<int, std::string> CoapTransport::HandleRt(std::string_view body, bool cbor,
                                                    const std::optional<std::string>& identity) {
  stats_.requests++;
  int64_t now = std::time(nullptr);
  auto up = ParseRtUpload(body, cbor, now, window_);
  if (!up.ok()) {
    stats_.bad++;
    log::Limited(log::Level::kWarning, "coap-bad", "coap /rt: " + up.status().message());
    pipeline_.NoteRejected("coap-rt", RtKey(body, cbor), up.status().message(), body);
    return {up.status().message() == kTooManyReadings ? 413 : 400, up.status().message()};
  }
  if (identity && *identity != up->id) {
    stats_.forbidden++;
    return {403, "sensor " + up->id + " posted by DTLS identity " + *identity};
  }
  std::shared_ptr<const SensorIndex> sensors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sensors = sensors_;
  }
  auto it = sensors->find(up->id);
  if (it == sensors->end()) {
    stats_.unknown++;
    pipeline_.NoteUnknown("coap", up->id);
    log::Limited(log::Level::kWarning, "coap-unknown-" + up->id, "coap /rt: unknown sensor " + up->id);
    return {404, "unknown sensor " + up->id};
  }
  telemetry::Batch b;
  for (const auto& [ts, dc] : up->readings) b.push_back({it->second.point_id, ts * 1000, dc / 10.0, 0});
  if (!pipeline_.Submit(std::move(b)).ok()) {
    stats_.unavailable++;
    return {503, "try again later"};
  }
  stats_.readings += up->readings.size();
  pipeline_.NoteSeen(it->second.device_id);
  nlohmann::json reply = {{"up", it->second.upload_s}, {"iv", it->second.sample_s}, {"t", now}};
  return {204, reply.dump()};
}

std::pair<int, std::string> CoapTransport::HandleHm(std::span<const uint8_t> body,
                                                    const std::optional<std::string>& identity) {
  stats_.requests++;
  std::shared_ptr<const MeterIndex> meters;
  {
    std::lock_guard<std::mutex> lock(mu_);
    meters = meters_;
  }
  auto p = DecodeMeterPayload(body, *meters, std::time(nullptr));
  if (!p.ok()) {
    stats_.bad++;
    log::Limited(log::Level::kWarning, "coap-hm-bad", "coap /hm: " + p.status().message());
    pipeline_.NoteRejected("coap-hm", "", p.status().message(),
                           std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    return {400, p.status().message()};
  }
  stats_.meter_frames += static_cast<uint64_t>(p->frames);
  if (identity && (p->frames != 1 || p->addresses.empty() || p->addresses[0] != *identity)) {
    stats_.forbidden++;
    return {403, "over DTLS a meter posts only its own frames (identity " + *identity + ")"};
  }
  for (const auto& a : p->unknown) {
    stats_.unknown++;
    pipeline_.NoteUnknown("coap-hm", a);
    log::Limited(log::Level::kWarning, "coap-hm-unknown-" + a, "coap /hm: unknown meter " + a);
  }
  if (p->devices.empty()) return {404, "unknown meter " + (p->unknown.empty() ? "" : p->unknown[0])};
  size_t n = p->readings.size();
  if (n > 0 && !pipeline_.Submit(std::move(p->readings)).ok()) {
    stats_.unavailable++;
    return {503, "try again later"};
  }
  stats_.readings += n;
  for (int32_t d : p->devices) pipeline_.NoteSeen(d);
  return {204, ""};
}

Status AddEndpoint(void* context, const std::string& bind, int port, bool dtls, bool reuse_port) {
  coap_address_t addr;
  coap_address_init(&addr);
  addr.addr.sin.sin_family = AF_INET;
  addr.addr.sin.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, bind.c_str(), &addr.addr.sin.sin_addr) != 1)
    return Status::Usage("coap: bad bind address " + bind);
  addr.size = sizeof(addr.addr.sin);
  ScopedReusePort reuse(reuse_port);
  if (coap_new_endpoint(static_cast<coap_context_t*>(context), &addr, dtls ? COAP_PROTO_DTLS : COAP_PROTO_UDP) == nullptr)
    return Status::Failure("coap: cannot listen on " + bind + ":" + std::to_string(port) + (dtls ? " (dtls)" : " (udp)"));
  return Status::Ok();
}

namespace {

void AddResources(coap_context_t* ctx, CoapTransport* t) {
  coap_resource_t* rt = coap_resource_init(coap_make_str_const("rt"), 0);
  coap_resource_set_userdata(rt, t);
  coap_register_request_handler(rt, COAP_REQUEST_POST, RtHandler);
  coap_add_resource(ctx, rt);
  coap_resource_t* hm = coap_resource_init(coap_make_str_const("hm"), 0);
  coap_resource_set_userdata(hm, t);
  coap_register_request_handler(hm, COAP_REQUEST_POST, HmHandler);
  coap_add_resource(ctx, hm);
}

}  // namespace

// One context with the UDP endpoint (shared port) and the resources; the
// first also carries the DTLS endpoint.
Status CoapTransport::AddContext(const CoapOptions& opt, bool first) {
  coap_context_t* ctx = coap_new_context(nullptr);
  if (ctx == nullptr) return Status::Failure("coap: cannot create a context");
  ctxs_.push_back(ctx);  // freed by Stop(), also on failure below
  // libcoap answers the Block1 protocol; the body is put together by
  // blocks_, bounded (coap_block.h).
  coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP);
  HEAT_TRY(AddEndpoint(ctx, opt.bind, opt.port, false, opt.threads > 1));
  if (first && opt.dtls_port > 0) HEAT_TRY(AddDtlsEndpoint(ctx, this, opt));
  AddResources(ctx, this);
  return Status::Ok();
}

Result<std::unique_ptr<CoapTransport>> CoapTransport::Start(const CoapOptions& opt, Pipeline& pipeline,
                                                            SensorIndex sensors, MeterIndex meters,
                                                            PskIndex psks) {
  coap_startup();
  std::unique_ptr<CoapTransport> t(new CoapTransport(pipeline));
  t->sensors_ = std::make_shared<const SensorIndex>(std::move(sensors));
  t->meters_ = std::make_shared<const MeterIndex>(std::move(meters));
  t->psks_ = std::make_shared<const PskIndex>(std::move(psks));
  t->window_ = opt.window;
  for (int i = 0; i < std::clamp(opt.threads, 1, kMaxCoapThreads); ++i) HEAT_TRY(t->AddContext(opt, i == 0));
  for (size_t i = 0; i < t->ctxs_.size(); ++i)
    t->loops_.emplace_back([raw = t.get(), ctx = static_cast<coap_context_t*>(t->ctxs_[i]), i] {
      socket_index = static_cast<int>(i);
      while (!raw->stop_) coap_io_process(ctx, 200);
    });
  return t;
}

CoapTransport::~CoapTransport() { Stop(); }

void CoapTransport::Stop() {
  stop_ = true;
  for (auto& l : loops_)
    if (l.joinable()) l.join();
  loops_.clear();
  for (void* c : ctxs_) coap_free_context(static_cast<coap_context_t*>(c));
  ctxs_.clear();
}

void CoapTransport::SetSensors(SensorIndex sensors) {
  std::lock_guard<std::mutex> lock(mu_);
  sensors_ = std::make_shared<const SensorIndex>(std::move(sensors));
}

}  // namespace heat::ingest

namespace heat::ingest {

void CoapTransport::SetMeters(MeterIndex meters) {
  std::lock_guard<std::mutex> lock(mu_);
  meters_ = std::make_shared<const MeterIndex>(std::move(meters));
}

}  // namespace heat::ingest
