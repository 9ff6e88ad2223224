// heatd-ingest — readings from room sensors, heat meters and station
// control boxes into PostgreSQL, never losing an acknowledged one.
// See heatd-ingest(8).
#include "heat/ingest/daemon.h"

int main(int argc, char** argv) { return heat::ingest::IngestMain(argc, argv); }
