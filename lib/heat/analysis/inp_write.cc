// WriteInp (inp.h): SI units with LPS flows, every number to 12
// significant digits, every link's initial status where EPANET expects it.
#include <cstdio>
#include <string>

#include "heat/analysis/inp.h"
#include "heat/analysis/inp_units.h"

namespace heat::analysis {
namespace {

constexpr double kViscosityWater = 1.1e-5 * kMPerFt * kMPerFt;  // m²/s, EPANET's 1.0

class Writer {
 public:
  explicit Writer(const Network& net) : net_(net) { units_.flow = inp::FlowUnits::kLps; }

  std::string Write(const SolveOptions& o) {
    Title();
    Junctions();
    FixedHeads();
    Pipes();
    Pumps();
    Valves();
    Statuses();
    Curves();
    Options(o);
    Coordinates();
    out_ += "\n[END]\n";
    return std::move(out_);
  }

 private:
  static std::string Num(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.12g", x);
    return buf;
  }
  // EPANET reads "quoted text" as one token.
  static std::string Id(const std::string& id) {
    bool plain = !id.empty() && id.find_first_of(" \t\r\n\v\f;") == std::string::npos &&
                 !id.starts_with('"') && !id.starts_with('[');
    return plain ? id : "\"" + id + "\"";
  }
  void Line(std::initializer_list<std::string> fields) {
    std::string sep;
    for (const std::string& f : fields) out_ += sep + f, sep = "\t";
    out_ += "\n";
  }
  void Section(const char* name, const char* header) {
    out_ += std::string("\n[") + name + "]\n" + header + "\n";
  }
  const std::string& NodeId(int n) const { return net_.nodes[n].id; }
  double Flow(double q) const { return q / units_.Flow(); }

  void Title();
  void Junctions();
  void FixedHeads();
  void Pipes();
  void Pumps();
  void Valves();
  void Statuses();
  void Curves();
  void Options(const SolveOptions& o);
  void Coordinates();

