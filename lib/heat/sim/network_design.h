// sim/network_design.h — the model's design of each station of a network
// file (network/yaml_io.h), so that a simulation plays the stations people
// imported rather than made-up ones.
//
// Taken from the file: the station's code, heating_area_m2 and primary
// design_supply_c / design_return_c (where given), and how many buildings
// name the station (none listed: the model's default 6). Everything else
// is StationDesign's default (heatsim(1), MODEL). The seed is a hash
// (FNV-1a) of the code, so each station draws its own flats, the same on
// every machine and in every run, whatever else the file holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heat/core/status.h"
#include "heat/network/yaml_io.h"
#include "heat/sim/physics/station.h"

namespace heat::sim {

// FNV-1a, 64 bits.
uint64_t SeedOf(const std::string& code);

// One design per station of the document, in the file's order. kUsage
// naming the station for a heating area that is missing, zero or not a
// number.
Result<std::vector<physics::StationDesign>> NetworkDesigns(const network::Document& doc);

}  // namespace heat::sim
