// The network in working units and the first trial's state (gga.h).
#include <cmath>
#include <cstdio>
#include <numbers>

#include "heat/analysis/gga.h"

namespace heat::analysis::gga {
namespace {

constexpr double kQZero = 1e-6;  // cfs: the flow of a closed link

Type ValveKind(ValveType v) {
  switch (v) {
    case ValveType::kPRV: return Type::kPrv;
    case ValveType::kPSV: return Type::kPsv;
    case ValveType::kPBV: return Type::kPbv;
    case ValveType::kFCV: return Type::kFcv;
    case ValveType::kTCV: return Type::kTcv;
    case ValveType::kGPV: return Type::kGpv;
  }
  return Type::kTcv;
}

LinkState StartState(InitialStatus s) {
  switch (s) {
    case InitialStatus::kClosed: return LinkState::kClosed;
    case InitialStatus::kActive: return LinkState::kActive;
    case InitialStatus::kOpen: break;
  }
  return LinkState::kOpen;
}

void AddNodes(const Network& net, Model& m) {
  size_t n = net.nodes.size();
  m.row.assign(n, -1);
  m.junction.reserve(n);
  m.elevation.resize(n);
  m.demand.assign(n, 0.0);
  m.fixed_head.assign(n, 0.0);
  m.tank_min.assign(n, 0.0);
  m.tank_max.assign(n, 0.0);
  m.is_tank.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const Node& node = net.nodes[i];
    m.elevation[i] = node.elevation_m / kMPerFt;
    if (node.kind == Node::Kind::kJunction) {
      m.row[i] = m.njuncs++;
      m.junction.push_back(static_cast<int>(i));
      m.demand[i] = node.demand_m3s / kM3sPerCfs;
      continue;
    }
    m.fixed_head[i] = node.head_m / kMPerFt;
    if (node.kind == Node::Kind::kTank && node.tank_diameter_m > 0) {
      m.is_tank[i] = 1;
      m.tank_min[i] = (node.elevation_m + node.min_level_m) / kMPerFt;
      m.tank_max[i] = (node.elevation_m + node.max_level_m) / kMPerFt;
    }
  }
}

MLink PipeLink(const Network& net, const Link& l) {
  MLink ml;
  ml.type = l.check_valve ? Type::kCvPipe : Type::kPipe;
  double d = l.diameter_m / kMPerFt;
  ml.pipe.diameter = d;
  ml.pipe.r = PipeResistance(net.formula, l.length_m / kMPerFt, d, l.roughness);
  ml.pipe.km = MinorLossCoeff(l.minor_loss, d);
  if (net.formula == HeadlossFormula::kDarcyWeisbach) ml.pipe.roughness = l.roughness / 1000.0 / kMPerFt;
  ml.status = l.status == InitialStatus::kClosed ? LinkState::kClosed : LinkState::kOpen;
  return ml;
}

double ValveSetting(const Link& l) {
  switch (l.valve) {
    case ValveType::kPRV:
    case ValveType::kPSV:
    case ValveType::kPBV: return l.setting / kMPerFt;
    case ValveType::kFCV: return l.setting / kM3sPerCfs;
    case ValveType::kTCV:
    case ValveType::kGPV: break;
  }
  return l.setting;
}

// A valve fixed OPEN or CLOSED has no setting; PRVs, PSVs and FCVs with
// one start ACTIVE. A GPV is open on its curve unless closed.
MLink ValveLink(const Link& l) {
  MLink ml;
  ml.type = ValveKind(l.valve);
  ml.pipe.diameter = l.diameter_m / kMPerFt;
  ml.pipe.km = MinorLossCoeff(l.minor_loss, ml.pipe.diameter);
  ml.status = StartState(l.status);
  ml.setting = ValveSetting(l);
  if (ml.type == Type::kGpv) {
    ml.curve = l.curve;
    if (ml.status == LinkState::kActive) ml.status = LinkState::kOpen;
  } else if (l.status != InitialStatus::kActive) {
    ml.setting = kMissing;
  }
  return ml;
}

void AddCurves(const Network& net, Model& m) {
  m.curves.resize(net.curves.size());
  for (size_t c = 0; c < net.curves.size(); ++c) {
    for (const auto& [q, h] : net.curves[c].points) {
      m.curves[c].emplace_back(q / kM3sPerCfs, h / kMPerFt);
    }
  }
}

Status AddLinks(const Network& net, Model& m) {
  m.links.reserve(net.links.size());
  for (const Link& l : net.links) {
    MLink ml;
    if (l.kind == Link::Kind::kPipe) {
      ml = PipeLink(net, l);
    } else if (l.kind == Link::Kind::kValve) {
      ml = ValveLink(l);
    } else {
      const Curve* c = l.curve >= 0 ? &net.curves[l.curve] : nullptr;
      auto pump = FitPump(c, l.power_kw);
      if (!pump.ok()) return pump.status().With("pump " + l.id);
      ml.type = Type::kPump;
      ml.pump = static_cast<int>(m.pumps.size());
      m.pumps.push_back(std::move(pump).value());
      ml.status = l.status == InitialStatus::kClosed ? LinkState::kClosed : LinkState::kOpen;
      ml.setting = l.speed;
    }
    ml.n1 = l.from;
    ml.n2 = l.to;
    m.links.push_back(ml);
  }
  return Status::Ok();
}

double InitialFlow(const Model& m, const MLink& l, LinkState status, double setting) {
  if (status <= LinkState::kClosed) return kQZero;
  if (l.type == Type::kPump) return setting * m.pumps[l.pump].q0;
  return std::numbers::pi * l.pipe.diameter * l.pipe.diameter / 4.0;  // 1 ft/s
}

}  // namespace

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

Result<Model> BuildModel(const Network& net, const SolveOptions& options) {
  Model m;
  AddNodes(net, m);
  AddCurves(net, m);
  HEAT_TRY(AddLinks(net, m));
  m.friction.formula = net.formula;
  m.friction.viscosity = net.viscosity_m2s / (kMPerFt * kMPerFt);
  m.options = options;
  m.options.head_error_limit /= kMPerFt;
  m.options.flow_change_limit /= kM3sPerCfs;
  return m;
}

State InitialState(const Model& m) {
  State s;
  s.head = m.fixed_head;
  for (int j : m.junction) s.head[j] = m.elevation[j];
  s.demand.assign(m.fixed_head.size(), 0.0);
  s.coeff.resize(m.links.size());
  s.status.reserve(m.links.size());
  s.setting.reserve(m.links.size());
  s.flow.reserve(m.links.size());
  for (const MLink& l : m.links) {
    LinkState status = l.status;
    bool control = l.type == Type::kPrv || l.type == Type::kPsv || l.type == Type::kFcv;
    if (control && l.setting != kMissing) status = LinkState::kActive;
    s.status.push_back(status);
    s.setting.push_back(l.setting);
    double q = InitialFlow(m, l, l.status, l.setting);
    if (status <= LinkState::kClosed) q = kQZero;
    else if (std::fabs(q) <= kQZero) q = InitialFlow(m, l, status, l.setting);
    s.flow.push_back(q);
  }
  return s;
}

}  // namespace heat::analysis::gga
