// counter/counter.h — the cashier's counter (billctl tui, BIL-5, BIL-8,
// BIL-9, BIL-11, BIL-12): one full-screen terminal program for the whole
// day at a service hall. Every screen and key is listed in billctl(1).
//
// It works through the same library and database rules as every billctl
// command: searching and charging call billing/ (find.h, house_view.h,
// ops.h) on one connection; the other operations (refund, reversal,
// requests, heating status, cards, reprints) run billctl's own command
// table in this process, so their rules, approvals and messages are
// exactly billctl's.
#pragma once

#include <string>

#include "heat/cli/command.h"

namespace heat::counter {

struct Options {
  std::string season;   // the season charged (empty: the current one)
  std::string timings;  // a file to append "MS WHAT" per key handled (scripts/bench-cashier)
  int limit = 200;      // houses listed per search
};

// Runs until F10 (or Ctrl-Q, or the terminal closes). kUsage when not on a
// terminal.
Status Run(cli::Context& ctx, const Options& options);

}  // namespace heat::counter
