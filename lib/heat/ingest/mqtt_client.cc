#include "heat/ingest/mqtt_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "heat/core/bytes.h"
#include "heat/core/match.h"

namespace heat::ingest {
namespace {

void PutStr(std::string& s, const std::string& v) {
  AppendBigEndian<uint16_t>(s, static_cast<uint16_t>(v.size()));
  s += v;
}

// Fixed header: type/flags byte and the remaining length as a varint.
std::string Packet(uint8_t first, const std::string& body) {
  std::string p(1, static_cast<char>(first));
  size_t n = body.size();
  do {
    uint8_t b = n % 128;
    n /= 128;
    if (n > 0) b |= 0x80;
    p += static_cast<char>(b);
  } while (n > 0);
  return p + body;
}

Status ReadFull(int fd, char* buf, size_t n) {
  for (size_t done = 0; done < n;) {
    ssize_t r = recv(fd, buf + done, n - done, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::Failure("mqtt: connection closed");
    done += static_cast<size_t>(r);
  }
  return Status::Ok();
}

}  // namespace

Status ParseMqttUri(const std::string& uri, std::string* host, int* port) {
  static const std::regex re(R"(^(?:tcp|mqtt)://([^:/]+):(\d{1,5})$)");
  std::smatch m;
  if (!BoundedMatch(uri, m, re)) return Status::Usage("MQTT broker must be tcp://HOST:PORT, got '" + uri + "'");
  *host = m[1];
  *port = std::stoi(m[2]);
  return Status::Ok();
}

Status MqttClient::Send(const std::string& packet) {
  std::lock_guard<std::mutex> lock(send_mu_);
  for (size_t done = 0; done < packet.size();) {
    ssize_t n = send(fd_, packet.data() + done, packet.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Failure(std::string("mqtt: send: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status MqttClient::ReadPacket(MqttPacket& p) {
  return ReadMqttPacket([this](char* buf, size_t n) { return ReadFull(fd_, buf, n); }, p);
}

Status MqttClient::Connect(const std::vector<std::string>& filters, int keepalive_s) {
  Close();
  keepalive_s_ = keepalive_s;
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res) != 0)
    return Status::Failure("mqtt: cannot resolve " + host_);
  fd_ = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int rc = fd_ < 0 ? -1 : connect(fd_, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc != 0) {
    Close();
    return Status::Failure("mqtt: cannot connect to " + host_ + ":" + std::to_string(port_));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string c;
  PutStr(c, "MQTT");
  c += static_cast<char>(4);     // protocol level 3.1.1
  // Flags: clean session off; a will (0x04) at QoS 1 (0x08), retained
  // (0x20) if asked; username (0x80) and password (0x40) when a login is set.
  uint8_t flags = 0;
  if (!will_topic_.empty()) flags |= 0x04 | 0x08 | (will_retain_ ? 0x20 : 0);
  if (!username_.empty()) flags |= 0x80;
  if (!username_.empty() && !password_.empty()) flags |= 0x40;
  c += static_cast<char>(flags);
  AppendBigEndian<uint16_t>(c, static_cast<uint16_t>(keepalive_s));
  PutStr(c, client_id_);
  if (flags & 0x04) {
    PutStr(c, will_topic_);
    PutStr(c, will_payload_);
  }
  if (flags & 0x80) PutStr(c, username_);
  if (flags & 0x40) PutStr(c, password_);
  HEAT_TRY(Send(Packet(0x10, c)));
  MqttPacket ack;
  HEAT_TRY(ReadPacket(ack));
  if ((ack.type >> 4) != 2 || ack.body.size() < 2 || ack.body[1] != 0) {
    Close();
    int code = ack.body.size() >= 2 ? ack.body[1] : -1;
    return Status::Failure("mqtt: broker refused the connection (CONNACK " + std::to_string(code) +
                           (code == 4 || code == 5 ? ": bad user name or password, or not authorised)" : ")"));
  }
  if (!filters.empty()) {
    std::string s;
    AppendBigEndian<uint16_t>(s, 1);
    for (const auto& f : filters) {
      PutStr(s, f);
      s += static_cast<char>(1);  // QoS 1
    }
    HEAT_TRY(Send(Packet(0x82, s)));  // SUBACK arrives through the reader
  }
  broken_ = false;
  reader_ = std::thread([this] { ReadLoop(); });
  return Status::Ok();
}

void MqttClient::ReadLoop() {
  auto last_ping = std::chrono::steady_clock::now();
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    int r = poll(&p, 1, 1000);
    auto now = std::chrono::steady_clock::now();
    if (now - last_ping > std::chrono::seconds(keepalive_s_ / 2 + 1)) {
      if (!Send(Packet(0xC0, "")).ok()) break;
      last_ping = now;
    }
    if (r == 0) continue;
    if (r < 0 && errno == EINTR) continue;
    MqttPacket in;
    if (r < 0 || !ReadPacket(in).ok()) break;
    if ((in.type >> 4) == 4) acked_++;  // PUBACK of something we published
    if ((in.type >> 4) != 3) continue;  // SUBACK, PINGRESP: nothing to do
    auto m = ParsePublish(in);
    if (!m.ok()) break;  // malformed: drop the connection
    std::lock_guard<std::mutex> lock(mu_);
    inbox_.push_back(std::move(m).value());
    cv_.notify_one();
  }
  std::lock_guard<std::mutex> lock(mu_);
  broken_ = true;
  cv_.notify_all();
}

Result<std::vector<MqttMessage>> MqttClient::Take(size_t max, int wait_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return broken_ || !inbox_.empty(); });
  std::vector<MqttMessage> out;
  while (!inbox_.empty() && out.size() < max) {
    out.push_back(std::move(inbox_.front()));
    inbox_.pop_front();
  }
  if (out.empty() && (broken_ || fd_ < 0)) return Status::Failure("mqtt: not connected");
  return out;
}

Status MqttClient::Ack(uint16_t packet_id) {
  if (packet_id == 0) return Status::Ok();
  std::string b;
  AppendBigEndian<uint16_t>(b, packet_id);
  return Send(Packet(0x40, b));
}

Status MqttClient::Publish(const std::string& topic, const std::string& payload, bool retain) {
  std::string b;
  PutStr(b, topic);
  uint16_t id;
  {
    std::lock_guard<std::mutex> lock(send_mu_);
    id = ++next_id_ == 0 ? ++next_id_ : next_id_;
  }
  AppendBigEndian<uint16_t>(b, id);
  b += payload;
  HEAT_TRY(Send(Packet(static_cast<uint8_t>(0x32 | (retain ? 1 : 0)), b)));
  published_++;
  return Status::Ok();
}

void MqttClient::Close() {
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
  if (reader_.joinable()) reader_.join();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  std::lock_guard<std::mutex> lock(mu_);
  inbox_.clear();  // not acked: the broker sends them again
  broken_ = false;
}

}  // namespace heat::ingest
