// analysis/balance.h — hydraulic balance of a network's stations (ANA-3):
// which stations get more or less than their design flow, the balancing
// valve setting that would give each its design flow (found with the
// solver, all stations at once), and measurements that contradict each
// other or the model. Pure functions: no database, no clock.
//
// How a station appears in the model: its node (the station's side of
// its balancing valve) is a fixed head, the head at which the station
// hands the water back to the return main (return pressure plus the
// station's own loss); its balancing valve is a TCV joining that node to
// the network. So the pressure difference across the valve, not a fixed
// demand, decides what the station takes, as it does in the pipes. A
// station whose node is a junction takes its demand whatever the valve
// does: it is reported, not balanced.
//
// Flows per area are litres per hour and m² of heating area (l/(h·m²)),
// the figure engineers compare across stations; deviations are percent of
// the design flow. Measured flows are judged at the network's load: below
// design weather every station draws less than its design flow, so a
// station's measured share of its design flow is compared with the median
// share of the measured stations (the load), not with 100 % (with fewer
// than two measured stations the load is taken as design). The model is
// the design state: its flows are compared with design.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "heat/analysis/hydraulics.h"
#include "heat/core/status.h"

namespace heat::analysis {

struct BalanceStation {
  std::string code;
  int node = -1;            // the station's node in the Network
  double design_m3h = 0;    // heat.station.design_flow_m3h
  double area_m2 = 0;       // heating area; 0 = unknown
  // Measured (means over the analysed hours), absent when not measured.
  std::optional<double> flow_m3h = {};                      // primary flow f1
  std::optional<double> supply_mpa = {}, return_mpa = {};   // p1s, p1r
};

struct BalanceOptions {
  double threshold_pct = 15;           // |deviation| beyond this: unbalanced
  double pressure_tolerance_mpa = 0.05;  // measured p1s against the model's
  double open_setting = 0.5;           // a balancing valve's K fully open
  double target_pct = 0.5;             // the balanced flows must be this close to design
  int max_rounds = 50;                 // solves while stations are found unreachable
  SolveOptions solve;
};

struct StationBalance {
  std::string code;
  int valve = -1;                      // its TCV, -1 when it has none
  double design_m3h = 0, model_m3h = 0;
  std::optional<double> measured_m3h;
  std::optional<double> design_lhm2, model_lhm2, measured_lhm2;  // l/(h·m²); absent without an area
  double model_dev_pct = 0;
  std::optional<double> measured_dev_pct;  // against its design flow at the network's load
  std::optional<double> setting;           // the valve's K now
  std::optional<double> balanced_setting;  // the K that gives the design flow
  double balanced_m3h = 0;                 // its flow with every balanced setting applied
  std::optional<double> model_supply_mpa;  // pressure at the valve's inlet, model
  bool unbalanced = false;
  std::string reason;                      // what is wrong and what to do; "" when balanced
};

struct Anomaly {
  std::string station;
  std::string kind;  // flow_without_dp | dp_without_flow | pressure_vs_model | model_vs_measured
  std::string message;
};

struct BalanceResult {
  std::vector<StationBalance> stations;  // in the order given
  std::vector<Anomaly> anomalies;
  Solution current;    // the model as stored
  Solution balanced;   // with every balanced setting applied
  double load = 1;     // the measured stations' median share of design flow (1: design)
  int rounds = 0;      // solves needed to find the settings
  bool converged = false;  // every station that can be balanced within target_pct
};

// The station's balancing valve: the TCV with one end at its node, -1.
int StationValve(const Network& net, int node);

// Solves the network as given and with balanced settings; kUsage when a
// station names no node of the network; solver errors as Solve gives them.
Result<BalanceResult> Balance(const Network& net, const std::vector<BalanceStation>& stations,
                              const BalanceOptions& options = {});

// The network with each station's valve set to its balanced setting.
Network WithSettings(const Network& net, const BalanceResult& result);

}  // namespace heat::analysis
