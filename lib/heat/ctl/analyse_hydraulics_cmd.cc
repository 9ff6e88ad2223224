// heatctl analyse hydraulics|balance NET (ANA-3, ARC-1): the stored model
// of a network solved (heads, pressures, flows, velocities), and the
// hydraulic balance of its stations against their design flows, measured
// flows and the model (analysis/balance.h), with the balancing valve
// settings that would give each station its design flow.
//
// Output: --format table prints a one-line summary and the tables; csv one
// table (hydraulics: --nodes or --links; balance: the stations, or the
// anomalies with --anomalies); json one object {summary, nodes, links} or
// {summary, stations, anomalies}.
#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "heat/analysis/balance.h"
#include "heat/ctl/commands.h"
#include "heat/network/pipe_model.h"

namespace heat::ctl {
namespace {

using analysis::Link;
using analysis::Node;
using K = cli::Cell::Kind;
using ojson = nlohmann::ordered_json;

constexpr double kMpaPerM = 0.00980665;

cli::Cell Num(double v, int decimals) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << (std::abs(v) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : v);
  return {s.str(), K::kNumber};
}
cli::Cell Opt(const std::optional<double>& v, int decimals) { return v ? Num(*v, decimals) : cli::Cell{}; }
cli::Cell Text(const std::string& s) { return {s, K::kString}; }

// Tables printed one after another (table), as one object (json), or the
// chosen one (csv).
Status PrintDoc(cli::Context& ctx, const std::string& summary, const ojson& summary_json,
                const std::vector<std::pair<std::string, const cli::Table*>>& tables, const std::string& csv_hint) {
  if (ctx.format == cli::Format::kJson) {
    ojson doc = {{"summary", summary_json}};
    for (const auto& [name, t] : tables) {
      std::ostringstream s;
      cli::Print(*t, cli::Format::kJson, s);
      doc[name] = ojson::parse(s.str());
    }
    ctx.out() << doc.dump(2) << "\n";
    return Status::Ok();
  }
  if (ctx.format == cli::Format::kCsv) {
    if (tables.size() != 1) return Status::Usage("--format csv holds one table: " + csv_hint);
    cli::Print(*tables[0].second, cli::Format::kCsv, ctx.out());
    return Status::Ok();
  }
  ctx.out() << summary << "\n";
  for (const auto& [name, t] : tables) {
    ctx.out() << "\n" << name << ":\n";
    cli::Print(*t, cli::Format::kTable, ctx.out());
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------
// analyse hydraulics

struct HydraulicsArgs {
  std::string network;
  bool nodes = false, links = false;
};

const char* NodeKindName(Node::Kind k) {
  return k == Node::Kind::kReservoir ? "reservoir" : k == Node::Kind::kTank ? "tank" : "junction";
}
const char* LinkKindName(Link::Kind k) { return k == Link::Kind::kPump ? "pump" : k == Link::Kind::kValve ? "valve" : "pipe"; }

double Velocity(const Link& l, double q) {
  if (l.kind == Link::Kind::kPump || l.diameter_m <= 0) return 0;
  return std::abs(q) / (M_PI * l.diameter_m * l.diameter_m / 4);
}

cli::Table NodeTable(const network::PipeModel& m, const analysis::Solution& s) {
  cli::Table t{{"code", "kind", "station", "elevation_m", "head_m", "pressure_m", "pressure_mpa", "demand_m3h"}, {}};
  for (size_t i = 0; i < m.net.nodes.size(); ++i) {
    const Node& n = m.net.nodes[i];
    double p = s.head_m[i] - n.elevation_m;
    t.Add({Text(n.id), Text(NodeKindName(n.kind)), m.station[i].empty() ? cli::Cell{} : Text(m.station[i]),
           Num(n.elevation_m, 2), Num(s.head_m[i], 2), Num(p, 2), Num(p * kMpaPerM * m.net.specific_gravity, 3),
           Num(s.demand_m3s[i] * 3600, 2)});
  }
  return t;
}

cli::Table LinkTable(const network::PipeModel& m, const analysis::Solution& s) {
  cli::Table t{{"code", "kind", "from", "to", "diameter_mm", "flow_m3h", "velocity_ms", "headloss_m",
                "headloss_m_per_km", "status"}, {}};
  for (size_t k = 0; k < m.net.links.size(); ++k) {
    const Link& l = m.net.links[k];
    bool pipe = l.kind == Link::Kind::kPipe;
    t.Add({Text(l.id), Text(l.kind == Link::Kind::kValve ? analysis::ValveTypeName(l.valve) : LinkKindName(l.kind)),
           Text(m.net.nodes[l.from].id), Text(m.net.nodes[l.to].id),
           l.kind == Link::Kind::kPump ? cli::Cell{} : Num(l.diameter_m * 1000, 0), Num(s.flow_m3s[k] * 3600, 2),
           l.kind == Link::Kind::kPump ? cli::Cell{} : Num(Velocity(l, s.flow_m3s[k]), 3), Num(s.headloss_m[k], 3),
           pipe ? Num(std::abs(s.headloss_m[k]) / l.length_m * 1000, 2) : cli::Cell{},
           Text(analysis::LinkStateName(s.status[k]))});
  }
  return t;
}

// "solved in 6 trials; lowest pressure 12.3 m (0.121 MPa) at J7; highest velocity 2.31 m/s in T1"
std::string Summary(const network::PipeModel& m, const analysis::Solution& s, ojson& j) {
  int low = -1, fast = -1;
  double lowest = 0, fastest = 0;
  for (size_t i = 0; i < m.net.nodes.size(); ++i) {
    double p = s.head_m[i] - m.net.nodes[i].elevation_m;
    if (m.net.nodes[i].kind == Node::Kind::kJunction && (low < 0 || p < lowest)) low = static_cast<int>(i), lowest = p;
  }
  for (size_t k = 0; k < m.net.links.size(); ++k) {
    double v = Velocity(m.net.links[k], s.flow_m3s[k]);
    if (v > fastest) fast = static_cast<int>(k), fastest = v;
  }
  j = {{"network", m.network}, {"nodes", m.net.nodes.size()}, {"links", m.net.links.size()}, {"trials", s.trials},
       {"relative_change", s.relative_change}};
  std::ostringstream out;
  out << "network " << m.network << ": " << m.net.nodes.size() << " nodes, " << m.net.links.size()
      << " links; solved in " << s.trials << " trials";
  if (low >= 0) {
    j["lowest_pressure_m"] = lowest, j["lowest_pressure_node"] = m.net.nodes[low].id;
    out << "; lowest pressure " << *Num(lowest, 1).text << " m (" << *Num(lowest * kMpaPerM, 3).text << " MPa) at "
        << m.net.nodes[low].id;
  }
  if (fast >= 0) {
    j["highest_velocity_ms"] = fastest, j["highest_velocity_link"] = m.net.links[fast].id;
    out << "; highest velocity " << *Num(fastest, 2).text << " m/s in " << m.net.links[fast].id;
  }
  return out.str();
}

Status Hydraulics(cli::Context& ctx, const HydraulicsArgs& a) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(network::PipeModel m, network::LoadPipeModel(*db, a.network));
  auto sol = analysis::Solve(m.net);
  if (!sol.ok()) return sol.status().With("network " + a.network);
  bool both = a.nodes == a.links;
  cli::Table nodes = NodeTable(m, *sol), links = LinkTable(m, *sol);
  std::vector<std::pair<std::string, const cli::Table*>> tables;
  if (both || a.nodes) tables.push_back({"nodes", &nodes});
  if (both || a.links) tables.push_back({"links", &links});
  ojson j;
  std::string line = Summary(m, *sol, j);
  return PrintDoc(ctx, line, j, tables, "add --nodes or --links");
}

// ---------------------------------------------------------------------------
// analyse balance

struct BalanceArgs {
  std::string network;
  int hours = 24;
  bool anomalies = false;
  analysis::BalanceOptions options;
};

// The stations of the model's nodes with their design and measured means.
Result<std::vector<analysis::BalanceStation>> Stations(db::Conn& db, const network::PipeModel& m, int hours) {
  std::vector<analysis::BalanceStation> out;
  std::string codes = "{";
  for (size_t i = 0; i < m.station.size(); ++i) {
    if (m.station[i].empty()) continue;
    out.push_back({m.station[i], static_cast<int>(i)});
    codes += (out.size() > 1 ? "," : "") + m.station[i];
  }
  HEAT_ASSIGN(db::Rows st, db.Query(
      "SELECT code, coalesce(design_flow_m3h, 0), heating_area_m2 FROM heat.station WHERE code = ANY($1::text[])",
      {codes + "}"}));
  HEAT_ASSIGN(db::Rows rd, db.Query(R"(
    SELECT p.station, p.tag, sum(h.sum) / sum(h.n) AS mean
    FROM heat.reading_hourly h JOIN heat.point_place p ON p.id = h.point_id
    WHERE p.station = ANY($1::text[]) AND p.building IS NULL AND p.tag IN ('f1', 'p1s', 'p1r')
      AND h.hour >= date_trunc('hour', now()) - make_interval(hours => $2::int)
    GROUP BY p.station, p.tag)", {codes + "}", std::to_string(hours)}));
  std::map<std::string, analysis::BalanceStation*> by;
  for (auto& s : out) by[s.code] = &s;
  for (int i = 0; i < st.size(); ++i) {
    by[st.get(i, 0)]->design_m3h = std::stod(st.get(i, 1));
    by[st.get(i, 0)]->area_m2 = std::stod(st.get(i, 2));
  }
  for (int i = 0; i < rd.size(); ++i) {
    auto* s = by[rd.get(i, "station")];
    std::string tag = rd.get(i, "tag");
    double v = std::stod(rd.get(i, "mean"));
    (tag == "f1" ? s->flow_m3h : tag == "p1s" ? s->supply_mpa : s->return_mpa) = v;
  }
  if (out.empty())
    return Status::NotFound("no node of network " + m.network + "'s model names a station (pipe_nodes: station)");
  return out;
}

cli::Table StationTable(const analysis::BalanceResult& r, const std::vector<analysis::BalanceStation>& in) {
  cli::Table t{{"station", "heating_area_m2", "design_m3h", "model_m3h", "measured_m3h", "design_lhm2", "model_lhm2",
                "measured_lhm2", "model_dev_pct", "measured_dev_pct", "valve", "setting", "balanced_setting",
                "balanced_m3h", "model_p1s_mpa", "measured_p1s_mpa", "unbalanced", "reason"}, {}};
  for (size_t i = 0; i < r.stations.size(); ++i) {
    const auto& s = r.stations[i];
    t.Add({Text(s.code), Num(in[i].area_m2, 0), Num(s.design_m3h, 1), Num(s.model_m3h, 1), Opt(s.measured_m3h, 1),
           Opt(s.design_lhm2, 3), Opt(s.model_lhm2, 3), Opt(s.measured_lhm2, 3), Num(s.model_dev_pct, 1),
           Opt(s.measured_dev_pct, 1), s.valve < 0 ? cli::Cell{} : Text(""), Opt(s.setting, 2),
           Opt(s.balanced_setting, 2), Num(s.balanced_m3h, 1), Opt(s.model_supply_mpa, 3), Opt(in[i].supply_mpa, 3),
           {s.unbalanced ? "true" : "false", K::kBool}, s.reason.empty() ? cli::Cell{} : Text(s.reason)});
  }
  return t;
}

cli::Table AnomalyTable(const analysis::BalanceResult& r) {
  cli::Table t{{"station", "kind", "message"}, {}};
  for (const auto& a : r.anomalies) t.Add({Text(a.station), Text(a.kind), Text(a.message)});
  return t;
}

// The table form: the main columns, then the reasons and the anomalies.
void PrintBalance(cli::Context& ctx, const cli::Table& stations, const analysis::BalanceResult& r, int unbalanced) {
  cli::Table brief{{"station", "design_m3h", "model_m3h", "measured_m3h", "design_lhm2", "measured_lhm2",
                    "model_dev_pct", "measured_dev_pct", "setting", "balanced_setting", "unbalanced"}, {}};
  for (const auto& row : stations.rows)
    brief.Add({row[0], row[2], row[3], row[4], row[5], row[7], row[8], row[9], row[11], row[12], row[16]});
  cli::Print(brief, cli::Format::kTable, ctx.out());
  ctx.out() << "\nunbalanced stations:" << (unbalanced ? "\n" : " none\n");
  for (const auto& s : r.stations)
    if (s.unbalanced) ctx.out() << "  " << s.code << ": " << s.reason << "\n";
  ctx.out() << "\ndata anomalies:" << (r.anomalies.empty() ? " none\n" : "\n");
  for (const auto& an : r.anomalies) ctx.out() << "  " << an.station << " " << an.kind << ": " << an.message << "\n";
}

Status BalanceCmd(cli::Context& ctx, BalanceArgs a) {
  if (a.hours < 1) return Status::Usage("--hours: at least 1");
  if (a.options.threshold_pct <= 0) return Status::Usage("--threshold: a percentage above 0");
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(network::PipeModel m, network::LoadPipeModel(*db, a.network));
  HEAT_ASSIGN(auto in, Stations(*db, m, a.hours));
  auto r = analysis::Balance(m.net, in, a.options);
  if (!r.ok()) return r.status().With("network " + a.network);
  cli::Table stations = StationTable(*r, in);
  for (size_t i = 0; i < r->stations.size(); ++i)
    if (r->stations[i].valve >= 0) stations.rows[i][10] = Text(m.net.links[r->stations[i].valve].id);
  cli::Table anomalies = AnomalyTable(*r);
  int unbalanced = 0, measured = 0;
  for (size_t i = 0; i < in.size(); ++i) unbalanced += r->stations[i].unbalanced, measured += in[i].flow_m3h.has_value();
  std::ostringstream line;
  line << "network " << a.network << ": " << in.size() << " stations, " << unbalanced << " unbalanced beyond ±"
       << a.options.threshold_pct << " % (" << measured << " with measured flows over the last " << a.hours
       << " h";
  if (measured >= 2) line << ", judged at the network's load: they draw " << std::lround(r->load * 100) << " % of design";
  line << "; the others by the model); balanced settings " << (r->converged ? "found" : "NOT found")
       << " in " << r->rounds << " solves; " << r->anomalies.size() << " data anomalies";
  ojson j = {{"network", a.network}, {"stations", in.size()}, {"unbalanced", unbalanced}, {"measured", measured},
             {"hours", a.hours}, {"threshold_pct", a.options.threshold_pct}, {"converged", r->converged},
             {"solves", r->rounds}, {"anomalies", r->anomalies.size()}, {"load_pct", r->load * 100}};
  if (ctx.format == cli::Format::kCsv)
    return PrintDoc(ctx, "", j, {{"", a.anomalies ? &anomalies : &stations}}, "");
  if (ctx.format == cli::Format::kJson)
    return PrintDoc(ctx, "", j, {{"stations", &stations}, {"anomalies", &anomalies}}, "");
  ctx.out() << line.str() << "\n\n";
  PrintBalance(ctx, stations, *r, unbalanced);
  return Status::Ok();
}

}  // namespace

std::vector<cli::Command> HydraulicsCommands() {
  return {
      {"analyse hydraulics", "solve a network's hydraulic model: heads, pressures, flows, velocities", "ANA-3 ARC-1",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<HydraulicsArgs>();
         app.add_option("network", a->network, "the network's code")->required();
         app.add_flag("--nodes", a->nodes, "only the nodes");
         app.add_flag("--links", a->links, "only the links");
         return [a](cli::Context& ctx) { return Hydraulics(ctx, *a); };
       }},
      {"analyse balance", "hydraulic balance of a network's stations, with the valve settings that balance them",
       "ANA-3",
       [](CLI::App& app) -> cli::Runner {
         auto a = std::make_shared<BalanceArgs>();
         app.add_option("network", a->network, "the network's code")->required();
         app.add_option("--threshold", a->options.threshold_pct, "deviation from the design flow, %, beyond which a "
                                                                  "station is unbalanced")->capture_default_str();
         app.add_option("--hours", a->hours, "measured flows and pressures: means of the last N hours")
             ->capture_default_str();
         app.add_option("--pressure-tolerance", a->options.pressure_tolerance_mpa,
                        "MPa by which a measured supply pressure may differ from the model's")->capture_default_str();
         app.add_flag("--anomalies", a->anomalies, "--format csv: the data anomalies instead of the stations");
         return [a](cli::Context& ctx) { return BalanceCmd(ctx, *a); };
       }},
  };
}

}  // namespace heat::ctl
