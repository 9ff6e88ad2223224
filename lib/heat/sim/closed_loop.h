// sim/closed_loop.h — a control strategy (control/strategy.h) closing the
// loop over a simulated station (physics/station.h): what the station's
// control box and room sensors would report, one Step() of the strategy on
// it, and the commands sent back to the valve and pump (CTL-1..4).
//
// Each call of StepClosedLoop advances the model by dt_s, then measures and
// controls, so the commands act from the next step on (a real controller
// also reads before it acts). Room sensors (DEV-1) report every
// sensor_period_s, not every step; between reports the strategy sees the
// last reading growing older, as it would from the database. Readings of
// flats whose heating is suspended (stealing or not) are not given to the
// strategy: the company knows those flats from billing and leaves their
// sensors out, otherwise one cold suspended flat would heat the station.
//
// Deterministic for a given station seed and call sequence. Not
// thread-safe; distinct ControlledStations may step on distinct threads.
#pragma once

#include <utility>
#include <vector>

#include "heat/control/strategy.h"
#include "heat/sim/physics/station.h"

namespace heat::sim {

struct ControlledStation {
  ControlledStation(physics::Station s, control::StationConfig c)
      : station(std::move(s)), config(std::move(c)) {}

  physics::Station station;
  control::StationConfig config;
  control::ControlState state;
  double sensor_period_s = 600;
  double last_report_s = -1;            // simulated time of the last report; < 0: none yet
  std::vector<control::RoomReading> rooms;  // as last reported
};

// The control box's values: outdoor, wind and sun as the weather gave them,
// temperatures, dp2, f1, pw1, valve and pump feedback; no rooms.
control::Measurements MeasureStation(physics::Station& s, const physics::WeatherSample& w);

// The readings of the sensors in flats whose heating is on, drawn now.
std::vector<control::RoomReading> ReadHeatedRooms(physics::Station& s);

// Advances cs over dt_s from simulated time t_s under weather w, then runs
// the strategy at `clock` (the instant t_s + dt_s) and applies what it
// commands. Returns the commands.
control::Commands StepClosedLoop(ControlledStation& cs, double dt_s, double t_s,
                                 const physics::WeatherSample& w, const control::Clock& clock);

}  // namespace heat::sim