  const Network& net_;
  inp::Units units_;
  std::string out_;
};

void Writer::Title() {
  out_ += "[TITLE]\n";
  for (char c : net_.title) out_ += c == '[' ? '(' : c;  // a title line cannot open a section
  if (!net_.title.empty()) out_ += "\n";
}

void Writer::Junctions() {
  Section("JUNCTIONS", ";ID\tElevation_m\tDemand_LPS");
  for (const Node& n : net_.nodes) {
    if (n.kind == Node::Kind::kJunction) Line({Id(n.id), Num(n.elevation_m), Num(Flow(n.demand_m3s))});
  }
}

void Writer::FixedHeads() {
  Section("RESERVOIRS", ";ID\tHead_m");
  for (const Node& n : net_.nodes) {
    if (n.kind == Node::Kind::kReservoir) Line({Id(n.id), Num(n.head_m)});
  }
  Section("TANKS", ";ID\tElevation\tInitLevel\tMinLevel\tMaxLevel\tDiameter\tMinVol");
  for (const Node& n : net_.nodes) {
    if (n.kind != Node::Kind::kTank) continue;
    Line({Id(n.id), Num(n.elevation_m), Num(n.head_m - n.elevation_m), Num(n.min_level_m),
          Num(n.max_level_m), Num(n.tank_diameter_m), "0"});
  }
}

void Writer::Pipes() {
  Section("PIPES", ";ID\tNode1\tNode2\tLength_m\tDiameter_mm\tRoughness\tMinorLoss\tStatus");
  for (const Link& l : net_.links) {
    if (l.kind != Link::Kind::kPipe) continue;
    std::string status = l.check_valve ? "CV" : l.status == InitialStatus::kClosed ? "CLOSED" : "OPEN";
    Line({Id(l.id), Id(NodeId(l.from)), Id(NodeId(l.to)), Num(l.length_m),
          Num(l.diameter_m * 1000.0), Num(l.roughness), Num(l.minor_loss), status});
  }
}

void Writer::Pumps() {
  Section("PUMPS", ";ID\tNode1\tNode2\tParameters");
  for (const Link& l : net_.links) {
    if (l.kind != Link::Kind::kPump) continue;
    bool curve = l.curve >= 0 && l.curve < static_cast<int>(net_.curves.size());
    std::string drive = curve ? "HEAD\t" + Id(net_.curves[l.curve].id) : "POWER\t" + Num(l.power_kw);
    Line({Id(l.id), Id(NodeId(l.from)), Id(NodeId(l.to)), drive, "SPEED", Num(l.speed)});
  }
}

void Writer::Valves() {
  Section("VALVES", ";ID\tNode1\tNode2\tDiameter_mm\tType\tSetting\tMinorLoss");
  for (const Link& l : net_.links) {
    if (l.kind != Link::Kind::kValve) continue;
    std::string setting = Num(l.valve == ValveType::kFCV ? Flow(l.setting) : l.setting);
    bool gpv_curve = l.curve >= 0 && l.curve < static_cast<int>(net_.curves.size());
    if (l.valve == ValveType::kGPV) setting = gpv_curve ? Id(net_.curves[l.curve].id) : "?";
    Line({Id(l.id), Id(NodeId(l.from)), Id(NodeId(l.to)), Num(l.diameter_m * 1000.0),
          ValveTypeName(l.valve), setting, Num(l.minor_loss)});
  }
}

// Pipes carry their status in [PIPES]; closed pumps and valves fixed open
// or closed are listed here.
void Writer::Statuses() {
  Section("STATUS", ";ID\tStatus");
  for (const Link& l : net_.links) {
    if (l.kind == Link::Kind::kPipe) continue;
    bool pump = l.kind == Link::Kind::kPump;
    if (l.status == InitialStatus::kClosed) Line({Id(l.id), "CLOSED"});
    bool gpv = l.kind == Link::Kind::kValve && l.valve == ValveType::kGPV;
    if (!pump && !gpv && l.status == InitialStatus::kOpen) Line({Id(l.id), "OPEN"});
  }
}

void Writer::Curves() {
  Section("CURVES", ";ID\tFlow_LPS\tHead_m");
  for (const Curve& c : net_.curves) {
    for (const auto& [q, h] : c.points) Line({Id(c.id), Num(Flow(q)), Num(h)});
  }
}

void Writer::Options(const SolveOptions& o) {
  const char* formula[] = {"H-W", "D-W", "C-M"};
  double relative = net_.viscosity_m2s / kViscosityWater;
  Section("OPTIONS", "");
  Line({"UNITS", "LPS"});
  Line({"HEADLOSS", formula[static_cast<int>(net_.formula)]});
  // Above 1e-3 EPANET reads a relative viscosity, below it one in m²/s.
  Line({"VISCOSITY", Num(relative > 1e-3 ? relative : net_.viscosity_m2s)});
  Line({"SPECIFIC", "GRAVITY", Num(net_.specific_gravity)});
  Line({"TRIALS", std::to_string(o.max_trials)});
  Line({"ACCURACY", Num(o.accuracy)});
  Line({"CHECKFREQ", std::to_string(o.check_frequency)});
  Line({"MAXCHECK", std::to_string(o.max_check)});
  Line({"DAMPLIMIT", Num(o.damp_limit)});
  if (o.head_error_limit > 0) Line({"HEADERROR", Num(o.head_error_limit)});
  if (o.flow_change_limit > 0) Line({"FLOWCHANGE", Num(Flow(o.flow_change_limit))});
}

void Writer::Coordinates() {
  Section("COORDINATES", ";Node\tX\tY");
  for (const Node& n : net_.nodes) {
    if (n.has_xy) Line({Id(n.id), Num(n.x), Num(n.y)});
  }
  Section("VERTICES", ";Link\tX\tY");
  for (const Link& l : net_.links) {
    for (const auto& [x, y] : l.vertices) Line({Id(l.id), Num(x), Num(y)});
  }
}

}  // namespace

std::string WriteInp(const Network& net, const SolveOptions& options) {
  return Writer(net).Write(options);
}

}  // namespace heat::analysis
