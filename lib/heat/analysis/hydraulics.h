// analysis/hydraulics.h — the steady-state hydraulic network model and its
// solver (ANA-3, ARC-1): one snapshot of a pipe network, solved for the
// heads at the nodes and the flows in the links by the Global Gradient
// Algorithm (Todini–Pilati) as EPANET 2.2/2.3 does it, so that its heads
// agree with EPANET's within 0.01 m and its flows within 0.1 %: the same
// head-loss formulas and constants (headloss.h), status rules for check
// valves, pumps, PRV/PSV/FCV and tanks, and convergence test.
//
// Units are SI throughout: metres, m3/s, seconds. Reservoirs and tanks are
// fixed heads in a snapshot. A flow is positive from `from` to `to`; a
// junction demand is positive when water leaves the network there.
//
// Solve() neither throws nor keeps state; it is safe to call from several
// threads on different (or the same, const) networks. Bad data, a node with
// no path to a fixed head, a network without a fixed head: kUsage naming the
// node or link. No convergence within max_trials: kFailure with the number
// of trials and the last relative change; a junction cut off by closed
// links so that the equations are singular: kFailure naming it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heat/core/status.h"

namespace heat::analysis {

enum class HeadlossFormula { kHazenWilliams, kDarcyWeisbach, kChezyManning };

struct Node {
  enum class Kind { kJunction, kReservoir, kTank };
  std::string id;
  Kind kind = Kind::kJunction;
  double elevation_m = 0;
  double demand_m3s = 0;  // junctions: total demand of the snapshot
  double head_m = 0;      // reservoirs: total head; tanks: elevation + level
  // Tanks: levels above the elevation and the diameter. Links that would
  // fill a full tank or drain an empty one are closed, as EPANET does.
  double min_level_m = 0, max_level_m = 0, tank_diameter_m = 0;
  bool has_xy = false;    // [COORDINATES] seen
  double x = 0, y = 0;
};

enum class ValveType { kPRV, kPSV, kPBV, kFCV, kTCV, kGPV };

// The status a link starts from. For a valve, kActive means its setting
// governs (the default of [VALVES]); kOpen/kClosed fix it as [STATUS] does.
enum class InitialStatus { kOpen, kClosed, kActive };

struct Link {
  enum class Kind { kPipe, kPump, kValve };
  std::string id;
  Kind kind = Kind::kPipe;
  int from = -1, to = -1;  // indices into Network::nodes
  InitialStatus status = InitialStatus::kOpen;
  // Pipes (and the diameter/minor loss of valves).
  double length_m = 0;
  double diameter_m = 0;
  double roughness = 0;    // H-W: C; D-W: absolute roughness in mm; C-M: n
  double minor_loss = 0;   // dimensionless K on v²/2g
  bool check_valve = false;  // a pipe that lets flow pass from→to only
  // Pumps: a head curve (flow m3/s → head m) or a constant power.
  int curve = -1;          // index into Network::curves; pumps and GPVs
  double power_kw = 0;     // constant-power pump when curve < 0
  double speed = 1;        // relative speed (affinity laws); 0 = closed
  // Valves. setting: PRV/PSV/PBV pressure in m, FCV flow in m3/s, TCV
  // minor-loss coefficient; GPV uses `curve` (flow m3/s → headloss m).
  ValveType valve = ValveType::kTCV;
  double setting = 0;
  std::vector<std::pair<double, double>> vertices;  // [VERTICES], x/y
};

struct Curve {
  std::string id;
  std::vector<std::pair<double, double>> points;  // x ascending
};

struct Network {
  std::string title;
  std::vector<Node> nodes;
  std::vector<Link> links;
  std::vector<Curve> curves;
  HeadlossFormula formula = HeadlossFormula::kHazenWilliams;
  double viscosity_m2s = 1.1e-5 * 0.3048 * 0.3048;  // EPANET's 1.1e-5 ft²/s
  double specific_gravity = 1.0;

  // Index of the node/link/curve with this id, or -1. Linear scans: for
  // lookups in bulk build a map.
  int FindNode(std::string_view id) const;
  int FindLink(std::string_view id) const;
  int FindCurve(std::string_view id) const;
};

struct SolveOptions {
  // Convergence: sum |ΔQ| / sum |Q| of a trial below this (EPANET ACCURACY).
  double accuracy = 1e-3;
  int max_trials = 200;     // EPANET TRIALS
  int check_frequency = 2;  // trials between status checks (CHECKFREQ)
  int max_check = 10;       // trials after which status is left alone
  double damp_limit = 0;    // relative change below which flows are damped
  double head_error_limit = 0;   // m; 0 = unchecked (EPANET HEADERROR)
  double flow_change_limit = 0;  // m3/s; 0 = unchecked (EPANET FLOWCHANGE)
};

// The state a link ends in, in EPANET's order (everything up to kClosed
// carries no flow). kXHead: a pump that cannot deliver the head asked of
// it; kTempClosed: closed for now (pump against a full/empty tank, a
// constant-power pump with no flow); kClosed also ends a check valve whose
// flow would reverse; kActive: a PRV/PSV/FCV holding its setting; kXFcv: an
// FCV that cannot pass its setting; kXPressure: a PRV/PSV that cannot hold it.
enum class LinkState { kXHead, kTempClosed, kClosed, kOpen, kActive, kXFcv, kXPressure };

struct Solution {
  std::vector<double> head_m;     // per node
  std::vector<double> demand_m3s;  // per node; at fixed heads the outflow (negative = supplying)
  std::vector<double> flow_m3s;   // per link, + from→to
  std::vector<double> headloss_m;  // per link: head(from) - head(to)
  std::vector<LinkState> status;  // per link
  int trials = 0;
  double relative_change = 0;    // sum |ΔQ| / sum |Q| of the last trial
};

// Checks a network's data without solving: ids, indices, positive lengths
// and diameters, curves with ascending points, at least one fixed head.
Status Validate(const Network& net);

Result<Solution> Solve(const Network& net, const SolveOptions& options = {});

const char* LinkStateName(LinkState s);
const char* ValveTypeName(ValveType t);

}  // namespace heat::analysis
