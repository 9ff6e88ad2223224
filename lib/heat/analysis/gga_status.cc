// Status rules between trials (gga.h): a check valve closes against reverse
// flow, a pump that cannot lift the head shuts (XHEAD), a PRV/PSV/FCV
// switches between holding its setting and acting as an open or closed
// valve, and a link may not fill a full tank or drain an empty one. The
// tolerances are EPANET's: 0.0005 ft of head, 0.0001 cfs of flow.
#include <cmath>

#include "heat/analysis/gga.h"

namespace heat::analysis::gga {
namespace {

constexpr double kTiny = 1e-6;

LinkState CheckValve(const Model& m, LinkState s, double dh, double q) {
  if (std::fabs(dh) > m.htol) {
    if (dh < -m.htol || q < -m.qtol) return LinkState::kClosed;
    return LinkState::kOpen;
  }
  return q < -m.qtol ? LinkState::kClosed : s;
}

// dh: head gain asked of the pump.
LinkState Pump(const Model& m, const State& s, size_t k, double dh) {
  const PumpModel& p = m.pumps[m.links[k].pump];
  double hmax = 1e10;
  if (p.type == PumpModel::Type::kConstPower) {
    if (s.flow[k] < kTiny) return LinkState::kTempClosed;
  } else {
    hmax = s.setting[k] * s.setting[k] * p.hmax;
  }
  return dh > hmax + m.htol ? LinkState::kXHead : LinkState::kOpen;
}

LinkState Prv(const Model& m, const State& s, size_t k, double hset) {
  const MLink& l = m.links[k];
  double q = s.flow[k], h1 = s.head[l.n1], h2 = s.head[l.n2], tol = m.htol;
  double hml = l.pipe.km * q * q;  // loss when fully open
  switch (s.status[k]) {
    case LinkState::kActive:
      if (q < -m.qtol) return LinkState::kClosed;
      return h1 - hml < hset - tol ? LinkState::kOpen : LinkState::kActive;
    case LinkState::kOpen:
      if (q < -m.qtol) return LinkState::kClosed;
      return h2 >= hset + tol ? LinkState::kActive : LinkState::kOpen;
    case LinkState::kClosed:
      if (h1 >= hset + tol && h2 < hset - tol) return LinkState::kActive;
      if (h1 < hset - tol && h1 > h2 + tol) return LinkState::kOpen;
      return LinkState::kClosed;
    case LinkState::kXPressure:
      return q < -m.qtol ? LinkState::kClosed : LinkState::kXPressure;
    default:
      return s.status[k];
  }
}

LinkState Psv(const Model& m, const State& s, size_t k, double hset) {
  const MLink& l = m.links[k];
  double q = s.flow[k], h1 = s.head[l.n1], h2 = s.head[l.n2], tol = m.htol;
  double hml = l.pipe.km * q * q;
  switch (s.status[k]) {
    case LinkState::kActive:
      if (q < -m.qtol) return LinkState::kClosed;
      return h2 + hml > hset + tol ? LinkState::kOpen : LinkState::kActive;
    case LinkState::kOpen:
      if (q < -m.qtol) return LinkState::kClosed;
      return h1 < hset - tol ? LinkState::kActive : LinkState::kOpen;
    case LinkState::kClosed:
      if (h2 > hset + tol && h1 > h2 + tol) return LinkState::kOpen;
      if (h1 >= hset + tol && h1 > h2 + tol) return LinkState::kActive;
      return LinkState::kClosed;
    case LinkState::kXPressure:
      return q < -m.qtol ? LinkState::kClosed : LinkState::kXPressure;
    default:
      return s.status[k];
  }
}

// An FCV that cannot pass its setting (reverse head or flow) acts as an
// open valve (XFCV) until its flow reaches the setting again.
LinkState Fcv(const Model& m, const State& s, size_t k, LinkState st) {
  const MLink& l = m.links[k];
  double q = s.flow[k], dh = s.head[l.n1] - s.head[l.n2];
  if (dh < -m.htol || q < -m.qtol) return LinkState::kXFcv;
  if (st == LinkState::kXFcv && q >= s.setting[k]) return LinkState::kActive;
  if (st == LinkState::kActive && dh / (q * q) < l.pipe.km) return LinkState::kXFcv;
  return st;
}

// q: flow out of the tank at node n.
void Tank(const Model& m, State& s, size_t k, int n, double q) {
  if (s.status[k] <= LinkState::kClosed || !m.is_tank[n]) return;
  if ((s.head[n] >= m.tank_max[n] && q < 0.0) || (s.head[n] <= m.tank_min[n] && q > 0.0)) {
    s.status[k] = LinkState::kTempClosed;
  }
}

void OneLinkStatus(const Model& m, State& s, size_t k) {
  const MLink& l = m.links[k];
  double dh = s.head[l.n1] - s.head[l.n2];
  LinkState before = s.status[k];
  if (before == LinkState::kXHead || before == LinkState::kTempClosed) {
    s.status[k] = LinkState::kOpen;
  }
  if (l.type == Type::kCvPipe) s.status[k] = CheckValve(m, s.status[k], dh, s.flow[k]);
  if (l.type == Type::kPump && s.status[k] >= LinkState::kOpen && s.setting[k] > 0.0) {
    s.status[k] = Pump(m, s, k, -dh);
  }
  if (l.type == Type::kFcv && s.setting[k] != kMissing) s.status[k] = Fcv(m, s, k, before);
  if (m.row[l.n1] < 0) Tank(m, s, k, l.n1, s.flow[k]);
  if (m.row[l.n2] < 0) Tank(m, s, k, l.n2, -s.flow[k]);
}

}  // namespace

bool ValveStatus(const Model& m, State& s) {
  bool change = false;
  for (size_t k = 0; k < m.links.size(); ++k) {
    const MLink& l = m.links[k];
    if (s.setting[k] == kMissing) continue;
    LinkState before = s.status[k];
    if (l.type == Type::kPrv) {
      s.status[k] = Prv(m, s, k, m.elevation[l.n2] + s.setting[k]);
    } else if (l.type == Type::kPsv) {
      s.status[k] = Psv(m, s, k, m.elevation[l.n1] + s.setting[k]);
    }
    change |= s.status[k] != before;
  }
  return change;
}

bool LinkStatus(const Model& m, State& s) {
  bool change = false;
  for (size_t k = 0; k < m.links.size(); ++k) {
    LinkState before = s.status[k];
    OneLinkStatus(m, s, k);
    change |= s.status[k] != before;
  }
  return change;
}

bool BadValve(const Model& m, State& s, int node) {
  for (size_t k = 0; k < m.links.size(); ++k) {
    const MLink& l = m.links[k];
    if (l.type < Type::kPrv || (l.n1 != node && l.n2 != node)) continue;
    bool control = l.type == Type::kPrv || l.type == Type::kPsv || l.type == Type::kFcv;
    if (!control || s.status[k] != LinkState::kActive) return false;
    s.status[k] = l.type == Type::kFcv ? LinkState::kXFcv : LinkState::kXPressure;
    return true;
  }
  return false;
}

}  // namespace heat::analysis::gga
