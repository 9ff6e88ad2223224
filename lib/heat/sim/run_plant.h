// sim/run_plant.h — what heatsim run plays, from the base information in
// the database: a model loop (sim/physics/station.h) per station control
// box (MQTT) and per PLC (Modbus TCP), the room sensors (CoAP) that read
// the loops' flats, and how a PLC's tags name the model's values.
// heatsim(1), RUN, documents every rule here.
//
// A station with a control box and a PLC (S14 of the demo: a low zone on
// the box, a high zone on the PLC) is two loops: its buildings, in code
// order, are dealt in contiguous runs to its loops (box first), and each
// loop heats the share of the station's area that its buildings have
// (equal shares when the buildings give no area). Each loop's design comes
// from the station's heating_area_m2, design_supply_c, design_return_c and
// design_flow_m3h (the load per m² from the design flow), and its seed from
// the loop's name and --seed, so the same database gives the same numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/proto/regmap.h"
#include "heat/sim/physics/rng.h"
#include "heat/sim/physics/station.h"

namespace heat::sim {

struct StationRow {
  std::string code;
  double area_m2 = 0;  // 0: unknown
  std::optional<double> supply_c, return_c, flow_m3h;
};

struct BuildingRow {
  std::string code;
  double area_m2 = 0;
};

// Defaults when the station does not say (heatsim(1)).
inline constexpr double kDefaultAreaM2 = 50000;
inline constexpr double kValveStartPct = 80;  // what a box holds before any command

// FNV-1a of name, mixed with seed: the same on every machine.
uint64_t SeedFor(const std::string& name, uint64_t seed);

// The design of a loop heating `share` (0..1] of station s, named `name`,
// with `buildings` model buildings (0: the model's default). The load per m²
// follows from design_flow_m3h × 1.163 × (supply − return) / area when all
// are given (held to 20..150 W/m²), else 50 W/m².
physics::StationDesign DesignFor(const StationRow& s, const std::string& name, double share, int buildings,
                                 uint64_t seed);

// Splits a station's buildings (code order) among `loops` loops: loop i
// gets a contiguous run, the first loops one more when they do not divide.
std::vector<std::vector<BuildingRow>> DealBuildings(const std::vector<BuildingRow>& b, int loops);

// One loop of the model and the names it answers to.
struct Loop {
  std::string name;      // the station code (box loop) or the PLC's device code
  std::string station;   // station code
  bool box = false;      // played by an MQTT control box
  std::vector<std::string> buildings;  // base-information codes of its model buildings, in order
  physics::Station model;
};

// Builds a loop; a design the model refuses (temperatures out of order)
// falls back to the default temperatures, said on stderr.
Result<Loop> MakeLoop(const StationRow& s, const std::string& name, bool box, double share,
                      const std::vector<BuildingRow>& buildings, uint64_t seed);

// The model tag a PLC tag names: a trailing zone suffix (_h, _m, _l) is
// dropped and a valve or pump number is the loop's own valve and pump:
// t2s_h -> t2s, v2 -> v1, v2_set -> v1_set, pump2_hz -> pump1_hz,
// kwh_h -> kwh. Tags without a model value map to themselves.
std::string ModelTag(const std::string& plc_tag);

// The value of a model tag (Station::Tags() plus manual); for the
// setpoints a PLC serves back (setpoint = true) v1_set, pump1_hz and
// pump1_run are the values applied, not the running state. None: the
// model has no such value.
std::optional<double> LoopTagValue(const physics::Station& st, const std::string& model_tag, bool setpoint);

// --fault KIND on a loop: valve_stuck, valve_slow, valve_drift,
// pump_trip, pump_converter, leak. kUsage for another kind.
Status ApplyFault(physics::Station& st, const std::string& kind);

// A room sensor (DEV-1) of a loop's flat.
struct Sensor {
  std::string address;    // the IMEI
  size_t loop = 0;        // index into the plant's loops
  size_t building = 0, flat = 0;
  int upload_s = 1800, sample_s = 600;  // the device's settings, model seconds
  physics::Rng rng{1};
};

// Sensors of one model building, in code order, onto its flats that have
// a sensor (all its flats when none has), round and round.
void PlaceSensors(const physics::Building& b, size_t building, std::vector<Sensor*>& sensors);

// A PLC (DEV-4) played on its address by one loop.
struct Plc {
  std::string device, address;  // host[:port][/unit]
  proto::RegisterMap map;
  size_t loop = 0;
};

struct Plant {
  std::vector<Loop> loops;
  std::vector<Plc> plcs;
  std::vector<Sensor> sensors;
  Loop* Find(const std::string& name);
};

// Every station with a control box (mqtt) or a PLC (modbus_tcp with a
// register map), from the database (libpq environment), and the CoAP room
// sensors of their buildings; only `stations` when not empty. kNotFound
// when nothing is left to play.
Result<Plant> LoadPlant(const std::vector<std::string>& stations, uint64_t seed);

}  // namespace heat::sim
