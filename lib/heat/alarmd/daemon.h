// alarmd/daemon.h — heatd-alarm (heatd-alarm(8), ALM-1..4, MON-3): raises
// and clears alarms from readings as they are committed, and from the
// clock (delays, communication loss). main() only calls AlarmMain.
//
// Two threads: the main loop takes signals (cli/daemon_main.h) and pings
// the watchdog; the evaluator waits on its PostgreSQL connection for the
// feed's notification (LISTEN heat_reading) — or a second, for the clock —
// and runs one round (alarmd/store.h) per wake-up. After any database
// error the evaluator reconnects and reloads its states from the
// database, so that the round that failed is evaluated again from the
// state it started from.
#pragma once

namespace heat::alarmd {

int AlarmMain(int argc, char** argv);

}  // namespace heat::alarmd
