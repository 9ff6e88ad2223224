// analysis/generate.cc — see generate.h. The junctions of the grid or tree
// come first in Network::nodes (index = junction number - 1).
#include "heat/analysis/generate.h"

#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

#include "heat/sim/physics/rng.h"

namespace heat::analysis {
namespace {

using sim::physics::Rng;

constexpr double kPi = 3.14159265358979323846;
// Water at 70 °C, m²/s: district heating rather than drinking water.
constexpr double kViscosity70C = 0.413e-6;
// Nominal diameters (DN), m.
constexpr double kDn[] = {0.05, 0.065, 0.08, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.35,
                          0.4,  0.45,  0.5,  0.6, 0.7,   0.8,  0.9, 1.0,  1.2, 1.4};
constexpr double kGridPipeDn[] = {0.1, 0.125, 0.15, 0.2, 0.25};
constexpr double kGridTrunkDn[] = {0.4, 0.5, 0.6};

double Round(double v, double step) { return std::floor(v / step + 0.5) * step; }

// The smallest DN that carries `flow_m3s` at no more than 1.2 m/s.
double SizedDn(double flow_m3s) {
  for (double d : kDn)
    if (flow_m3s <= 1.2 * kPi * d * d / 4) return d;
  return kDn[std::size(kDn) - 1];
}

// Adds nodes, links and curves with the random properties of generate.h.
class Builder {
 public:
  explicit Builder(const GenerateSpec& spec) : rng_(spec.seed) {
    net_.title = GeneratedName(spec);
    net_.formula = spec.formula;
    if (spec.formula == HeadlossFormula::kDarcyWeisbach) net_.viscosity_m2s = kViscosity70C;
  }
  Rng& rng() { return rng_; }
  Network& net() { return net_; }

  // `idle_share` of the junctions (houses that take nothing now) have no
  // demand.
  int Junction(double x, double y, double idle_share = 0) {
    Node n = At("J" + std::to_string(++junctions_), x, y);
    n.elevation_m = Round(rng_.Uniform(0, 25), 0.01);
    bool idle = rng_.Uniform() < idle_share;
    n.demand_m3s = idle ? 0 : Round(rng_.Uniform(0.02, 0.15), 1e-4) * 1e-3;
    net_.nodes.push_back(std::move(n));
    return static_cast<int>(net_.nodes.size()) - 1;
  }
  // EPANET connects no PRV, PSV or FCV to a fixed head: a reservoir feeds
  // such a valve through a short main to a junction without demand.
  int Gate(double head_m, double x, double y) {
    int r = Reservoir(head_m, x, y - 50);
    int gate = Junction(x, y);
    net_.nodes[gate].demand_m3s = 0;
    Pipe(r, gate, 50, 0.5).minor_loss = 0;
    return gate;
  }
  int Reservoir(double head_m, double x, double y) {
    Node n = At("R" + std::to_string(++reservoirs_), x, y);
    n.kind = Node::Kind::kReservoir;
    n.elevation_m = n.head_m = head_m;
    net_.nodes.push_back(std::move(n));
    return static_cast<int>(net_.nodes.size()) - 1;
  }
  Link& Pipe(int from, int to, double length_m, double diameter_m) {
    Link& l = Add("P" + std::to_string(++pipes_), Link::Kind::kPipe, from, to);
    l.length_m = length_m;
    l.diameter_m = diameter_m;
    l.roughness = net_.formula == HeadlossFormula::kDarcyWeisbach
                      ? Round(rng_.Uniform(0.02, 0.1), 0.001)
                      : 100 + 10 * static_cast<double>(rng_.Next() % 5);
    if (rng_.Uniform() < 0.2) l.minor_loss = Round(rng_.Uniform(0.5, 3), 0.1);
    return l;
  }
  double Length() { return Round(rng_.Uniform(20, 200), 0.1); }
  Link& Pump(int from, int to, std::vector<std::pair<double, double>> curve) {
    net_.curves.push_back({"C" + std::to_string(net_.curves.size() + 1), std::move(curve)});
    Link& l = Add("PU" + std::to_string(++pumps_), Link::Kind::kPump, from, to);
    l.curve = static_cast<int>(net_.curves.size()) - 1;
    return l;
  }
  Link& Valve(int from, int to, ValveType type, double diameter_m, double setting) {
    Link& l = Add("V" + std::to_string(++valves_), Link::Kind::kValve, from, to);
    l.valve = type;
    l.diameter_m = diameter_m;
    l.setting = setting;
    l.status = InitialStatus::kActive;
    return l;
  }

