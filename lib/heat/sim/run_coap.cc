// sim/run_coap.cc — room sensors reading the model, uploading over CoAP.
#include "heat/sim/run_coap.h"

#include <arpa/inet.h>
#include <coap3/coap.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace heat::sim {
namespace {

constexpr int kMaxTries = 5;
constexpr size_t kMaxReadings = 60;  // one datagram of JSON
constexpr int kShowRefused = 5;

}  // namespace

struct SensorUplink::State {
  double next_sample = 0, next_upload = 0;  // model time
  int64_t last_stamp = 0;
  int64_t seq = 0;
  std::vector<std::pair<int64_t, int>> readings;
};

struct SensorUplink::Session {
  coap_context_t* ctx = nullptr;
  coap_session_t* session = nullptr;
  std::vector<uint8_t> token;
  std::chrono::steady_clock::time_point retry_at{};
  ~Session() {
    if (session) coap_session_release(session);
    if (ctx) coap_free_context(ctx);
  }
};

std::string SensorUploadJson(const std::string& imei, int64_t seq,
                             const std::vector<std::pair<int64_t, int>>& readings) {
  nlohmann::json r = nlohmann::json::array();
  for (const auto& [t, v] : readings) r.push_back({t, v});
  return nlohmann::json{{"id", imei}, {"seq", seq}, {"rssi", -75}, {"r", r}}.dump();
}

SensorUplink::SensorUplink() = default;
SensorUplink::~SensorUplink() = default;

Status SensorUplink::Start(const std::string& host, int port, Plant& plant, double model_t) {
  plant_ = &plant;
  states_.assign(plant.sensors.size(), State{});
  for (auto& s : states_) s.next_sample = s.next_upload = model_t;
  if (plant.sensors.empty()) return Status::Ok();
  coap_startup();
  coap_set_log_level(LOG_ERR);
  coap_set_log_handler([](coap_log_t, const char* m) { std::cerr << "heatsim: libcoap: " << m; });
  coap_address_t dst;
  coap_address_init(&dst);
  dst.addr.sin.sin_family = AF_INET;
  dst.addr.sin.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &dst.addr.sin.sin_addr) != 1)
    return Status::Usage("coap: '" + host + "' is not an IPv4 address");
  dst.size = sizeof(dst.addr.sin);
  session_ = std::make_unique<Session>();
  session_->ctx = coap_new_context(nullptr);
  if (!session_->ctx) return Status::Failure("coap: cannot make a context");
  coap_register_response_handler(session_->ctx, [](coap_session_t* s, const coap_pdu_t*, const coap_pdu_t* got,
                                                   coap_mid_t) {
    auto* self = static_cast<SensorUplink*>(coap_session_get_app_data(s));
    coap_bin_const_t tok = coap_pdu_get_token(got);
    const auto& want = self->session_->token;
    if (!self->in_flight_ || tok.length != want.size() || !std::equal(want.begin(), want.end(), tok.s))
      return COAP_RESPONSE_OK;  // an answer to an earlier try
    coap_pdu_code_t c = coap_pdu_get_code(got);
    size_t len = 0;
    const uint8_t* data = nullptr;
    coap_get_data(got, &len, &data);
    self->Answered((c >> 5) * 100 + (c & 0x1F), std::string(reinterpret_cast<const char*>(data), len));
    return COAP_RESPONSE_OK;
  });
  coap_register_nack_handler(session_->ctx, [](coap_session_t* s, const coap_pdu_t*, coap_nack_reason_t, coap_mid_t) {
    auto* self = static_cast<SensorUplink*>(coap_session_get_app_data(s));
    if (self->in_flight_) self->Answered(503, "no answer");
  });
  session_->session = coap_new_client_session(session_->ctx, nullptr, &dst, COAP_PROTO_UDP);
  if (!session_->session) return Status::Failure("coap: cannot open a client session");
  coap_session_set_app_data(session_->session, this);
  return Status::Ok();
}

// Samples (each its flat's air temperature with the sensor's noise) and
// uploads that are due.
void SensorUplink::Step(double model_t, int64_t now_s) {
  for (size_t i = 0; i < states_.size(); ++i) {
    State& st = states_[i];
    Sensor& s = plant_->sensors[i];
    if (model_t >= st.next_sample) {
      st.next_sample = std::max(st.next_sample + s.sample_s, model_t);
      const auto& flat = plant_->loops[s.loop].model.buildings()[s.building].flats[s.flat];
      double c = physics::SensorReading(flat.t_air_c, s.rng.Uniform());
      if (now_s > st.last_stamp) {
        st.readings.push_back({now_s, static_cast<int>(std::lround(c * 10))});
        st.last_stamp = now_s;
      }
    }
    if ((model_t >= st.next_upload || st.readings.size() >= kMaxReadings) && !st.readings.empty()) {
      st.next_upload = std::max(st.next_upload + s.upload_s, model_t);
      Queue(i);
    }
  }
}

void SensorUplink::Queue(size_t i) {
  State& st = states_[i];
  queue_.push_back({SensorUploadJson(plant_->sensors[i].address, st.seq++, st.readings), 0});
  st.readings.clear();
  sent_++;
}

void SensorUplink::Poll() {
  if (!session_) return;
  if (!in_flight_ && !queue_.empty() && std::chrono::steady_clock::now() >= session_->retry_at) Send();
  coap_io_process(session_->ctx, COAP_IO_NO_WAIT);
}

void SensorUplink::Send() {
  Upload& u = queue_.front();
  coap_session_t* s = session_->session;
  coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, coap_new_message_id(s),
                                  coap_session_max_pdu_size(s));
  if (!pdu) return;
  uint8_t tok[8], cf[4];
  size_t len = 0;
  coap_session_new_token(s, &len, tok);
  session_->token.assign(tok, tok + len);
  if (!coap_add_token(pdu, len, tok) ||
      !coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, reinterpret_cast<const uint8_t*>("rt")) ||
      !coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(cf, sizeof cf, 50), cf) ||
      !coap_add_data(pdu, u.body.size(), reinterpret_cast<const uint8_t*>(u.body.data()))) {
    coap_delete_pdu(pdu);
    queue_.pop_front();  // cannot be sent: over a datagram
    refused_++;
    return;
  }
  u.tries++;
  in_flight_ = true;
  if (coap_send(s, pdu) == COAP_INVALID_MID) Answered(503, "not sent");
}

void SensorUplink::Answered(int code, const std::string& text) {
  in_flight_ = false;
  if (queue_.empty()) return;
  if (code == 204) {
    acked_++;
    queue_.pop_front();
    return;
  }
  if (code == 503 && queue_.front().tries < kMaxTries) {
    session_->retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    return;
  }
  if (refused_++ < kShowRefused)
    std::cerr << "heatsim: /rt answered " << code / 100 << "." << (code % 100 < 10 ? "0" : "") << code % 100 << " "
              << text << "\n";
  queue_.pop_front();
}

void SensorUplink::Drain(int wait_ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (session_ && (!queue_.empty() || in_flight_) && std::chrono::steady_clock::now() < end) {
    if (!in_flight_ && !queue_.empty() && std::chrono::steady_clock::now() >= session_->retry_at) Send();
    coap_io_process(session_->ctx, 20);
  }
}

}  // namespace heat::sim
