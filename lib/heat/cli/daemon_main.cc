#include "heat/cli/daemon_main.h"

#include <CLI/CLI.hpp>
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <iostream>

#include "heat/core/config_reload.h"
#include "heat/core/log.h"
#include "heat/core/version.h"

namespace heat::cli {

int DaemonMain(const DaemonSpec& spec, int argc, char** argv) {
  CLI::App app(spec.about, spec.name);
  std::string path;
  bool check = false;
  app.add_option("-c,--config", path, "configuration file (default /etc/heat/heat.yaml or $HEAT_CONFIG)");
  app.add_flag("--check-config", check, "validate the configuration and exit");
  app.set_version_flag("--version", spec.name + " " + Version());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto cfg = LoadDaemonConfig(path);
  Status st = cfg.ok() ? Status::Ok() : cfg.status();
  if (st.ok() && check && spec.check) st = spec.check(*cfg);
  if (!st.ok()) {
    std::cerr << spec.name << ": " << st.message() << "\n";
    return st.exit_code();
  }
  if (check) {
    std::cout << (path.empty() ? "configuration" : path) << ": ok\n";
    return 0;
  }
  if (auto lvl = log::ParseLevel(cfg->str("log.level")); lvl.ok()) log::SetLevel(*lvl);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return spec.run(std::move(cfg).value(), path);
}

void RunUntilStopped(const std::function<void()>& reload, const std::function<void()>& tick) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  timespec second{1, 0};
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &second);
    if (sig == SIGTERM || sig == SIGINT) return;
    if (sig == SIGHUP) reload();
    sd_notify(0, "WATCHDOG=1");
    tick();
  }
}

}  // namespace heat::cli
