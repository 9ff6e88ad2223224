// The Reader of inp_reader.h: one method per kind of line, each checking
// its tokens and converting to SI as it goes (the units are known first).
#include <algorithm>
#include <cmath>

#include "heat/analysis/inp_reader.h"
#include "heat/core/text.h"

namespace heat::analysis::inp {
namespace {

constexpr size_t kMaxId = 31;  // EPANET's limit on an id

bool IsNode(Sec s) { return s == Sec::kJunctions || s == Sec::kReservoirs || s == Sec::kTanks; }
bool IsLink(Sec s) { return s == Sec::kPipes || s == Sec::kPumps || s == Sec::kValves; }

bool ValveKind(std::string_view tok, ValveType* v) {
  static constexpr std::pair<std::string_view, ValveType> kTypes[] = {
      {"PRV", ValveType::kPRV}, {"PSV", ValveType::kPSV}, {"PBV", ValveType::kPBV},
      {"FCV", ValveType::kFCV}, {"TCV", ValveType::kTCV}, {"GPV", ValveType::kGPV}};
  for (const auto& [name, type] : kTypes) {
    if (Upper(tok) == name) return *v = type, true;
  }
  return false;
}

}  // namespace

Result<InpFile> Reader::Read(const std::vector<Record>& records) {
  for (const Record& r : records) {
    if (r.sec == Sec::kOptions) HEAT_TRY(Option(r));
  }
  units_.specific_gravity = out_.network.specific_gravity;
  using Pass = bool (*)(Sec);
  const Pass passes[] = {[](Sec s) { return s == Sec::kPatterns; },
                         [](Sec s) { return s == Sec::kCurves; }, IsNode, IsLink};
  for (Pass pass : passes) {
    for (const Record& r : records) {
      if (pass(r.sec)) HEAT_TRY(Dispatch(r));
    }
  }
  for (const Record& r : records) {
    bool rest = r.sec == Sec::kDemands || r.sec == Sec::kStatus || r.sec == Sec::kCoordinates ||
                r.sec == Sec::kVertices || r.sec == Sec::kTitle;
    if (rest) HEAT_TRY(Dispatch(r));
  }
  HEAT_TRY(Finish());
  return std::move(out_);
}

Status Reader::Dispatch(const Record& r) {
  switch (r.sec) {
    case Sec::kPatterns: return Pattern(r);
    case Sec::kCurves: return CurvePoint(r);
    case Sec::kJunctions: return Junction(r);
    case Sec::kReservoirs: return Reservoir(r);
    case Sec::kTanks: return Tank(r);
    case Sec::kPipes: return Pipe(r);
    case Sec::kPumps: return Pump(r);
    case Sec::kValves: return Valve(r);
    case Sec::kDemands: return DemandLine(r);
    case Sec::kStatus: return StatusLine(r);
    case Sec::kCoordinates: return Coordinate(r);
    case Sec::kVertices: return Vertex(r);
    case Sec::kTitle: {
      std::string& t = out_.network.title;
      std::string line = Trim(r.tok[0]);
      if (!line.empty()) t += (t.empty() ? "" : "\n") + line;
      return Status::Ok();
    }
    default: return Status::Ok();
  }
}

// A valve setting to SI: pressures to m of head, flows to m3/s.
double Reader::SettingFactor(ValveType v) const {
  switch (v) {
    case ValveType::kPRV:
    case ValveType::kPSV:
    case ValveType::kPBV: return units_.Pressure();
    case ValveType::kFCV: return units_.Flow();
    case ValveType::kTCV:
    case ValveType::kGPV: break;
  }
  return 1.0;
}

Status Reader::Error(const Record& r, const std::string& msg) const {
  return Status::Usage("line " + std::to_string(r.line) + ": [" + SectionTitle(r.sec) + "] " + msg);
}

Status Reader::Number(const Record& r, size_t i, const char* what, double* out) const {
  if (ParseNumber(r.tok[i], out)) return Status::Ok();
  return Error(r, Show(r.tok[0]) + ": " + what + " '" + Show(r.tok[i]) + "' is not a number");
}

Status Reader::NeedTokens(const Record& r, size_t n, const char* form) const {
  if (r.tok.size() >= n) return Status::Ok();
  return Error(r, "expected " + std::string(form));
}

Status Reader::Lookup(const Record& r, size_t i,
                      const std::unordered_map<std::string_view, int>& map, const char* what,
                      int* out) const {
  auto it = map.find(r.tok[i]);
  if (it != map.end()) return *out = it->second, Status::Ok();
  std::string owner = i == 0 ? "" : Show(r.tok[0]) + ": ";
  return Error(r, owner + what + " '" + Show(r.tok[i]) + "' is not defined");
}

Status Reader::PatternOf(const Record& r, size_t i, int* out) const {
  *out = -1;
  if (i >= r.tok.size()) return Status::Ok();
  return Lookup(r, i, patterns_, "pattern", out);
}

Status Reader::AddNode(const Record& r, Node node) {
  if (node.id.empty()) return Error(r, "a node id is empty");
  if (node.id.size() > kMaxId) return Error(r, "id '" + Show(node.id) + "' is longer than 31 bytes");
  if (!nodes_.emplace(r.tok[0], static_cast<int>(out_.network.nodes.size())).second) {
    return Error(r, "node " + Show(node.id) + " is defined twice");
  }
  out_.network.nodes.push_back(std::move(node));
  demands_.emplace_back();
  demands_replaced_.push_back(0);
  head_pattern_.push_back(-1);
  return Status::Ok();
}

// The id, kind and end nodes of a link line: "id node1 node2 ...".
Status Reader::Ends(const Record& r, Link::Kind kind, Link* l) const {
  l->id = r.tok[0];
  l->kind = kind;
  HEAT_TRY(Lookup(r, 1, nodes_, "node", &l->from));
  return Lookup(r, 2, nodes_, "node", &l->to);
}

Status Reader::AddLink(const Record& r, Link link) {
  if (link.id.empty()) return Error(r, "a link id is empty");
  if (link.id.size() > kMaxId) return Error(r, "id '" + Show(link.id) + "' is longer than 31 bytes");
  if (link.from == link.to) return Error(r, Show(link.id) + ": starts and ends at the same node");
  if (!links_.emplace(r.tok[0], static_cast<int>(out_.network.links.size())).second) {
    return Error(r, "link " + Show(link.id) + " is defined twice");
  }
  out_.network.links.push_back(std::move(link));
  return Status::Ok();
}

Status Reader::Pattern(const Record& r) {
  HEAT_TRY(NeedTokens(r, 2, "a pattern id and multipliers"));
  double first = 0;
  for (size_t i = 1; i < r.tok.size(); ++i) {
    double v = 0;
    HEAT_TRY(Number(r, i, "multiplier", &v));
    if (i == 1) first = v;
  }
  if (patterns_.emplace(r.tok[0], static_cast<int>(pattern_first_.size())).second) {
    pattern_first_.push_back(first);
  }
  return Status::Ok();
}

Status Reader::CurvePoint(const Record& r) {
  HEAT_TRY(NeedTokens(r, 3, "a curve id, x and y"));
  double x = 0, y = 0;
  HEAT_TRY(Number(r, 1, "x", &x));
  HEAT_TRY(Number(r, 2, "y", &y));
  auto& curves = out_.network.curves;
  auto [it, added] = curves_.emplace(r.tok[0], static_cast<int>(curves.size()));
  if (added) curves.push_back({std::string(r.tok[0]), {}});
  curves[it->second].points.emplace_back(x * units_.Flow(), y * units_.Length());
  return Status::Ok();
}

Status Reader::Junction(const Record& r) {
  Node n;
  n.id = r.tok[0];
  double demand = 0;
  int pattern = -1;
  if (r.tok.size() > 1) HEAT_TRY(Number(r, 1, "elevation", &n.elevation_m));
  if (r.tok.size() > 2) HEAT_TRY(Number(r, 2, "demand", &demand));
  HEAT_TRY(PatternOf(r, 3, &pattern));
  n.elevation_m *= units_.Length();
  HEAT_TRY(AddNode(r, std::move(n)));
  demands_.back().push_back({demand, pattern});
  return Status::Ok();
}

Status Reader::Reservoir(const Record& r) {
  HEAT_TRY(NeedTokens(r, 2, "id head [pattern]"));
  Node n;
  n.id = r.tok[0];
  n.kind = Node::Kind::kReservoir;
  HEAT_TRY(Number(r, 1, "head", &n.head_m));
  n.head_m *= units_.Length();
  n.elevation_m = n.head_m;
  int pattern = -1;
  HEAT_TRY(PatternOf(r, 2, &pattern));
  HEAT_TRY(AddNode(r, std::move(n)));
  head_pattern_.back() = pattern;
  return Status::Ok();
}

// id elev init min max diam [minvol [curve [overflow]]]; a tank without
// levels (or of diameter 0) keeps its head like a reservoir.
Status Reader::Tank(const Record& r) {
  HEAT_TRY(NeedTokens(r, 2, "id elevation initial min max diameter"));
  if (r.tok.size() > 3 && r.tok.size() < 6) {
    return Error(r, Show(r.tok[0]) + ": expected id elevation initial min max diameter");
  }
  Node n;
  n.id = r.tok[0];
  n.kind = Node::Kind::kTank;
  HEAT_TRY(Number(r, 1, "elevation", &n.elevation_m));
  double v[4] = {0, 0, 0, 0};  // init, min, max, diameter
  const char* what[4] = {"initial level", "minimum level", "maximum level", "diameter"};
  for (size_t i = 0; i < 4 && r.tok.size() >= 6; ++i) {
    HEAT_TRY(Number(r, i + 2, what[i], &v[i]));
    if (v[i] < 0) return Error(r, Show(r.tok[0]) + ": " + what[i] + " is negative");
  }
  if (v[3] > 0 && (v[0] < v[1] || v[0] > v[2])) {
    return Error(r, Show(r.tok[0]) + ": initial level is not between minimum and maximum");
  }
  double f = units_.Length();
  n.elevation_m *= f;
  n.head_m = n.elevation_m + v[0] * f;
  n.min_level_m = v[1] * f, n.max_level_m = v[2] * f, n.tank_diameter_m = v[3] * f;
  int pattern = -1;
  if (r.tok.size() == 3) HEAT_TRY(PatternOf(r, 2, &pattern));
  HEAT_TRY(AddNode(r, std::move(n)));
  head_pattern_.back() = pattern;
  return Status::Ok();
}

Status Reader::Pipe(const Record& r) {
  HEAT_TRY(NeedTokens(r, 3, "id node1 node2 length diameter roughness"));
  Link l;
  HEAT_TRY(Ends(r, Link::Kind::kPipe, &l));
  bool si = units_.Si();
  HeadlossFormula f = out_.network.formula;
  l.length_m = si ? 100.0 : 330.0;
  l.diameter_m = si ? 254.0 : 10.0;
  l.roughness = f == HeadlossFormula::kHazenWilliams ? 130 : f == HeadlossFormula::kDarcyWeisbach ? 0.0005 : 0.01;
  double* field[3] = {&l.length_m, &l.diameter_m, &l.roughness};
  const char* what[3] = {"length", "diameter", "roughness"};
  for (size_t i = 0; i < 3 && i + 3 < r.tok.size(); ++i) {
    HEAT_TRY(Number(r, i + 3, what[i], field[i]));
    if (!(*field[i] > 0)) return Error(r, Show(r.tok[0]) + ": " + what[i] + " is not positive");
  }
  HEAT_TRY(PipeTail(r, l));
  l.length_m *= units_.Length();
  l.diameter_m *= units_.Diameter();
  if (f == HeadlossFormula::kDarcyWeisbach) l.roughness *= units_.Roughness();
  return AddLink(r, std::move(l));
}

// [minor loss] [status]: CV, OPEN or CLOSED may stand in either place.
Status Reader::PipeTail(const Record& r, Link& l) {
  auto status = [&](std::string_view tok) {
    std::string u = Upper(tok);
    if (u == "CV") return l.check_valve = true, true;
    if (u == "CLOSED") return l.status = InitialStatus::kClosed, true;
    return u == "OPEN";
  };
  if (r.tok.size() == 7 && status(r.tok[6])) return Status::Ok();
  if (r.tok.size() >= 7) {
    HEAT_TRY(Number(r, 6, "minor loss", &l.minor_loss));
    if (l.minor_loss < 0) return Error(r, Show(r.tok[0]) + ": minor loss is negative");
  }
  if (r.tok.size() >= 8 && !status(r.tok[7])) {
    return Error(r, Show(r.tok[0]) + ": status '" + Show(r.tok[7]) + "' is not OPEN, CLOSED or CV");
  }
  return Status::Ok();
}

// id node1 node2 {HEAD curve | POWER kw | SPEED s | PATTERN p}...
Status Reader::Pump(const Record& r) {
  HEAT_TRY(NeedTokens(r, 3, "id node1 node2 HEAD curve"));
  Link l;
  HEAT_TRY(Ends(r, Link::Kind::kPump, &l));
  int pattern = -1;
  for (size_t m = 3; m < r.tok.size(); m += 2) {
    std::string key = Upper(r.tok[m]);
    if (m + 1 >= r.tok.size()) return Error(r, Show(l.id) + ": " + Show(key) + " lacks a value");
    if (Matches(key, "HEAD")) {
      HEAT_TRY(Lookup(r, m + 1, curves_, "curve", &l.curve));
    } else if (Matches(key, "POWER")) {
      HEAT_TRY(Number(r, m + 1, "power", &l.power_kw));
      if (!(l.power_kw > 0)) return Error(r, Show(l.id) + ": power is not positive");
      l.power_kw *= units_.Power();
    } else if (Matches(key, "SPEE")) {
      HEAT_TRY(Number(r, m + 1, "speed", &l.speed));
      if (l.speed < 0) return Error(r, Show(l.id) + ": speed is negative");
    } else if (Matches(key, "PATT")) {
      HEAT_TRY(PatternOf(r, m + 1, &pattern));
    } else {
      return Error(r, Show(l.id) + ": '" + Show(r.tok[m]) + "' is not HEAD, POWER, SPEED or PATTERN");
    }
  }
  if (l.curve < 0 && l.power_kw == 0) return Error(r, Show(l.id) + ": needs a HEAD curve or a POWER");
  if (pattern >= 0) speed_pattern_.emplace_back(static_cast<int>(out_.network.links.size()), pattern);
  return AddLink(r, std::move(l));
}

// id node1 node2 diameter type [setting [minor loss]]
Status Reader::Valve(const Record& r) {
  HEAT_TRY(NeedTokens(r, 5, "id node1 node2 diameter type setting"));
  Link l;
  l.status = InitialStatus::kActive;
  HEAT_TRY(Ends(r, Link::Kind::kValve, &l));
  HEAT_TRY(Number(r, 3, "diameter", &l.diameter_m));
  if (!(l.diameter_m > 0)) return Error(r, Show(l.id) + ": diameter is not positive");
  l.diameter_m *= units_.Diameter();
  if (!ValveKind(r.tok[4], &l.valve)) {
    return Error(r, Show(l.id) + ": type '" + Show(r.tok[4]) + "' is not PRV, PSV, PBV, FCV, TCV or GPV");
  }
  if (r.tok.size() > 5) HEAT_TRY(ValveSetting(r, l));
  if (l.valve == ValveType::kGPV && l.curve < 0) return Error(r, Show(l.id) + ": a GPV needs a head-loss curve");
  if (r.tok.size() > 6) {
    HEAT_TRY(Number(r, 6, "minor loss", &l.minor_loss));
    if (l.minor_loss < 0) return Error(r, Show(l.id) + ": minor loss is negative");
  }
  return AddLink(r, std::move(l));
}

Status Reader::ValveSetting(const Record& r, Link& l) {
  if (l.valve == ValveType::kGPV) {
    l.status = InitialStatus::kOpen;
    return Lookup(r, 5, curves_, "curve", &l.curve);
  }
  HEAT_TRY(Number(r, 5, "setting", &l.setting));
  l.setting *= SettingFactor(l.valve);
  return Status::Ok();
}

// The first [DEMANDS] line of a junction replaces its [JUNCTIONS] demand;
// further lines add demand categories. Lines for tanks are ignored.
Status Reader::DemandLine(const Record& r) {
  HEAT_TRY(NeedTokens(r, 2, "junction demand [pattern]"));
  double base = 0;
  int node = -1, pattern = -1;
  HEAT_TRY(Number(r, 1, "demand", &base));
  HEAT_TRY(Lookup(r, 0, nodes_, "node", &node));
  HEAT_TRY(PatternOf(r, 2, &pattern));
  if (out_.network.nodes[node].kind != Node::Kind::kJunction) return Status::Ok();
  if (!demands_replaced_[node]) demands_[node].clear(), demands_replaced_[node] = 1;
  demands_[node].push_back({base, pattern});
  return Status::Ok();
}

// link OPEN|CLOSED|setting: a pump's number is its speed, a valve's its
// setting (then it is active); OPEN and CLOSED fix a valve.
Status Reader::StatusLine(const Record& r) {
  HEAT_TRY(NeedTokens(r, 2, "link OPEN|CLOSED|setting"));
  if (r.tok.size() > 2) return Error(r, "ranges of links are not supported");
  int k = -1;
  HEAT_TRY(Lookup(r, 0, links_, "link", &k));
  Link& l = out_.network.links[k];
  std::string v = Upper(r.tok[1]);
  bool open = v == "OPEN", closed = v == "CLOSED";
  double y = 0;
  if (!open && !closed) {
    HEAT_TRY(Number(r, 1, "setting", &y));
    if (y < 0) return Error(r, Show(l.id) + ": setting is negative");
  }
  if (l.check_valve) return Error(r, Show(l.id) + ": the status of a check valve is fixed");
  bool gpv = l.kind == Link::Kind::kValve && l.valve == ValveType::kGPV;
  if (l.kind == Link::Kind::kPipe || gpv) {
    if (gpv && !open && !closed) return Error(r, Show(l.id) + ": a GPV has no setting");
    if (open || closed) l.status = closed ? InitialStatus::kClosed : InitialStatus::kOpen;
  } else if (l.kind == Link::Kind::kPump) {
    l.speed = open ? 1.0 : closed ? 0.0 : y;
    l.status = l.speed == 0.0 ? InitialStatus::kClosed : InitialStatus::kOpen;
  } else if (open || closed) {
    l.status = closed ? InitialStatus::kClosed : InitialStatus::kOpen;
  } else {
    l.status = InitialStatus::kActive;
    l.setting = y * SettingFactor(l.valve);
  }
  return Status::Ok();
}

Status Reader::Coordinate(const Record& r) {
  HEAT_TRY(NeedTokens(r, 3, "node x y"));
  int n = -1;
  HEAT_TRY(Lookup(r, 0, nodes_, "node", &n));
  Node& node = out_.network.nodes[n];
  HEAT_TRY(Number(r, 1, "x", &node.x));
  HEAT_TRY(Number(r, 2, "y", &node.y));
  node.has_xy = true;
  return Status::Ok();
}

Status Reader::Vertex(const Record& r) {
  HEAT_TRY(NeedTokens(r, 3, "link x y"));
  int k = -1;
  double x = 0, y = 0;
  HEAT_TRY(Lookup(r, 0, links_, "link", &k));
  HEAT_TRY(Number(r, 1, "x", &x));
  HEAT_TRY(Number(r, 2, "y", &y));
  out_.network.links[k].vertices.emplace_back(x, y);
  return Status::Ok();
}

}  // namespace heat::analysis::inp
