#include "heat/core/config_reload.h"

#include <cstdlib>
#include <filesystem>

#include "heat/core/log.h"

namespace heat {

Result<Config> LoadDaemonConfig(const std::string& path) {
  if (!path.empty()) return Config::Load(path);
  const char* env = std::getenv("HEAT_CONFIG");
  std::string p = env ? env : "/etc/heat/heat.yaml";
  std::error_code ec;
  if (!env && !std::filesystem::exists(p, ec)) return Config::Defaults();
  return Config::Load(p);
}

Status ConfigReloader::Reload() {
  HEAT_ASSIGN(Config next, LoadDaemonConfig(path_));
  std::map<std::string, std::string> pending;
  for (const auto& key : cfg_.ChangedNotReloadable(next)) {
    const std::string& value = next.str(key);
    auto it = pending_.find(key);
    if (it == pending_.end() || it->second != value)
      log::Warning("reload: " + key + " changed; it needs a restart (running on with the old value)");
    pending[key] = value;
  }
  pending_ = std::move(pending);
  cfg_ = next.WithRestartOnlyFrom(cfg_);
  if (auto lvl = log::ParseLevel(cfg_.str("log.level")); lvl.ok()) log::SetLevel(*lvl);
  return Status::Ok();
}

std::vector<std::string> ConfigReloader::restart_pending() const {
  std::vector<std::string> keys;
  for (const auto& [k, v] : pending_) keys.push_back(k);
  return keys;
}

}  // namespace heat
