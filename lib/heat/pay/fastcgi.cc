#include "heat/pay/fastcgi.h"

#include <fcgiapp.h>
#include <sys/stat.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "heat/core/escape.h"
#include "heat/pay/app.h"
#include "heat/pay/cgi.h"

namespace heat::pay {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnStop(int) { g_stop = 1; }

// Without SA_RESTART: a signal while waiting for the next request ends
// the wait (FCGX_Accept_r fails) instead of resuming it.
void CatchStopSignals() {
  struct sigaction sa = {};
  sa.sa_handler = OnStop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a resident who went away is a failed write, not a dead worker
}

// The App of this worker, loaded again when its configuration file
// changes (size or modification time).
class Worker {
 public:
  void Refresh() {
    struct stat st = {};
    bool seen = stat(ConfigPath().c_str(), &st) == 0;
    Stamp now{seen ? st.st_mtim.tv_sec : -1, seen ? st.st_mtim.tv_nsec : -1, seen ? st.st_size : -1};
    if (app_ && now == stamp_) return;
    stamp_ = now;
    auto loaded = LoadApp();
    if (loaded.ok()) {
      app_ = std::move(*loaded);
      return;
    }
    std::cerr << "heatpay.cgi: " << EscapeControl(loaded.status().message())
              << (app_ ? " (the configuration loaded before stays in use)" : "") << "\n";
  }
  App* app() { return app_.get(); }

 private:
  struct Stamp {
    long sec = -2, nsec = -2, size = -2;
    bool operator==(const Stamp&) const = default;
  };
  std::unique_ptr<App> app_;
  Stamp stamp_;
};

Response Answer(App* app, FCGX_Request& fr) {
  if (!app) return Response::Text(503, "暂停服务 / out of service\n");
  RequestSource src{[&fr](const char* name) -> const char* { return FCGX_GetParam(name, fr.envp); },
                    [&fr](char* data, size_t n) -> size_t {
                      int got = FCGX_GetStr(data, static_cast<int>(n), fr.in);
                      return got > 0 ? static_cast<size_t>(got) : 0;
                    }};
  auto req = ReadRequest(src);
  if (!req.ok())
    return Response::Text(req.status().code() == Code::kUsage ? 413 : 400, req.status().message() + "\n");
  return app->Handle(*req);
}

}  // namespace

bool UnderFastCgi() { return !FCGX_IsCGI(); }

int ServeFastCgi() {
  if (FCGX_Init() != 0) {
    std::cerr << "heatpay.cgi: FastCGI cannot start\n";
    return 1;
  }
  CatchStopSignals();
  Worker worker;
  worker.Refresh();
  FCGX_Request fr;
  FCGX_InitRequest(&fr, 0, 0);
  while (!g_stop && FCGX_Accept_r(&fr) >= 0) {
    worker.Refresh();
    std::string out = Serialize(Answer(worker.app(), fr));
    FCGX_PutStr(out.data(), static_cast<int>(out.size()), fr.out);
    FCGX_Finish_r(&fr);
    if (worker.app()) worker.app()->EndRequest();
  }
  FCGX_Free(&fr, 1);
  return 0;
}

}  // namespace heat::pay
