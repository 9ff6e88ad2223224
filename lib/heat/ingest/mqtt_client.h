// ingest/mqtt_client.h — a minimal MQTT 3.1.1 subscriber whose PUBACK the
// application sends, after the message is durable.
//
// Why not Paho (DESIGN §2 names it): Paho C acknowledges a QoS 1 PUBLISH as
// soon as it arrives, before the application has seen it ("send puback
// before processing the publications"), so a kill -9 loses what sits in
// its queue; tests/integration/ingest_loss_test.sh showed exactly that.
// This client speaks just what heatd-ingest needs — CONNECT with a
// persistent session, SUBSCRIBE QoS 1, PUBLISH in, PUBACK out, PINGREQ —
// and leaves the acknowledgement to the caller. Acks must go out in the
// order the messages came in (MQTT 3.1.1 §4.6); Ack() enforces it by
// acknowledging everything up to a packet in arrival order.
//
// Thread model: Connect() starts a reader thread that parses packets and
// queues PUBLISHes; Take() hands them out in order; Ack() may be called
// from any thread. A broken connection makes Take() return kFailure;
// call Connect() again (the broker redelivers whatever was not acked).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "heat/core/status.h"
#include "heat/ingest/mqtt_packet.h"

namespace heat::ingest {

class MqttClient {
 public:
  MqttClient(std::string host, int port, std::string client_id)
      : host_(std::move(host)), port_(port), client_id_(std::move(client_id)) {}
  ~MqttClient() { Close(); }

  // Broker login (CONNECT username and password); empty: none.
  void SetLogin(std::string username, std::string password) {
    username_ = std::move(username);
    password_ = std::move(password);
  }
  // A Last Will (QoS 1) the broker publishes when the connection breaks
  // without a DISCONNECT: a device's retained "offline" status. Empty: none.
  void SetWill(std::string topic, std::string payload, bool retain) {
    will_topic_ = std::move(topic);
    will_payload_ = std::move(payload);
    will_retain_ = retain;
  }
  // Connects (clean session off), subscribes each filter at QoS 1.
  Status Connect(const std::vector<std::string>& filters, int keepalive_s = 30);
  // Up to max messages in arrival order, waiting up to wait_ms for the
  // first; kFailure when the connection is gone.
  Result<std::vector<MqttMessage>> Take(size_t max, int wait_ms);
  // Acknowledges a QoS 1 message (and must be called in arrival order).
  Status Ack(uint16_t packet_id);
  // Publishes at QoS 1 (for heatsim and tests); acked() counts the
  // broker's PUBACKs. Connect with no filters to only publish.
  Status Publish(const std::string& topic, const std::string& payload, bool retain = false);
  uint64_t published() const { return published_; }
  uint64_t acked() const { return acked_; }
  // A PUBLISH over kMaxMqttBody arrives with its payload dropped (oversized).
  void Close();
  bool connected() const { return fd_ >= 0 && !broken_; }

 private:
  Status Send(const std::string& packet);
  void ReadLoop();
  Status ReadPacket(MqttPacket& p);

  std::string host_;
  std::string username_, password_;
  std::string will_topic_, will_payload_;
  bool will_retain_ = false;
  int port_;
  std::string client_id_;
  int fd_ = -1;
  std::mutex send_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<MqttMessage> inbox_;
  bool broken_ = false;
  std::thread reader_;
  int keepalive_s_ = 30;
  uint16_t next_id_ = 0;
  std::atomic<uint64_t> published_{0}, acked_{0};
};

// "tcp://127.0.0.1:1883" -> host, port; kUsage otherwise.
Status ParseMqttUri(const std::string& uri, std::string* host, int* port);

}  // namespace heat::ingest
