// [OPTIONS] and the last step of ReadInp (inp_reader.h): the units, the
// head-loss formula, the solver's limits, and the time-0 demands.
#include <cmath>
#include <initializer_list>
#include <utility>

#include "heat/analysis/inp_reader.h"

namespace heat::analysis::inp {
namespace {

constexpr double kMaxCount = 1e6;  // TRIALS, CHECKFREQ, MAXCHECK
constexpr double kViscosityFt = 1.1e-5;  // water at 20 °C, ft²/s

// Numeric options and the token holding their value ("SPECIFIC GRAVITY 1").
constexpr std::pair<std::string_view, size_t> kValues[] = {
    {"VISC", 1},     {"SPEC", 2},      {"TRIAL", 1},  {"ACCU", 1},     {"CHECKFREQ", 1},
    {"MAXCHECK", 1}, {"DAMPLIMIT", 1}, {"DEMAND", 2}, {"HEADERROR", 1}, {"FLOWCHANGE", 1},
};

bool Formula(std::string_view tok, HeadlossFormula* f) {
  std::string u = Upper(tok);
  if (u == "H-W") return *f = HeadlossFormula::kHazenWilliams, true;
  if (u == "D-W") return *f = HeadlossFormula::kDarcyWeisbach, true;
  if (u == "C-M") return *f = HeadlossFormula::kChezyManning, true;
  return false;
}

}  // namespace

// Keywords match by their first letters, as in EPANET ("HEADL" for
// HEADLOSS). Options that only matter to a simulation over time, to water
// quality or to reports are accepted and ignored.
Status Reader::Option(const Record& r) {
  const auto& t = r.tok;
  std::string key = Upper(t[0]);
  std::string_view arg = t.size() > 1 ? t[1] : std::string_view();
  auto bad = [&](const char* what) {
    return Error(r, Show(t[0]) + " '" + Show(arg) + "' is not " + what);
  };
  if (t.size() < 2) return Status::Ok();
  if (Matches(key, "UNIT")) {
    if (!ParseFlowUnits(arg, &units_.flow)) return bad("CFS GPM MGD IMGD AFD LPS LPM MLD CMH CMD or CMS");
  } else if (Matches(key, "HEADL")) {
    if (!Formula(arg, &out_.network.formula)) return bad("H-W, D-W or C-M");
  } else if (Matches(key, "PRESSURE") && !Matches(arg, "EXP")) {
    if (!ParsePressureUnits(arg, &units_.pressure)) return bad("PSI, KPA, METERS, BAR or FEET");
  } else if (Matches(key, "PATT")) {
    default_pattern_ = arg;
  } else if (Matches(key, "DEMAND") && Matches(arg, "MODEL")) {
    if (t.size() > 2 && Upper(t[2]) != "DDA") {
      return Error(r, "DEMAND MODEL " + Show(t[2]) + " is not supported (only DDA)");
    }
  } else {
    for (const auto& [name, at] : kValues) {
      if (!Matches(key, name)) continue;
      double v = 0;
      if (at >= t.size()) return Status::Ok();
      HEAT_TRY(Number(r, at, "value", &v));
      return OptionValue(r, key, v);
    }
  }
  return Status::Ok();
}

Status Reader::OptionValue(const Record& r, const std::string& key, double v) {
  SolveOptions& o = out_.options;
  bool limit = Matches(key, "DAMPLIMIT") || Matches(key, "HEADERROR") || Matches(key, "FLOWCHANGE");
  if (limit ? v < 0 : v <= 0) return Error(r, Show(key) + " must be positive");
  bool count = Matches(key, "TRIAL") || Matches(key, "CHECKFREQ") || Matches(key, "MAXCHECK");
  if (count && (v < 1 || v > kMaxCount)) return Error(r, Show(key) + " must be between 1 and 1000000");
  if (Matches(key, "VISC")) viscosity_ = v;
  else if (Matches(key, "SPEC")) out_.network.specific_gravity = v;
  else if (Matches(key, "TRIAL")) o.max_trials = static_cast<int>(v);
  else if (Matches(key, "ACCU")) o.accuracy = v;
  else if (Matches(key, "CHECKFREQ")) o.check_frequency = static_cast<int>(v);
  else if (Matches(key, "MAXCHECK")) o.max_check = static_cast<int>(v);
  else if (Matches(key, "DAMPLIMIT")) o.damp_limit = v;
  else if (Matches(key, "HEADERROR")) o.head_error_limit = v * units_.Length();
  else if (Matches(key, "FLOWCHANGE")) o.flow_change_limit = v * units_.Flow();
  else demand_multiplier_ = v;
  return Status::Ok();
}

// Time 0 of the patterns: demands (base × multiplier × DEMAND MULTIPLIER,
// the default pattern where none is named), reservoir heads, pump speeds.
Status Reader::Finish() {
  Network& net = out_.network;
  double ft2 = kMPerFt * kMPerFt;
  if (viscosity_ > 1e-3) net.viscosity_m2s = viscosity_ * kViscosityFt * ft2;  // relative
  else if (viscosity_ > 0) net.viscosity_m2s = units_.Si() ? viscosity_ : viscosity_ * ft2;
  auto def = patterns_.find(default_pattern_);
  auto mult = [&](int p) {
    if (p < 0) p = def == patterns_.end() ? -1 : def->second;
    return p < 0 ? 1.0 : pattern_first_[p];
  };
  for (size_t i = 0; i < net.nodes.size(); ++i) {
    Node& n = net.nodes[i];
    double sum = 0;
    for (const Demand& d : demands_[i]) sum += d.base * mult(d.pattern) * demand_multiplier_;
    if (n.kind == Node::Kind::kJunction) n.demand_m3s = sum * units_.Flow();
    if (head_pattern_[i] >= 0) n.head_m = n.elevation_m * pattern_first_[head_pattern_[i]];
  }
  for (const auto& [k, p] : speed_pattern_) {
    Link& l = net.links[k];
    l.speed = pattern_first_[p];
    l.status = l.speed == 0.0 ? InitialStatus::kClosed : InitialStatus::kOpen;
  }
  return CheckFinite();
}

// Products of finite numbers (a demand times its multipliers, a pressure
// over a tiny specific gravity) may still overflow.
Status Reader::CheckFinite() const {
  auto fin = [](std::initializer_list<double> v) {
    for (double x : v) {
      if (!std::isfinite(x)) return false;
    }
    return true;
  };
  const Network& net = out_.network;
  for (const Node& n : net.nodes) {
    if (!fin({n.elevation_m, n.demand_m3s, n.head_m, n.min_level_m, n.max_level_m, n.tank_diameter_m})) {
      return Status::Usage("node " + Show(n.id) + ": a value is out of range in SI units");
    }
  }
  for (const Link& l : net.links) {
    if (!fin({l.length_m, l.diameter_m, l.roughness, l.setting, l.power_kw, l.speed})) {
      return Status::Usage("link " + Show(l.id) + ": a value is out of range in SI units");
    }
  }
  for (const Curve& c : net.curves) {
    for (const auto& [x, y] : c.points) {
      if (!fin({x, y})) return Status::Usage("curve " + Show(c.id) + ": a point is out of range in SI units");
    }
  }
  return fin({net.viscosity_m2s}) ? Status::Ok() : Status::Usage("[OPTIONS] VISCOSITY is out of range");
}

}  // namespace heat::analysis::inp
