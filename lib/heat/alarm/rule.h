// alarm/rule.h — alarm rules (ALM-1..3) and where they apply.
//
// A rule watches one tag (or, for communication loss and a valve that
// does not follow, a device) and is attached at one level: every station,
// a network, a process type, a device kind, a station or a point. For a
// given point several rules of one code may apply; the most specific
// level wins (point > station > device_kind > process_type > network >
// all), so a station overrides the network's rule, or switches it off by
// a disabled rule of its own. Bind() resolves the rules into bindings, one
// per rule and watched source, that the evaluator (alarm/condition.h)
// runs on readings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::alarm {

enum class RuleKind {
  kHigh,          // value > limit; clears below limit − deadband
  kLow,           // value < limit; clears above limit + deadband
  kDeviation,     // |value − ref| > limit (control deviation against a setpoint tag)
  kRate,          // |Δvalue| per minute between readings > limit
  kDifference,    // value − ref < limit (ΔP low: p1s − p1r); clears above limit + deadband
  kState,         // (integer value & limit) != 0: a fault or state bit
  kFrozen,        // count readings in a row with the same value
  kOutOfRange,    // the transmitter reports outside its physical range (quality bit 1)
  kNotFollowing,  // heatd-control found the valve not following its command (a station's box or PLC)
  kCommLoss,      // nothing from the device within count × its upload period
};

// "high", "comm_loss", ...: the names of the database and the command line.
const char* KindName(RuleKind k);
Result<RuleKind> ParseKind(std::string_view name);
// Whether the kind watches a device rather than a tag.
bool WatchesDevice(RuleKind k);

enum class Attach { kAll, kNetwork, kProcessType, kDeviceKind, kStation, kPoint };
const char* AttachName(Attach a);
Result<Attach> ParseAttach(std::string_view name);

struct Rule {
  int id = 0;
  std::string code;
  Attach attach = Attach::kAll;
  std::string attach_to;  // network code, process type, device kind, station or point code
  RuleKind kind = RuleKind::kHigh;
  std::string tag, ref_tag;
  double limit = 0;
  double deadband = 0;
  int on_delay_s = 0, off_delay_s = 0;
  int count = 0;  // frozen: readings; comm_loss: upload periods (0: 3)
  int priority = 3;
  std::string message_zh, message_en;
  std::vector<std::string> notify;
  bool enabled = true;
};

// What a point or a device is, for matching rules to it.
struct Place {
  int station_id = 0;  // 0: not placed at a station
  std::string station_code, network_code, process_type;
  std::string device_code, device_kind;
};

struct PointInfo {
  int id = 0;
  std::string code, tag;
  int device_id = 0;
  Place place;
};

struct DeviceInfo {
  int id = 0;
  std::string code, protocol;
  double period_s = 0;  // expected upload (or poll) period
  Place place;
};

// One rule applied to one source: a point (and, for deviation and
// difference, its reference point of the same device or station) or a
// device.
struct Binding {
  const Rule* rule = nullptr;
  std::string source;     // the point's or the device's code
  int station_id = 0;
  int point_id = 0;       // 0 for device rules
  int ref_point_id = 0;   // deviation, difference
  int device_id = 0;
  double period_s = 0;    // comm_loss: the device's upload period
};

// Resolves enabled rules into bindings (rules must outlive them). A
// deviation or difference rule binds only where its ref_tag exists at the
// same station (or device, when unplaced).
std::vector<Binding> Bind(const std::vector<Rule>& rules, const std::vector<PointInfo>& points,
                          const std::vector<DeviceInfo>& devices);

// ISA-18.2's state of the heat.alarm row named `a`, as a SQL expression:
// UNACK (active, not acknowledged), ACKED, RTN-UNACK (cleared before anyone
// acknowledged it), CLOSED. One text for every listing and announcement.
inline constexpr const char* kAlarmStateSql =
    "CASE WHEN a.active AND NOT a.acked THEN 'UNACK' WHEN a.active THEN 'ACKED'"
    " WHEN NOT a.acked THEN 'RTN-UNACK' ELSE 'CLOSED' END";

// The rule's message for a source with {source}, {value}, {limit} and
// {station} filled in; a default one when the rule has none.
std::string RenderMessage(const Rule& r, const std::string& source, const std::string& station, double value,
                          bool chinese);

}  // namespace heat::alarm