 private:
  static Node At(std::string id, double x, double y) {
    Node n;
    n.id = std::move(id);
    n.has_xy = true;
    n.x = x;
    n.y = y;
    return n;
  }
  Link& Add(std::string id, Link::Kind kind, int from, int to) {
    Link& l = net_.links.emplace_back();
    l.id = std::move(id);
    l.kind = kind;
    l.from = from;
    l.to = to;
    return l;
  }

  Rng rng_;
  Network net_;
  int junctions_ = 0, reservoirs_ = 0, pipes_ = 0, pumps_ = 0, valves_ = 0;
};

double TotalDemand(const Network& net) {
  double sum = 0;
  for (const Node& n : net.nodes) sum += n.demand_m3s;
  return sum;
}

template <size_t N>
double Pick(Rng& rng, const double (&table)[N]) {
  return table[rng.Next() % N];
}

void GridPipes(Builder& b, int junctions, int width) {
  int rows = (junctions + width - 1) / width;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < width && r * width + c < junctions; ++c) {
      int k = r * width + c;
      if (c + 1 < width && k + 1 < junctions) {
        double d = r % 10 == 0 ? Pick(b.rng(), kGridTrunkDn) : Pick(b.rng(), kGridPipeDn);
        if (r == rows / 2 && c == width / 2)  // a throttled main: local loss K 10
          b.Valve(k, k + 1, ValveType::kTCV, d, 10);
        else
          b.Pipe(k, k + 1, b.Length(), d);
      }
      if (k + width < junctions) {
        // Two draws in sequence, never in one call's arguments: their order
        // would be the compiler's (the diameter was drawn first).
        double dn = c % 10 == 0 ? Pick(b.rng(), kGridTrunkDn) : Pick(b.rng(), kGridPipeDn);
        b.Pipe(k, k + width, b.Length(), dn);
      }
    }
  }
}

Network Grid(Builder& b, int nodes) {
  int junctions = nodes - 4, width = 1;
  while (width * width < junctions) ++width;
  for (int k = 0; k < junctions; ++k) b.Junction(100.0 * (k % width), 100.0 * (k / width), 0.1);
  GridPipes(b, junctions, width);
  double total = TotalDemand(b.net()), far = 100.0 * width;
  // The main source: a pump lifting from a low reservoir at one corner.
  int r1 = b.Reservoir(40, -100, 0);
  b.Pump(r1, 0, {{Round(0.45 * total, 1e-6), 45}});
  // A high reservoir at the far corner, let down to 80 m of head by a PRV.
  int last = junctions - 1;
  double prv_setting = Round(80 - b.net().nodes[last].elevation_m, 0.01);
  b.Valve(b.Gate(95, far, far), last, ValveType::kPRV, 0.4, prv_setting);
  // A third reservoir feeding the middle through a long main.
  int mid = (junctions / width / 2) * width + width / 2;
  int r3 = b.Reservoir(78, far / 2, -200);
  b.Pipe(r3, mid, 1000, 0.4);
  return std::move(b.net());
}

// Whether `node` lies in the branch that starts at `branch` (parent[0] is
// -1: junction 0 is the root).
bool InBranch(const std::vector<int>& parent, int node, int branch) {
  for (; node >= 0; node = parent[node])
    if (node == branch) return true;
  return false;
}

// The first junction after `start` whose branch holds 2-10 % of them,
// apart from the branches that start at `avoid` (neither in one nor
// holding one).
int MidBranch(const std::vector<int>& parent, const std::vector<int>& size, int start,
              const std::vector<int>& avoid) {
  int n = static_cast<int>(parent.size());
  auto apart = [&](int i) {
    for (int a : avoid)
      if (InBranch(parent, i, a) || InBranch(parent, a, i)) return false;
    return true;
  };
  for (int i = start; i < n; ++i)
    if (size[i] * 50 >= n && size[i] * 10 <= n && apart(i)) return i;
  return n - 1;
}

