// controld/daemon.h — heatd-control (heatd-control(8), CTL-1..4, DEV-3,
// DEV-4, SYS-2): runs each enabled station's strategy at its period and
// sends every command — its own and people's — over the station's own
// transport, keeping heat.command and the operation log current. main()
// only calls ControlMain.
//
// Manners as heatd-ingest (DESIGN §4): signals blocked in every thread and
// taken by the main loop; SIGHUP rereads the configuration and applies it
// only when valid (core/config_reload.h); Type=notify with a watchdog.
#pragma once

namespace heat::controld {

int ControlMain(int argc, char** argv);

}  // namespace heat::controld
