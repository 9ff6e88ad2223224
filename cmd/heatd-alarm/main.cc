// heatd-alarm — raises and clears alarms from readings as they are
// committed and from the clock. See heatd-alarm(8).
#include "heat/alarmd/daemon.h"

int main(int argc, char** argv) { return heat::alarmd::AlarmMain(argc, argv); }