// A check valve on the pipe to the last leaf that draws water (its flow is
// that demand, so the valve stays open).
void CheckValveOnALeaf(Network& net, const std::vector<int>& size, int skip) {
  for (int i = static_cast<int>(size.size()) - 1; i > 0; --i) {
    Link& l = net.links[i];  // links[0] is the root pump, links[i] feeds i
    if (size[i] == 1 && i != skip && net.nodes[i].demand_m3s > 0 && l.kind == Link::Kind::kPipe) {
      l.check_valve = true;
      return;
    }
  }
}

Network Tree(Builder& b, int nodes) {
  int junctions = nodes - 3;
  std::vector<int> parent(junctions, -1), depth(junctions, 0), size(junctions, 1);
  for (int i = 1; i < junctions; ++i) {
    parent[i] = static_cast<int>(b.rng().Uniform() * i);
    depth[i] = depth[parent[i]] + 1;
  }
  // Every junction draws water: a branch without flow leaves EPANET's
  // Hazen-Williams gradient at its floor (RQTOL), and its matrix then too
  // ill-conditioned to converge to 1e-8.
  for (int i = 0; i < junctions; ++i) b.Junction(100.0 * depth[i], 10.0 * i);
  std::vector<double> flow(junctions);  // demand downstream of each junction
  for (int i = 0; i < junctions; ++i) flow[i] = b.net().nodes[i].demand_m3s;
  for (int i = junctions - 1; i > 0; --i) {
    flow[parent[i]] += flow[i];
    size[parent[i]] += size[i];
  }
  double total = flow[0], q = Round(total, 1e-6);
  b.Pump(b.Reservoir(30, -100, 0), 0, {{0, 80}, {q, 65}, {2 * q, 30}});
  int prv = MidBranch(parent, size, 1, {});
  int boost = MidBranch(parent, size, prv + 1, {prv});
  int fcv = MidBranch(parent, size, boost + 1, {prv, boost});
  for (int i = 1; i < junctions; ++i) {
    if (i == prv)  // 30 m of pressure below it
      b.Valve(parent[i], i, ValveType::kPRV, SizedDn(flow[i]), 30);
    else if (i == boost)
      b.Pump(parent[i], i, {{Round(flow[i], 1e-6), 8}});
    else
      b.Pipe(parent[i], i, b.Length(), SizedDn(flow[i]));
  }
  // A second source closing a loop: an FCV passing 15 % of the demand.
  b.Valve(b.Gate(120, 0, -100), fcv, ValveType::kFCV, SizedDn(0.15 * total),
          Round(0.15 * total, 1e-6));
  CheckValveOnALeaf(b.net(), size, fcv);
  return std::move(b.net());
}

}  // namespace

Result<Network> GenerateNetwork(const GenerateSpec& spec) {
  if (spec.nodes < 20 || spec.nodes > 10'000'000)
    return Status::Usage("generated network: " + std::to_string(spec.nodes) +
                         " nodes (20 to 10000000)");
  if (spec.formula != HeadlossFormula::kHazenWilliams &&
      spec.formula != HeadlossFormula::kDarcyWeisbach)
    return Status::Usage("generated network: only Hazen-Williams or Darcy-Weisbach");
  Builder b(spec);
  return spec.layout == GeneratedLayout::kGrid ? Grid(b, spec.nodes) : Tree(b, spec.nodes);
}

Result<GenerateSpec> ParseGeneratedName(std::string_view name) {
  auto bad = [&] {
    return Status::Usage("generated network '" + std::string(name) +
                         "': expected <grid|tree>-<dw|hw>-<nodes>, e.g. grid-dw-10000");
  };
  GenerateSpec spec;
  if (name.starts_with("grid-")) spec.layout = GeneratedLayout::kGrid;
  else if (name.starts_with("tree-")) spec.layout = GeneratedLayout::kTree;
  else return bad();
  std::string_view rest = name.substr(5);
  if (rest.starts_with("dw-")) spec.formula = HeadlossFormula::kDarcyWeisbach;
  else if (rest.starts_with("hw-")) spec.formula = HeadlossFormula::kHazenWilliams;
  else return bad();
  rest.remove_prefix(3);
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), spec.nodes);
  if (ec != std::errc() || end != rest.data() + rest.size()) return bad();
  return spec;
}

std::string GeneratedName(const GenerateSpec& spec) {
  return std::string(spec.layout == GeneratedLayout::kGrid ? "grid-" : "tree-") +
         (spec.formula == HeadlossFormula::kDarcyWeisbach ? "dw-" : "hw-") +
         std::to_string(spec.nodes);
}

}  // namespace heat::analysis
