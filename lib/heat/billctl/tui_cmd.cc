// billctl tui: the cashier's counter on a terminal (counter/counter.h).
#include "heat/billctl/commands.h"
#include "heat/counter/counter.h"

namespace heat::billctl {

std::vector<cli::Command> TuiCommands() {
  return {{"tui", "the cashier's counter: a full-screen terminal for search, charges and every operation",
           "BIL-5 BIL-8 BIL-9 BIL-11 BIL-12",
           [](CLI::App& app) -> cli::Runner {
             auto o = std::make_shared<counter::Options>();
             app.add_option("--season", o->season, "the season charged (default: the current one)");
             app.add_option("--timings", o->timings, "append the milliseconds each key took to FILE");
             app.add_option("--limit", o->limit, "houses listed per search (default 200)")->check(CLI::Range(1, 10000));
             return [o](cli::Context& ctx) { return counter::Run(ctx, *o); };
           },
           false}};
}

}  // namespace heat::billctl
