#include "heat/sim/coap_load.h"

#include <arpa/inet.h>
#include <coap3/coap.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <iostream>
#include <memory>
#include <numbers>
#include <vector>

#include "heat/db/conn.h"
#include "heat/sim/meter_frames.h"

namespace heat::sim {
namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<uint8_t>;

volatile std::sig_atomic_t g_stop = 0;
constexpr int kMaxTries = 20;          // per upload, then it counts as failed
constexpr int kMeterStepS = 60;        // between a meter's clocks (M-Bus type F has no seconds)
constexpr int kMaxMeterFrames = 1380;  // 23 h of minutes: within the server's day of trust

struct Device {
  std::string address, protocol;
  bool meter = false;
  int index = 0;   // among the sensors, or among the meters: the values follow it
  int points = 0;  // readings one frame of a meter lands on
};

Result<std::vector<Device>> DevicesFromDb(int want_sensors, int want_meters) {
  HEAT_ASSIGN(db::Conn c, db::Conn::Open("", "heatsim"));
  HEAT_ASSIGN(db::Rows r, c.Query(
      "SELECT d.address, d.protocol, d.kind = 'heat_meter' AS meter, count(p.id) FILTER (WHERE p.tag IN"
      " ('heat', 'volume', 'power', 'flow', 't_sup', 't_ret', 'hours')) AS points,"
      " coalesce(bool_or(p.tag = 'temp'), false) AS temp"
      " FROM heat.device d LEFT JOIN heat.point p ON p.device_id = d.id WHERE d.address IS NOT NULL"
      " AND ((d.kind = 'room_sensor' AND d.protocol = 'coap') OR"
      "      (d.kind = 'heat_meter' AND d.protocol IN ('cjt188', 'mbus')))"
      " GROUP BY d.id ORDER BY d.kind = 'heat_meter', d.code"));
  std::vector<Device> out;
  int sensors = 0, meters = 0;
  for (int i = 0; i < r.size(); ++i) {
    Device d{r.get(i, "address"), r.get(i, "protocol"), r.get_bool(i, "meter"), 0,
             static_cast<int>(r.get_int(i, "points"))};
    if (d.meter ? d.points == 0 : !r.get_bool(i, "temp")) continue;  // the server would not know it
    if (d.meter && !EncodeMeterFrame(d.protocol, d.address, MeterValues{}).ok()) {
      std::cerr << "heatsim: skipping meter " << d.address << ": not a " << d.protocol << " address\n";
      continue;
    }
    int& n = d.meter ? meters : sensors;
    if ((d.meter ? want_meters : want_sensors) >= 0 && n >= (d.meter ? want_meters : want_sensors)) continue;
    d.index = n++;
    out.push_back(std::move(d));
  }
  if (want_sensors > sensors)
    return Status::NotFound("only " + std::to_string(sensors) + " room sensors (coap, with a temp point) in the database");
  if (want_meters > meters)
    return Status::NotFound("only " + std::to_string(meters) + " heat meters (cjt188/mbus, with points) in the database");
  if (out.empty()) return Status::NotFound("no room sensors or heat meters to play; import a network first");
  return out;
}

class Runner {
 public:
  Runner(const CoapLoadOptions& opt, std::vector<Device> devices)
      : opt_(opt), devices_(std::move(devices)),
        total_(static_cast<int64_t>(opt.uploads) * static_cast<int64_t>(devices_.size())) {}
  ~Runner();
  Status Start();
  Result<CoapLoadReport> Run();

 private:
  struct Slot {
    Runner* runner = nullptr;
    coap_session_t* session = nullptr;
    int64_t job = -1;   // upload being made; -1 idle
    Bytes body, token;
    int readings = 0, tries = 0;
    bool meter = false, in_flight = false;
    Clock::time_point retry_at{};
  };

