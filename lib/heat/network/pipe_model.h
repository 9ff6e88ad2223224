// network/pipe_model.h — a network's stored hydraulic model (lib/sql 0039)
// as the solver's Network (analysis/hydraulics.h), and a Network stored as
// a network's model (ANA-3, ARC-1).
//
// Units: the database keeps m³/h and millimetres, the solver SI (m³/s, m);
// converted here and nowhere else. Node and link ids are the stored codes;
// a pump's or GPV's curve becomes a Curve named after its link. Locations
// are WGS84 lon/lat: a node's location is its x/y (has_xy), a link's path
// without its two ends is its vertices.
//
// Reads and writes go through row-level security: a network the caller
// cannot see is kNotFound, one it may not write kPermission (the
// database's answer).
#pragma once

#include <string>
#include <vector>

#include "heat/analysis/hydraulics.h"
#include "heat/db/conn.h"

namespace heat::network {

struct PipeModel {
  std::string network;               // the network's code
  analysis::Network net;
  std::vector<std::string> station;  // per node: the station whose load it is, or ""
};

// The model of a visible network; kNotFound when the network is not
// visible or has no nodes yet (the message says how to add them).
Result<PipeModel> LoadPipeModel(db::Conn& conn, const std::string& network);

struct StoreReport {
  int nodes = 0, links = 0;
  int removed_nodes = 0, removed_links = 0;
  bool geometry = false;     // coordinates were stored as locations
  std::string coordinates;   // one line saying what became of them
};

// Stores `net` as the model of a visible network, with its headloss
// formula, in one transaction: an existing model is kConflict unless
// `replace` (then it is removed first). Checks the network with
// analysis::Validate and every id against the code rule first; any error
// leaves the database as it was.
//
// Coordinates are kept as locations (and vertices as paths) when every one
// lies within lon -180..180 and lat -90..90, as WGS84 lon/lat; otherwise
// (a local grid, a drawing's units) nothing is stored as geometry and
// `coordinates` says so.
Result<StoreReport> StorePipeModel(db::Conn& conn, const std::string& network, const analysis::Network& net,
                                   bool replace);

}  // namespace heat::network
