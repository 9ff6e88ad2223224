// sim/run_mqtt.cc — a control box: status, telemetry, commands.
#include "heat/sim/run_mqtt.h"

#include <unistd.h>

#include <cmath>
#include <iostream>

namespace heat::sim {

int BoxDecimals(const std::string& tag) {
  if (tag.size() == 3 && tag[0] == 'p' && (tag[1] == '1' || tag[1] == '2')) return 4;  // p1s .. p2r, MPa
  if (tag == "q1") return 4;                         // GJ
  if (tag == "f1" || tag == "f2" || tag == "lvl" || tag == "mw_m3") return 3;
  if (tag == "pw1" || tag == "kwh") return 1;
  return 2;
}

namespace {

double RoundTo(double v, int decimals) {
  double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

}  // namespace

std::string BoxTelemetryJson(const physics::Station& st, int64_t ts_ms, int64_t seq) {
  nlohmann::json v = nlohmann::json::object();
  for (const auto& [tag, value] : st.Tags()) v[tag] = RoundTo(value, BoxDecimals(tag));
  v["manual"] = st.valve().forced_manual() ? 1 : 0;
  return nlohmann::json{{"ts", ts_ms}, {"seq", seq}, {"v", v}}.dump();
}

Box::Box(std::string host, int port, std::string prefix, Loop* loop)
    : prefix_(std::move(prefix)), loop_(loop),
      mqtt_(std::move(host), port, "heatsim-" + loop->station + "-" + std::to_string(getpid())) {
  mqtt_.SetWill(Topic("status"), "offline", true);
}

Status Box::Start() {
  HEAT_TRY(mqtt_.Connect({Topic("cmd")}).With(loop_->station));
  HEAT_TRY(mqtt_.Publish(Topic("status"), "online", true));
  up_ = true;
  return Status::Ok();
}

void Box::Poll(int64_t now_ms) {
  if (!up_) return Reconnect();
  auto got = mqtt_.Take(64, 0);
  if (!got.ok()) {
    std::cerr << "heatsim: " << loop_->station << ": " << got.status().message() << "; reconnecting\n";
    up_ = false;
    retry_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    return;
  }
  for (const auto& m : *got) {
    commands_++;
    // An oversized payload arrives empty: answered code 1 like any junk.
    auto a = desk_.Handle(m.oversized ? std::string_view("") : std::string_view(m.payload),
                          static_cast<double>(now_ms), loop_->model);
    if (a) Answer(*a);
    (void)mqtt_.Ack(m.packet_id);  // a failure shows in the next Take
  }
  if (auto a = desk_.Poll(loop_->model)) Answer(*a);
}

void Box::Answer(const CmdAck& a) {
  Status s = mqtt_.Publish(Topic("cmd/ack"), AckJson(a));
  if (!s.ok()) std::cerr << "heatsim: " << loop_->station << ": ack " << a.id << ": " << s.message() << "\n";
}

void Box::Reconnect() {
  if (std::chrono::steady_clock::now() < retry_at_) return;
  retry_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  if (Start().ok()) std::cerr << "heatsim: " << loop_->station << ": reconnected\n";
}

void Box::PublishTelemetry(int64_t now_ms, int64_t seq) {
  if (!up_) return;
  Status s = mqtt_.Publish(Topic("telemetry"), BoxTelemetryJson(loop_->model, now_ms, seq));
  if (!s.ok()) std::cerr << "heatsim: " << loop_->station << ": telemetry: " << s.message() << "\n";
}

void Box::PublishOffline() {
  if (up_ && !mqtt_.Publish(Topic("status"), "offline", true).ok()) up_ = false;  // the will says it
}

void Box::Close() {
  mqtt_.Close();
  up_ = false;
}

}  // namespace heat::sim