  static coap_response_t OnResponse(coap_session_t* s, const coap_pdu_t*, const coap_pdu_t* got, coap_mid_t);
  static void OnNack(coap_session_t* s, const coap_pdu_t* sent, coap_nack_reason_t, coap_mid_t);
  static Slot* SlotOf(coap_session_t* s, const coap_pdu_t* pdu);
  Status Pump();
  Status Take(Slot& s);
  Status Send(Slot& s);
  void Answered(Slot& s, int code, const std::string& text);
  void TryAgain(Slot& s);
  Bytes SensorBody(const Device& d, int64_t round) const;
  Result<Bytes> MeterBody(const Device& d, int64_t round) const;
  void Progress();

  const CoapLoadOptions& opt_;
  std::vector<Device> devices_;
  int64_t total_, next_ = 0;
  std::unique_ptr<Slot[]> slots_;
  coap_context_t* ctx_ = nullptr;
  Clock::time_point start_, last_progress_;
  int64_t sensor_end_s_ = 0, meter_end_s_ = 0;  // the newest reading time of the run
  CoapLoadReport rep_;
};

Runner::~Runner() {
  for (int i = 0; slots_ && i < opt_.sessions; ++i)
    if (slots_[i].session) coap_session_release(slots_[i].session);
  if (ctx_) coap_free_context(ctx_);
}

Status Runner::Start() {
  coap_address_t dst;
  coap_address_init(&dst);
  dst.addr.sin.sin_family = AF_INET;
  dst.addr.sin.sin_port = htons(static_cast<uint16_t>(opt_.port));
  if (inet_pton(AF_INET, opt_.host.c_str(), &dst.addr.sin.sin_addr) != 1)
    return Status::Usage("coap: '" + opt_.host + "' is not an IPv4 address");
  dst.size = sizeof(dst.addr.sin);
  ctx_ = coap_new_context(nullptr);
  if (!ctx_) return Status::Failure("coap: cannot make a context");
  coap_register_response_handler(ctx_, OnResponse);
  coap_register_nack_handler(ctx_, OnNack);
  slots_ = std::make_unique<Slot[]>(static_cast<size_t>(opt_.sessions));
  for (int i = 0; i < opt_.sessions; ++i) {
    Slot& s = slots_[i];
    s.runner = this;
    s.session = coap_new_client_session(ctx_, nullptr, &dst, COAP_PROTO_UDP);
    if (!s.session) return Status::Failure("coap: cannot open client session " + std::to_string(i));
    coap_session_set_app_data(s.session, &s);
    coap_session_set_mtu(s.session, 1400);  // the server reads datagrams of up to 1472 bytes
  }
  int64_t now = std::time(nullptr);
  sensor_end_s_ = now - now % opt_.sample_s;
  meter_end_s_ = now - now % kMeterStepS;
  return Status::Ok();
}

Result<CoapLoadReport> Runner::Run() {
  start_ = last_progress_ = Clock::now();
  for (;;) {
    HEAT_TRY(Pump());
    bool busy = false;
    for (int i = 0; i < opt_.sessions; ++i) busy = busy || slots_[i].job >= 0;
    if (!busy && (next_ == total_ || g_stop)) break;
    coap_io_process(ctx_, 20);
    if (!opt_.quiet) Progress();
  }
  return rep_;
}

// Gives idle sessions the next upload, sends retries that are due. After
// SIGTERM, uploads waiting for a retry are given up.
Status Runner::Pump() {
  auto now = Clock::now();
  for (int i = 0; i < opt_.sessions; ++i) {
    Slot& s = slots_[i];
    if (s.job >= 0 && !s.in_flight && g_stop) {
      rep_.failed++;
      s.job = -1;
    }
    if (s.job < 0 && !g_stop && next_ < total_) HEAT_TRY(Take(s));
    if (s.job >= 0 && !s.in_flight && now >= s.retry_at) HEAT_TRY(Send(s));
  }
  return Status::Ok();
}

// The next upload, unless its round may not start yet (period_ms).
Status Runner::Take(Slot& s) {
  int64_t round = next_ / static_cast<int64_t>(devices_.size());
  if (opt_.period_ms > 0 && Clock::now() < start_ + std::chrono::milliseconds(round * opt_.period_ms))
    return Status::Ok();
  const Device& d = devices_[static_cast<size_t>(next_ % static_cast<int64_t>(devices_.size()))];
  if (d.meter) {
    HEAT_ASSIGN(s.body, MeterBody(d, round));
  } else {
    s.body = SensorBody(d, round);
  }
  s.meter = d.meter;
  s.readings = d.meter ? d.points * opt_.frames : opt_.readings;
  s.job = next_++;
  s.tries = 0;
  s.retry_at = Clock::time_point{};
  rep_.sent++;
  return Status::Ok();
}

Status Runner::Send(Slot& s) {
  coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, coap_new_message_id(s.session),
                                  coap_session_max_pdu_size(s.session));
  if (!pdu) return Status::Failure("coap: out of memory");
  uint8_t tok[8];
  size_t len = 0;
  coap_session_new_token(s.session, &len, tok);
  s.token.assign(tok, tok + len);
  uint8_t cf[4];
  unsigned format = s.meter ? 42 : opt_.cbor ? 60 : 50;
  const char* path = s.meter ? "hm" : "rt";
  if (!coap_add_token(pdu, len, tok) || !coap_add_option(pdu, COAP_OPTION_URI_PATH, 2, reinterpret_cast<const uint8_t*>(path)) ||
      !coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(cf, sizeof cf, format), cf) ||
      !coap_add_data(pdu, s.body.size(), s.body.data())) {
    coap_delete_pdu(pdu);
    return Status::Usage("coap: an upload of " + std::to_string(s.body.size()) +
                         " bytes does not fit one datagram; fewer --readings or --frames, or --cbor");
  }
  s.in_flight = true;
  s.tries++;
  if (coap_send(s.session, pdu) == COAP_INVALID_MID) TryAgain(s);  // libcoap freed the PDU
  return Status::Ok();
}

