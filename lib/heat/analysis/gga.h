// analysis/gga.h — the working parts of Solve() (hydraulics.h): a network
// turned into EPANET's working units (ft, cfs), the state of one Global
// Gradient trial, the linearised link coefficients, the nodal equations
// and the status rules of check valves, pumps and control valves. Internal
// to lib/heat/analysis; nothing here keeps state between calls.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "heat/analysis/headloss.h"
#include "heat/analysis/hydraulics.h"
#include "heat/core/status.h"

namespace heat::analysis::gga {

// In EPANET's order: the status rules compare types (kPrv and after are
// control valves).
enum class Type { kCvPipe, kPipe, kPump, kPrv, kPsv, kPbv, kFcv, kTcv, kGpv };

// A number for a message: %.6g.
std::string Num(double x);

inline constexpr double kMissing = -1e10;  // setting of a valve fixed open/closed

struct MLink {
  Type type = Type::kPipe;
  int n1 = 0, n2 = 0;
  PipeParams pipe;  // r, km, diameter, roughness (valves: km, diameter)
  int pump = -1;    // index into Model::pumps
  int curve = -1;   // GPV: index into Model::curves
  LinkState status = LinkState::kOpen;  // initial
  double setting = 0;                   // initial; kMissing when fixed
};

struct Model {
  int njuncs = 0;
  std::vector<int> row;  // node → matrix row, -1 for a fixed head
  std::vector<int> junction;  // matrix row → node
  std::vector<double> elevation, demand, fixed_head;  // ft, cfs, ft
  std::vector<double> tank_min, tank_max;  // ft
  std::vector<char> is_tank;  // a tank with a diameter: its levels bind
  std::vector<MLink> links;
  std::vector<PumpModel> pumps;
  std::vector<std::vector<std::pair<double, double>>> curves;  // GPV, ft/cfs
  Friction friction;
  SolveOptions options;   // limits converted to ft and cfs
  double htol = 0.0005;   // ft
  double qtol = 0.0001;   // cfs
};

// The equations of one trial: Aii per row, Aij per link (between two
// junctions), F per row; and each node's excess inflow.
struct System {
  std::vector<double> aii, aij, f, xflow;
};

struct State {
  std::vector<double> head, flow, setting, demand;
  std::vector<LinkState> status;
  std::vector<Coeff> coeff;
  double relax = 1.0;
};

Result<Model> BuildModel(const Network& net, const SolveOptions& options);
State InitialState(const Model& m);

// P and Y of every link (headlosscoeffs), then the nodal equations with
// the PRV/PSV/FCV terms (matrixcoeffs).
void LinkCoeffs(const Model& m, State& s);
void Assemble(const Model& m, State& s, System& sys);

// Status rules after a trial; true when a link changed.
bool ValveStatus(const Model& m, State& s);  // PRV, PSV
bool LinkStatus(const Model& m, State& s);   // CVs, pumps, FCVs, tanks
// A control valve at node n made the matrix singular: fix it open.
bool BadValve(const Model& m, State& s, int node);

}  // namespace heat::analysis::gga
