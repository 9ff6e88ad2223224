// Link coefficients and the nodal equations of one trial (gga.h). The
// equations are the Todini–Pilati ones, A·H = F, with a control valve that
// holds its setting written as a fixed head (PRV, PSV) or a fixed flow
// (FCV), as EPANET does.
#include <algorithm>
#include <cmath>

#include "heat/analysis/gga.h"

namespace heat::analysis::gga {
namespace {

Coeff ValveCoeff(LinkState status, double km, double flow) {
  if (status <= LinkState::kClosed) return ClosedCoeff(flow);
  return OpenValveCoeff(km, flow);
}

// A PBV holds its loss unless its own minor loss is larger already.
Coeff PbvCoeff(const MLink& l, LinkState status, double setting, double flow) {
  if (setting == kMissing || setting == 0.0 || l.pipe.km * flow * flow > setting) {
    return ValveCoeff(status, l.pipe.km, flow);
  }
  return {kCBig, setting * kCBig};
}

Coeff TcvCoeff(const MLink& l, LinkState status, double setting, double flow) {
  double km = l.pipe.km;
  if (setting != kMissing) km = MinorLossCoeff(setting, l.pipe.diameter);
  return ValveCoeff(status, km, flow);
}

Coeff OneLinkCoeff(const Model& m, const State& s, size_t k) {
  const MLink& l = m.links[k];
  LinkState st = s.status[k];
  double q = s.flow[k], set = s.setting[k];
  switch (l.type) {
    case Type::kCvPipe:
    case Type::kPipe:
      if (st <= LinkState::kClosed) return ClosedCoeff(q);
      return PipeCoeff(m.friction, l.pipe, q);
    case Type::kPump:
      if (st <= LinkState::kClosed || set == 0.0) return ClosedCoeff(q);
      return PumpCoeff(m.pumps[l.pump], set, q);
    case Type::kPbv: return PbvCoeff(l, st, set, q);
    case Type::kTcv: return TcvCoeff(l, st, set, q);
    case Type::kGpv:
      if (st == LinkState::kClosed) return ClosedCoeff(q);
      return GpvCoeff(m.curves[l.curve], q);
    case Type::kPrv:
    case Type::kPsv:
    case Type::kFcv:
      if (set == kMissing) return ValveCoeff(st, l.pipe.km, q);
      return {0.0, 0.0};  // written into the equations by Assemble
  }
  return ClosedCoeff(q);
}

// Adds link k (P, Y) between its end nodes; a fixed-head end moves to F.
void AddLink(const Model& m, const State& s, size_t k, System& sys) {
  const MLink& l = m.links[k];
  const Coeff& c = s.coeff[k];
  int r1 = m.row[l.n1], r2 = m.row[l.n2];
  sys.xflow[l.n1] -= s.flow[k];
  sys.xflow[l.n2] += s.flow[k];
  sys.aij[k] -= c.p;
  if (r1 >= 0) {
    sys.aii[r1] += c.p;
    sys.f[r1] += c.y;
  } else if (r2 >= 0) {
    sys.f[r2] += c.p * s.head[l.n1];
  }
  if (r2 >= 0) {
    sys.aii[r2] += c.p;
    sys.f[r2] -= c.y;
  } else if (r1 >= 0) {
    sys.f[r1] += c.p * s.head[l.n2];
  }
}

// A control valve not holding its setting: an ordinary link whose flow
// correction enters F directly (its flow is not yet in xflow).
void AddOpenValve(const Model& m, State& s, size_t k, System& sys) {
  const MLink& l = m.links[k];
  Coeff c = ValveCoeff(s.status[k], l.pipe.km, s.flow[k]);
  int i = m.row[l.n1], j = m.row[l.n2];
  double dq = c.y - s.flow[k];
  sys.aij[k] -= c.p;
  sys.aii[i] += c.p;
  sys.aii[j] += c.p;
  sys.f[i] += dq;
  sys.f[j] -= dq;
  s.coeff[k] = c;
}

// PRV holding its setting: the downstream head is pinned to it and the
// valve passes whatever the downstream node lacks.
void AddPrv(const Model& m, State& s, size_t k, System& sys) {
  const MLink& l = m.links[k];
  if (s.status[k] != LinkState::kActive) return AddOpenValve(m, s, k, sys);
  int i = m.row[l.n1], j = m.row[l.n2];
  double hset = m.elevation[l.n2] + s.setting[k];
  s.coeff[k] = {0.0, s.flow[k] + sys.xflow[l.n2]};
  sys.f[j] += hset * kCBig;
  sys.aii[j] += kCBig;
  if (sys.xflow[l.n2] < 0.0) sys.f[i] += sys.xflow[l.n2];
}

// PSV holding its setting: the upstream head is pinned to it.
void AddPsv(const Model& m, State& s, size_t k, System& sys) {
  const MLink& l = m.links[k];
  if (s.status[k] != LinkState::kActive) return AddOpenValve(m, s, k, sys);
  int i = m.row[l.n1], j = m.row[l.n2];
  double hset = m.elevation[l.n1] + s.setting[k];
  s.coeff[k] = {0.0, s.flow[k] - sys.xflow[l.n1]};
  sys.f[i] += hset * kCBig;
  sys.aii[i] += kCBig;
  if (sys.xflow[l.n1] > 0.0) sys.f[j] += sys.xflow[l.n1];
  sys.aij[k] -= 1.0 / kCBig;  // keeps the downstream side connected
  sys.aii[j] += 1.0 / kCBig;
}

// FCV holding its setting: a demand upstream and a supply downstream.
void AddFcv(const Model& m, State& s, size_t k, System& sys) {
  const MLink& l = m.links[k];
  if (s.status[k] != LinkState::kActive) return AddOpenValve(m, s, k, sys);
  int i = m.row[l.n1], j = m.row[l.n2];
  double q = s.setting[k];
  sys.xflow[l.n1] -= q;
  sys.xflow[l.n2] += q;
  s.coeff[k] = {1.0 / kCBig, s.flow[k] - q};
  sys.f[i] -= q;
  sys.f[j] += q;
  sys.aij[k] -= 1.0 / kCBig;
  sys.aii[i] += 1.0 / kCBig;
  sys.aii[j] += 1.0 / kCBig;
}

}  // namespace

void LinkCoeffs(const Model& m, State& s) {
  for (size_t k = 0; k < m.links.size(); ++k) s.coeff[k] = OneLinkCoeff(m, s, k);
}

void Assemble(const Model& m, State& s, System& sys) {
  sys.aii.assign(m.njuncs, 0.0);
  sys.f.assign(m.njuncs, 0.0);
  sys.aij.assign(m.links.size(), 0.0);
  sys.xflow.assign(m.row.size(), 0.0);
  for (size_t k = 0; k < m.links.size(); ++k) {
    if (s.coeff[k].p != 0.0) AddLink(m, s, k, sys);
  }
  for (int n : m.junction) {
    sys.xflow[n] -= m.demand[n];
    sys.f[m.row[n]] += sys.xflow[n];
  }
  for (size_t k = 0; k < m.links.size(); ++k) {
    if (s.setting[k] == kMissing) continue;
    switch (m.links[k].type) {
      case Type::kPrv: AddPrv(m, s, k, sys); break;
      case Type::kPsv: AddPsv(m, s, k, sys); break;
      case Type::kFcv: AddFcv(m, s, k, sys); break;
      default: break;
    }
  }
}

}  // namespace heat::analysis::gga
