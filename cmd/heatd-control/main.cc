// heatd-control — runs each station's control strategy and sends every
// command over the station's own transport. See heatd-control(8).
#include "heat/controld/daemon.h"

int main(int argc, char** argv) { return heat::controld::ControlMain(argc, argv); }