Runner::Slot* Runner::SlotOf(coap_session_t* session, const coap_pdu_t* pdu) {
  auto* s = static_cast<Slot*>(coap_session_get_app_data(session));
  if (!s || !pdu || s->job < 0 || !s->in_flight) return nullptr;
  coap_bin_const_t tok = coap_pdu_get_token(pdu);
  // An answer to an earlier try or upload (a retransmission the server
  // handled twice) has another token and is ignored.
  if (tok.length != s->token.size() || !std::equal(s->token.begin(), s->token.end(), tok.s)) return nullptr;
  return s;
}

coap_response_t Runner::OnResponse(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* got, coap_mid_t) {
  Slot* s = SlotOf(session, got);
  if (!s) return COAP_RESPONSE_OK;
  coap_pdu_code_t c = coap_pdu_get_code(got);
  size_t len = 0;
  const uint8_t* data = nullptr;
  coap_get_data(got, &len, &data);
  s->runner->Answered(*s, (c >> 5) * 100 + (c & 0x1F), std::string(reinterpret_cast<const char*>(data), len));
  return COAP_RESPONSE_OK;
}

void Runner::OnNack(coap_session_t* session, const coap_pdu_t* sent, coap_nack_reason_t, coap_mid_t) {
  if (Slot* s = SlotOf(session, sent)) s->runner->TryAgain(*s);
}

void Runner::Answered(Slot& s, int code, const std::string& text) {
  if (code == 503) return TryAgain(s);
  s.in_flight = false;
  s.job = -1;
  if (code == 204) {
    rep_.acked++;
    rep_.readings += s.readings;
    (s.meter ? rep_.meter_readings : rep_.sensor_readings) += s.readings;
    return;
  }
  if (rep_.refused++ < 5)  // the first few reasons say what is wrong with all of them
    std::cerr << "heatsim: " << (s.meter ? "/hm" : "/rt") << " refused " << code / 100 << "."
              << (code % 100 < 10 ? "0" : "") << code % 100 << " " << text << "\n";
}

