// Validate() (hydraulics.h): the data checks made before a solve, so that
// the solver itself meets only finite, positive, connected data.
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "heat/analysis/gga.h"
#include "heat/analysis/hydraulics.h"

namespace heat::analysis {
namespace {

using gga::Num;

bool Finite(double x) { return std::isfinite(x); }

const char* KindName(const Link& l) {
  switch (l.kind) {
    case Link::Kind::kPump: return "pump";
    case Link::Kind::kValve: return "valve";
    case Link::Kind::kPipe: break;
  }
  return "pipe";
}

std::string Name(const Link& l) { return std::string(KindName(l)) + " " + l.id; }

Status CheckNodes(const Network& net) {
  std::unordered_set<std::string_view> ids;
  ids.reserve(net.nodes.size());
  for (const Node& n : net.nodes) {
    if (n.id.empty()) return Status::Usage("a node has an empty id");
    if (!ids.insert(n.id).second) return Status::Usage("node " + n.id + " is defined twice");
    if (!Finite(n.elevation_m) || !Finite(n.demand_m3s) || !Finite(n.head_m)) {
      return Status::Usage("node " + n.id + ": elevation, demand and head must be finite");
    }
    if (n.kind == Node::Kind::kTank &&
        !(n.tank_diameter_m >= 0 && n.min_level_m <= n.max_level_m)) {
      return Status::Usage("tank " + n.id + ": needs min level <= max level and a diameter >= 0");
    }
  }
  return Status::Ok();
}

Status CheckCurves(const Network& net) {
  for (const Curve& c : net.curves) {
    if (c.points.empty()) return Status::Usage("curve " + c.id + " has no points");
    for (size_t i = 0; i < c.points.size(); ++i) {
      if (!Finite(c.points[i].first) || !Finite(c.points[i].second)) {
        return Status::Usage("curve " + c.id + ": points must be finite");
      }
      if (i > 0 && !(c.points[i].first > c.points[i - 1].first)) {
        return Status::Usage("curve " + c.id + ": x values must increase");
      }
    }
  }
  return Status::Ok();
}

Status CheckPipe(const Link& l) {
  if (!(l.length_m > 0) || !Finite(l.length_m)) {
    return Status::Usage("pipe " + l.id + ": length " + Num(l.length_m) + " m is not positive");
  }
  if (!(l.roughness > 0) || !Finite(l.roughness)) {
    return Status::Usage("pipe " + l.id + ": roughness " + Num(l.roughness) + " is not positive");
  }
  return Status::Ok();
}

Status CheckPump(const Network& net, const Link& l) {
  if (l.curve >= static_cast<int>(net.curves.size())) {
    return Status::Usage("pump " + l.id + ": no such curve");
  }
  if (l.curve < 0 && !(l.power_kw > 0 && Finite(l.power_kw))) {
    return Status::Usage("pump " + l.id + " has neither a head curve nor a power");
  }
  if (!(l.speed >= 0) || !Finite(l.speed)) {
    return Status::Usage("pump " + l.id + ": speed " + Num(l.speed) + " is negative");
  }
  return Status::Ok();
}

Status CheckValve(const Network& net, const Link& l) {
  bool control = l.valve == ValveType::kPRV || l.valve == ValveType::kPSV ||
                 l.valve == ValveType::kFCV;
  auto fixed = [&](int n) { return net.nodes[n].kind != Node::Kind::kJunction; };
  if (control && (fixed(l.from) || fixed(l.to))) {
    return Status::Usage("valve " + l.id + ": a " + ValveTypeName(l.valve) +
                         " cannot join a reservoir or tank");
  }
  if (l.valve == ValveType::kGPV &&
      (l.curve < 0 || l.curve >= static_cast<int>(net.curves.size()))) {
    return Status::Usage("valve " + l.id + ": a GPV needs a head-loss curve");
  }
  if (!Finite(l.setting)) return Status::Usage("valve " + l.id + ": setting is not finite");
  return Status::Ok();
}

Status CheckLink(const Network& net, const Link& l) {
  int n = static_cast<int>(net.nodes.size());
  if (l.from < 0 || l.from >= n || l.to < 0 || l.to >= n) {
    return Status::Usage(Name(l) + ": joins an unknown node");
  }
  if (l.from == l.to) {
    return Status::Usage(Name(l) + ": starts and ends at node " + net.nodes[l.from].id);
  }
  if (l.kind != Link::Kind::kPump && (!(l.diameter_m > 0) || !Finite(l.diameter_m))) {
    return Status::Usage(
        Name(l) + ": diameter " + Num(l.diameter_m) + " m is not positive");
  }
  if (!(l.minor_loss >= 0) || !Finite(l.minor_loss)) {
    return Status::Usage(Name(l) + ": minor loss is negative");
  }
  switch (l.kind) {
    case Link::Kind::kPipe: return CheckPipe(l);
    case Link::Kind::kPump: return CheckPump(net, l);
    case Link::Kind::kValve: return CheckValve(net, l);
  }
  return Status::Ok();
}

// EPANET's rules against control valves that would fight over one node:
// two PRVs sharing a downstream node or in series, two PSVs sharing an
// upstream node or in series, a PSV downstream of a PRV or FCV, a PRV
// upstream of an FCV. Counted per node, so any number of valves is linear.
Status CheckValvePairs(const Network& net) {
  struct Ends { int prv_up = 0, prv_down = 0, psv_up = 0, psv_down = 0, fcv_up = 0, fcv_down = 0; };
  std::vector<Ends> at(net.nodes.size());
  for (const Link& l : net.links) {
    if (l.kind != Link::Kind::kValve) continue;
    if (l.valve == ValveType::kPRV) ++at[l.from].prv_up, ++at[l.to].prv_down;
    if (l.valve == ValveType::kPSV) ++at[l.from].psv_up, ++at[l.to].psv_down;
    if (l.valve == ValveType::kFCV) ++at[l.from].fcv_up, ++at[l.to].fcv_down;
  }
  for (size_t i = 0; i < at.size(); ++i) {
    const Ends& e = at[i];
    bool bad = e.prv_down > 1 || (e.prv_down && e.prv_up) || e.psv_up > 1 ||
               (e.psv_up && e.psv_down) || (e.psv_up && e.prv_down) ||
               (e.psv_up && e.fcv_down) || (e.fcv_up && e.prv_down);
    if (bad) return Status::Usage("node " + net.nodes[i].id + ": control valves conflict there");
  }
  return Status::Ok();
}

// Every junction needs a path, over links of any status, to a fixed head.
// The links are gathered per node in one array (counting sort), so a
// network of any size costs two allocations.
Status CheckConnected(const Network& net) {
  size_t n = net.nodes.size();
  std::vector<int> start(n + 1, 0), adj(2 * net.links.size());
  for (const Link& l : net.links) ++start[l.from + 1], ++start[l.to + 1];
  for (size_t i = 0; i < n; ++i) start[i + 1] += start[i];
  std::vector<int> fill(start.begin(), start.end() - 1);
  for (const Link& l : net.links) adj[fill[l.from]++] = l.to, adj[fill[l.to]++] = l.from;
  std::vector<char> seen(n, 0);
  std::vector<int> stack;
  for (size_t i = 0; i < n; ++i) {
    if (net.nodes[i].kind != Node::Kind::kJunction) seen[i] = 1, stack.push_back(static_cast<int>(i));
  }
  if (stack.empty()) return Status::Usage("the network has no reservoir or tank (no fixed head)");
  while (!stack.empty()) {
    int v = stack.back();
    stack.pop_back();
    for (int e = start[v]; e < start[v + 1]; ++e) {
      if (!seen[adj[e]]) seen[adj[e]] = 1, stack.push_back(adj[e]);
    }
  }
  int missing = 0;
  std::string first;
  for (size_t i = 0; i < n; ++i) {
    if (!seen[i] && missing++ == 0) first = net.nodes[i].id;
  }
  if (missing == 0) return Status::Ok();
  return Status::Usage("junction " + first +
                       (missing > 1 ? " (and " + std::to_string(missing - 1) + " more)" : "") +
                       " has no path to a reservoir or tank");
}

}  // namespace

Status Validate(const Network& net) {
  if (net.nodes.empty()) return Status::Usage("the network has no nodes");
  if (!(net.viscosity_m2s > 0) || !(net.specific_gravity > 0)) {
    return Status::Usage("viscosity and specific gravity must be positive");
  }
  HEAT_TRY(CheckNodes(net));
  HEAT_TRY(CheckCurves(net));
  std::unordered_set<std::string_view> ids;
  ids.reserve(net.links.size());
  for (const Link& l : net.links) {
    if (l.id.empty()) return Status::Usage("a link has an empty id");
    if (!ids.insert(l.id).second) return Status::Usage("link " + l.id + " is defined twice");
    HEAT_TRY(CheckLink(net, l));
  }
  HEAT_TRY(CheckValvePairs(net));
  return CheckConnected(net);
}

}  // namespace heat::analysis
