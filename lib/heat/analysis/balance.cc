// Hydraulic balance of stations (balance.h): a fixed-point search of the
// balancing valves' settings with the solver, then a verdict per station
// and the measurements that contradict each other or the model.
#include "heat/analysis/balance.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "heat/analysis/precision.h"

namespace heat::analysis {
namespace {

constexpr double kG = 32.2 * 0.3048;       // EPANET's g in m/s², so K means what the solver takes
constexpr double kPi = 3.14159265358979;
constexpr double kMpaPerM = 0.00980665;    // 1 m of water column, specific gravity 1
constexpr double kNoDpMpa = 0.005;         // a differential pressure this small is none
constexpr double kSomeDpMpa = 0.05;        // ... and this large drives a flow

std::string Fmt(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Pct(double v) { return (v >= 0 ? "+" : "") + Fmt(v, 0) + " %"; }

bool FixedHead(const Node& n) { return n.kind != Node::Kind::kJunction; }

// The K of a TCV of diameter d (m) that loses h (m) at flow q (m³/s).
double SettingFor(double h, double q, double d) { return h * kPi * kPi * kG * std::pow(d, 4) / (8 * q * q); }
double LossAt(double k, double q, double d) { return k * 8 * q * q / (kPi * kPi * kG * std::pow(d, 4)); }

// The water a station's node takes out of the network (m³/s).
double StationFlow(const Solution& s, int node) { return s.demand_m3s.at(node); }

// The valve's end that is not the station's node.
int InletOf(const Link& l, int node) { return l.from == node ? l.to : l.from; }

struct Search {
  Network work;                      // the network with the settings found so far
  std::vector<int> valves;           // per station
  std::vector<bool> pinned_open;     // could not reach its design flow even open
};

bool Balanceable(const Search& s, const std::vector<BalanceStation>& st, size_t i) {
  return s.valves[i] >= 0 && FixedHead(s.work.nodes[st[i].node]) && st[i].design_m3h > 0;
}

// The settings follow from the balanced state itself: when every station
// takes its design flow, the flows in the pipes, and so the heads at the
// valves' inlets, are what a solve with those flows as demands gives. Each
// valve must then lose the rest down to its station's return head. A
// station that would need less than a fully open valve is pinned open and
// left to the pressure (it gets less), and the others are solved again,
// until no more are pinned.
Result<Solution> FindSettings(Search& s, const std::vector<BalanceStation>& st, const BalanceOptions& o,
                              BalanceResult& res) {
  for (int round = 1; round <= o.max_rounds; ++round) {
    Network design = s.work;
    for (size_t i = 0; i < st.size(); ++i) {
      if (!Balanceable(s, st, i) || s.pinned_open[i]) continue;
      Node& n = design.nodes[st[i].node];
      n.kind = Node::Kind::kJunction;
      n.demand_m3s = st[i].design_m3h / 3600;
    }
    HEAT_ASSIGN(Solution sol, Solve(design, o.solve));
    res.rounds = round;
    // Of the stations that cannot reach their design flow, the one
    // furthest from it is pinned open; the others are judged again next
    // round, as its smaller flow leaves them more head.
    int worst = -1;
    double worst_ratio = 0;
    for (size_t i = 0; i < st.size(); ++i) {
      if (!Balanceable(s, st, i) || s.pinned_open[i]) continue;
      Link& l = s.work.links[s.valves[i]];
      double qd = st[i].design_m3h / 3600;
      double hv = sol.head_m[InletOf(l, st[i].node)] - s.work.nodes[st[i].node].head_m;
      double ratio = hv / LossAt(o.open_setting, qd, l.diameter_m);  // < 1: even open is too much
      if (ratio < 1 && (worst < 0 || ratio < worst_ratio)) worst = static_cast<int>(i), worst_ratio = ratio;
      l.setting = std::max(SettingFor(std::max(hv, 0.0), qd, l.diameter_m), o.open_setting);
    }
    if (worst < 0) break;
    s.pinned_open[worst] = true;
    s.work.links[s.valves[worst]].setting = o.open_setting;
  }
  HEAT_ASSIGN(Solution balanced, Solve(s.work, o.solve));
  res.converged = true;
  for (size_t i = 0; i < st.size(); ++i) {
    if (!Balanceable(s, st, i) || s.pinned_open[i]) continue;
    double qd = st[i].design_m3h / 3600;
    if (std::abs(StationFlow(balanced, st[i].node) - qd) / qd * 100 > o.target_pct) res.converged = false;
  }
  return balanced;
}

// Why a fully open valve is not enough: the differential head left at the
// station's inlet and the steepest pipe feeding it.
std::string Bottleneck(const Network& net, const Solution& sol, int valve, int inlet, int station) {
  std::string out = "only " + Fmt(sol.head_m[inlet] - sol.head_m[station]) + " m of differential head is left at " +
                    net.nodes[inlet].id;
  int worst = -1;
  double steepest = 0;
  for (size_t k = 0; k < net.links.size(); ++k) {
    const Link& p = net.links[k];
    if (static_cast<int>(k) == valve || p.kind != Link::Kind::kPipe || (p.from != inlet && p.to != inlet)) continue;
    double per_km = std::abs(sol.headloss_m[k]) / p.length_m * 1000;
    if (worst < 0 || per_km > steepest) worst = static_cast<int>(k), steepest = per_km;
  }
  if (worst >= 0) {
    const Link& p = net.links[worst];
    double v = std::abs(sol.flow_m3s[worst]) / (kPi * p.diameter_m * p.diameter_m / 4);
    out += "; pipe " + p.id + " (DN" + Fmt(p.diameter_m * 1000, 0) + ") feeding it loses " + Fmt(steepest) +
           " m/km at " + Fmt(v, 2) + " m/s";
  }
  return out + ": enlarge the pipes feeding it or raise the supply head";
}

// The verdict and advice for one station.
void Judge(const Network& net, const BalanceStation& in, const BalanceOptions& o, const Search& s, size_t i,
           const BalanceResult& res, StationBalance& out) {
  const Node& node = net.nodes[in.node];
  const double basis = in.flow_m3h.value_or(out.model_m3h);
  const double dev = in.flow_m3h ? *out.measured_dev_pct : out.model_dev_pct;
  const std::string what = in.flow_m3h ? "measured " : "model: ";
  if (!FixedHead(node)) {
    out.reason = "its node " + node.id + " is a junction with a fixed demand, so the model cannot tell its "
                 "balance: model it as a reservoir at its return head behind a TCV";
    return;
  }
  if (in.design_m3h <= 0) {
    out.reason = "no design flow: set design_flow_m3h of the station";
    return;
  }
  out.unbalanced = std::abs(dev) > o.threshold_pct;
  if (!out.unbalanced) return;
  out.reason = what + Fmt(basis) + " m³/h, " + Pct(dev) + " against its design " + Fmt(in.design_m3h) + " m³/h";
  if (in.flow_m3h && std::abs(res.load - 1) > 0.005)
    out.reason += " at the network's load (the measured stations draw " + Fmt(res.load * 100, 0) + " % of design)";
  if (out.valve < 0) {
    out.reason += "; the model has no balancing valve (TCV) at its node " + node.id;
    return;
  }
  const Link& l = s.work.links[out.valve];
  std::string now = out.setting ? "K " + Fmt(*out.setting) : "closed";
  if (s.pinned_open[i] && out.balanced_m3h < in.design_m3h * (1 - o.target_pct / 100)) {
    out.reason += "; even fully open (K " + Fmt(o.open_setting) + ") it would get " + Fmt(out.balanced_m3h) +
                  " m³/h: " + Bottleneck(net, res.balanced, out.valve, InletOf(l, in.node), in.node);
    return;
  }
  if (in.flow_m3h && std::abs(out.model_dev_pct) <= o.threshold_pct) {
    out.reason += "; the model gives it " + Fmt(out.model_m3h) + " m³/h at its valve " + l.id + "'s " + now +
                  " (balanced at K " + Fmt(*out.balanced_setting) + "): check the valve's real position and the " +
                  "flow meter before changing the setting";
    return;
  }
  bool throttle = !out.setting || *out.balanced_setting > *out.setting;
  out.reason += std::string("; ") + (throttle ? "throttle" : "open") + " its balancing valve " + l.id + " from " +
                now + " to K " + Fmt(*out.balanced_setting);
  if (throttle != (dev > 0))
    out.reason += std::string(" (it is ") + (dev > 0 ? "over" : "short") + " only while the others are " +
                  (dev > 0 ? "throttled too hard" : "too open") + ")";
}

void Anomalies(const BalanceStation& in, const StationBalance& sb, const BalanceOptions& o, double load,
               std::vector<Anomaly>& out) {
  const double flow = in.flow_m3h.value_or(0);
  if (in.flow_m3h && in.supply_mpa && in.return_mpa) {
    double dp = *in.supply_mpa - *in.return_mpa;
    std::string p = " (p1s " + Fmt(*in.supply_mpa, 3) + ", p1r " + Fmt(*in.return_mpa, 3) + " MPa)";
    if (flow > std::max(1.0, in.design_m3h * 0.05) && dp < kNoDpMpa)
      out.push_back({in.code, "flow_without_dp", "flow " + Fmt(flow) + " m³/h with no differential pressure" + p +
                                                     ": the flow meter or a pressure transmitter is wrong"});
    if (flow <= in.design_m3h * 0.02 && dp >= kSomeDpMpa)
      out.push_back({in.code, "dp_without_flow", "differential pressure " + Fmt(dp, 3) + " MPa but flow " +
                                                     Fmt(flow) + " m³/h" + p +
                                                     ": the flow meter has failed or the station's valve is shut"});
  }
  if (in.supply_mpa && sb.model_supply_mpa && std::abs(*in.supply_mpa - *sb.model_supply_mpa) > o.pressure_tolerance_mpa)
    out.push_back({in.code, "pressure_vs_model",
                   "supply pressure p1s " + Fmt(*in.supply_mpa, 3) + " MPa, the model gives " +
                       Fmt(*sb.model_supply_mpa, 3) + " MPa at its inlet (" +
                       Pct((*in.supply_mpa - *sb.model_supply_mpa) / *sb.model_supply_mpa * 100) +
                       "): check the transmitter and its elevation, or the model (a closed valve, pipe roughness)"});
  if (in.flow_m3h && in.design_m3h > 0 &&
      std::abs(flow - sb.model_m3h * load) / in.design_m3h * 100 > o.threshold_pct)
    out.push_back({in.code, "model_vs_measured",
                   "measured " + Fmt(flow) + " m³/h, the model gives " + Fmt(sb.model_m3h) + " m³/h" +
                       (std::abs(load - 1) > 0.005 ? " (" + Fmt(sb.model_m3h * load) + " at the network's load)" : "") +
                       ": the valve's real opening or the model's pipes differ; align them before acting on "
                       "the model's settings"});
}

std::optional<double> PerArea(double m3h, double area) {
  if (area <= 0) return std::nullopt;
  return m3h * 1000 / area;
}

std::optional<double> ValveK(const Link& l) {
  if (l.status == InitialStatus::kClosed) return std::nullopt;
  return l.status == InitialStatus::kActive ? l.setting : l.minor_loss;
}

// The measured stations' median share of their design flow; 1 (design)
// with fewer than two.
double Load(const std::vector<BalanceStation>& stations) {
  std::vector<double> shares;
  for (const auto& st : stations)
    if (st.flow_m3h && st.design_m3h > 0) shares.push_back(*st.flow_m3h / st.design_m3h);
  if (shares.size() < 2) return 1;
  double median = Quantile(std::move(shares), 0.5);
  return median > 0 ? median : 1;
}

void Fill(const Network& net, const BalanceStation& in, const Search& s, size_t i, const BalanceResult& res,
          StationBalance& out) {
  out.code = in.code;
  out.valve = s.valves[i];
  out.design_m3h = in.design_m3h;
  out.model_m3h = StationFlow(res.current, in.node) * 3600;
  out.balanced_m3h = StationFlow(res.balanced, in.node) * 3600;
  out.measured_m3h = in.flow_m3h;
  out.design_lhm2 = PerArea(in.design_m3h, in.area_m2);
  out.model_lhm2 = PerArea(out.model_m3h, in.area_m2);
  if (in.flow_m3h) out.measured_lhm2 = PerArea(*in.flow_m3h, in.area_m2);
  if (in.design_m3h > 0) {
    out.model_dev_pct = (out.model_m3h - in.design_m3h) / in.design_m3h * 100;
    if (in.flow_m3h) out.measured_dev_pct = (*in.flow_m3h / (in.design_m3h * res.load) - 1) * 100;
  }
  if (out.valve < 0) return;
  const Link& l = net.links[out.valve];
  out.setting = ValveK(l);
  if (FixedHead(net.nodes[in.node])) out.balanced_setting = s.work.links[out.valve].setting;
  int inlet = InletOf(l, in.node);
  out.model_supply_mpa = (res.current.head_m[inlet] - net.nodes[inlet].elevation_m) * kMpaPerM * net.specific_gravity;
}

}  // namespace

int StationValve(const Network& net, int node) {
  for (size_t k = 0; k < net.links.size(); ++k) {
    const Link& l = net.links[k];
    if (l.kind == Link::Kind::kValve && l.valve == ValveType::kTCV && (l.from == node || l.to == node))
      return static_cast<int>(k);
  }
  return -1;
}

Result<BalanceResult> Balance(const Network& net, const std::vector<BalanceStation>& stations,
                              const BalanceOptions& options) {
  for (const auto& st : stations)
    if (st.node < 0 || st.node >= static_cast<int>(net.nodes.size()))
      return Status::Usage("station " + st.code + ": no node in the network's model");
  BalanceResult res;
  HEAT_ASSIGN(res.current, Solve(net, options.solve));
  Search s{net, {}, std::vector<bool>(stations.size(), false)};
  for (const auto& st : stations) {
    int v = StationValve(net, st.node);
    s.valves.push_back(v);
    if (v >= 0) {  // the setting governs while the settings are searched
      s.work.links[v].status = InitialStatus::kActive;
      if (!ValveK(net.links[v])) s.work.links[v].setting = options.open_setting;
    }
  }
  HEAT_ASSIGN(res.balanced, FindSettings(s, stations, options, res));
  res.load = Load(stations);
  res.stations.resize(stations.size());
  for (size_t i = 0; i < stations.size(); ++i) {
    Fill(net, stations[i], s, i, res, res.stations[i]);
    Judge(net, stations[i], options, s, i, res, res.stations[i]);
    Anomalies(stations[i], res.stations[i], options, res.load, res.anomalies);
  }
  return res;
}

Network WithSettings(const Network& net, const BalanceResult& result) {
  Network out = net;
  for (const auto& st : result.stations) {
    if (st.valve < 0 || !st.balanced_setting) continue;
    out.links[st.valve].status = InitialStatus::kActive;
    out.links[st.valve].setting = *st.balanced_setting;
  }
  return out;
}

}  // namespace heat::analysis