// The device keeps its readings and tries again, waiting longer each time.
void Runner::TryAgain(Slot& s) {
  s.in_flight = false;
  if (s.tries >= kMaxTries) {
    rep_.failed++;
    s.job = -1;
    return;
  }
  rep_.retries++;
  s.retry_at = Clock::now() + std::chrono::milliseconds(std::min(5000, 100 * s.tries));
}

// Readings of round `round` of every sensor: all rounds together are the
// readings × uploads samples up to sensor_end_s_, oldest first.
Bytes Runner::SensorBody(const Device& d, int64_t round) const {
  nlohmann::json r = nlohmann::json::array();
  int64_t k = opt_.readings;
  int64_t back = (opt_.uploads - 1 - round) * k + k - 1;  // samples before the end, of the first reading
  for (int64_t i = 0; i < k; ++i) {
    int64_t ts = sensor_end_s_ - (back - i) * opt_.sample_s;
    r.push_back({ts, SensorDeciC(d.index, ts)});
  }
  nlohmann::json j = {{"id", d.address}, {"seq", opt_.first_seq + round}, {"rssi", -70 - d.index % 40}, {"r", r}};
  if (opt_.cbor) return nlohmann::json::to_cbor(j);
  std::string s = j.dump();
  return Bytes(s.begin(), s.end());
}

Result<Bytes> Runner::MeterBody(const Device& d, int64_t round) const {
  Bytes body;
  int64_t back = (opt_.uploads - 1 - round) * opt_.frames + opt_.frames - 1;
  for (int64_t f = 0; f < opt_.frames; ++f) {
    int64_t t = meter_end_s_ - (back - f) * kMeterStepS;
    uint8_t counter = static_cast<uint8_t>((opt_.first_seq + round) * opt_.frames + f);
    HEAT_ASSIGN(Bytes frame, EncodeMeterFrame(d.protocol, d.address, MeterValuesAt(d.index, t), counter));
    body.insert(body.end(), frame.begin(), frame.end());
  }
  return body;
}

void Runner::Progress() {
  auto now = Clock::now();
  if (now - last_progress_ < std::chrono::seconds(1)) return;
  last_progress_ = now;
  std::cerr << "heatsim: " << rep_.sent << "/" << total_ << " uploads sent, " << rep_.acked << " acked, "
            << rep_.retries << " tried again, " << rep_.readings << " readings\n";
}

}  // namespace

int SensorDeciC(int index, int64_t t_s) {
  double day = static_cast<double>(((t_s % 86400) + 86400) % 86400) / 86400.0;
  double phase = static_cast<double>(index * 37 % 100) / 100.0;
  // Rooms between 19 and 23 °C, each a little warmer by day.
  return 190 + index % 31 + static_cast<int>(std::lround(12 * std::sin(2 * std::numbers::pi * (day + phase))));
}

Result<CoapLoadReport> RunCoapLoad(const CoapLoadOptions& opt) {
  if (opt.frames * opt.uploads > kMaxMeterFrames && opt.meters != 0)
    return Status::Usage("meters: --uploads × --frames is at most " + std::to_string(kMaxMeterFrames) +
                         " (a frame a minute, all within the last day)");
  HEAT_ASSIGN(std::vector<Device> devices, DevicesFromDb(opt.sensors, opt.meters));
  coap_startup();
  // libcoap logs to stdout, where our report goes; its warnings (one per
  // retransmission to a closed port) add nothing the counters do not say.
  coap_set_log_level(LOG_ERR);
  coap_set_log_handler([](coap_log_t, const char* m) { std::cerr << "heatsim: libcoap: " << m; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGINT, [](int) { g_stop = 1; });
  Runner r(opt, std::move(devices));
  HEAT_TRY(r.Start());
  return r.Run();
}

}  // namespace heat::sim
