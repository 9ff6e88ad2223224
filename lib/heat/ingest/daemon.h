// ingest/daemon.h — heatd-ingest: the daemon around the pipeline and its
// transports (heatd-ingest(8)). main() only calls IngestMain.
//
// Manners (DESIGN §4): signals are blocked in every thread and taken by the
// main loop with sigtimedwait, so handlers never run in odd places; SIGHUP
// parses the configuration anew and applies the reloadable options only if
// it is valid (else the old one stays, with a logged error); SIGTERM and
// SIGINT stop the transports, drain the queue into PostgreSQL or the spool,
// and exit 0. Under systemd (Type=notify) it reports READY, RELOADING,
// STOPPING, STATUS and pings the watchdog.
#pragma once

namespace heat::ingest {

int IngestMain(int argc, char** argv);

}  // namespace heat::ingest
