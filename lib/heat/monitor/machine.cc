// monitor/machine.cc — disk, CPU load and memory of a machine, from
// prometheus-node-exporter or from this machine's /proc and statvfs.
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "heat/monitor/http_get.h"
#include "heat/monitor/system.h"

namespace heat::monitor {

std::optional<double> DiskUsedPct(double size, double free, double avail) {
  double used = size - free;
  bool sane = std::isfinite(size) && size > 0 && std::isfinite(used) && used >= 0 && std::isfinite(avail) &&
              avail >= 0 && used + avail > 0;
  if (!sane)
    return std::nullopt;  // an empty or pseudo filesystem, or nonsense from an exporter
  return 100.0 * used / (used + avail);
}

std::string MountFor(std::string_view path, const std::vector<std::string>& mounts) {
  std::string best;
  for (const std::string& m : mounts) {
    bool holds = path == m || m == "/" ||
                 (path.size() > m.size() && path.starts_with(m) && path[m.size()] == '/');
    if (holds && m.size() >= best.size()) best = m;
  }
  return best;
}

namespace {

bool Wanted(std::string_view name) {
  static const std::set<std::string_view> names = {
      "node_filesystem_size_bytes", "node_filesystem_free_bytes", "node_filesystem_avail_bytes",
      "node_load1", "node_load5", "node_load15", "node_cpu_seconds_total",
      "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes"};
  return names.count(name) > 0;
}

struct Fs {
  double size = -1, free = -1, avail = -1;
};

void AddDisks(const std::map<std::string, Fs>& fs, const std::vector<std::string>& paths, Machine& m) {
  std::vector<std::string> mounts;
  for (const auto& [mount, f] : fs) mounts.push_back(mount);
  for (const std::string& p : paths) {
    Disk d{p, MountFor(p, mounts), std::nullopt, 0, 0, ""};
    auto it = fs.find(d.mount);
    if (it == fs.end() || it->second.size < 0 || it->second.avail < 0) {
      d.error = "the exporter reports no filesystem holding " + p;
    } else {
      const Fs& f = it->second;
      d.used_pct = DiskUsedPct(f.size, f.free < 0 ? f.avail : f.free, f.avail);
      d.size_bytes = f.size;
      d.avail_bytes = f.avail;
    }
    m.disks.push_back(std::move(d));
  }
}

}  // namespace

Result<Machine> MachineFromExporter(std::string_view text, const std::vector<std::string>& paths) {
  HEAT_ASSIGN(std::vector<Sample> samples, ParsePromText(text, Wanted));
  Machine m;
  std::map<std::string, Fs> fs;
  std::set<std::string> cpus;
  std::optional<double> total, available;
  for (const Sample& s : samples) {
    const std::string& n = s.name;
    if (n.starts_with("node_filesystem_")) {
      Fs& f = fs[s.label("mountpoint")];
      (n == "node_filesystem_size_bytes" ? f.size : n == "node_filesystem_free_bytes" ? f.free : f.avail) = s.value;
    } else if (n == "node_load1") m.load1 = s.value;
    else if (n == "node_load5") m.load5 = s.value;
    else if (n == "node_load15") m.load15 = s.value;
    else if (n == "node_cpu_seconds_total" && s.label("mode") == "idle") cpus.insert(s.label("cpu"));
    else if (n == "node_memory_MemTotal_bytes") total = s.value;
    else if (n == "node_memory_MemAvailable_bytes") available = s.value;
  }
  fs.erase("");
  AddDisks(fs, paths, m);
  m.cpus = static_cast<int>(cpus.size());
  if (total && available && std::isfinite(*total) && *total > 0 && *available >= 0 && *available <= *total) {
    m.mem_used_pct = 100.0 * (1 - *available / *total);
    m.mem_total_bytes = *total;
  }
  return m;
}

void ApplyLoadavg(std::string_view text, Machine& m) {
  std::istringstream in{std::string(text)};
  double a, b, c;
  if (in >> a >> b >> c) m.load1 = a, m.load5 = b, m.load15 = c;
}

void ApplyMeminfo(std::string_view text, Machine& m) {
  std::istringstream in{std::string(text)};
  std::string key;
  double kb = 0, total = -1, available = -1;
  while (in >> key >> kb) {
    if (key == "MemTotal:") total = kb * 1024;
    else if (key == "MemAvailable:") available = kb * 1024;
    in.ignore(1 << 20, '\n');
  }
  if (std::isfinite(total) && total > 0 && available >= 0 && available <= total) {
    m.mem_used_pct = 100.0 * (1 - available / total);
    m.mem_total_bytes = total;
  }
}

std::string ThisHost() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || !*host) return "localhost";
  return host;
}

namespace {

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> LocalMounts() {
  std::istringstream in(ReadSmallFile("/proc/self/mounts"));
  std::vector<std::string> mounts;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string dev, mount;
    if (f >> dev >> mount) mounts.push_back(mount);  // octal escapes (\040) kept: only compared for display
  }
  return mounts;
}

}  // namespace

Machine LocalMachine(const std::vector<std::string>& paths) {
  Machine m;
  m.host = ThisHost();
  m.source = "local";
  std::vector<std::string> mounts = LocalMounts();
  for (const std::string& p : paths) {
    Disk d{p, MountFor(p, mounts), std::nullopt, 0, 0, ""};
    struct statvfs v{};
    if (statvfs(p.c_str(), &v) != 0) {
      d.error = p + ": " + std::strerror(errno);
    } else {
      double unit = static_cast<double>(v.f_frsize);
      d.size_bytes = unit * static_cast<double>(v.f_blocks);
      d.avail_bytes = unit * static_cast<double>(v.f_bavail);
      d.used_pct = DiskUsedPct(d.size_bytes, unit * static_cast<double>(v.f_bfree), d.avail_bytes);
    }
    m.disks.push_back(std::move(d));
  }
  ApplyLoadavg(ReadSmallFile("/proc/loadavg"), m);
  ApplyMeminfo(ReadSmallFile("/proc/meminfo"), m);
  m.cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  return m;
}

Machine ProbeExporter(const std::string& url, const std::vector<std::string>& paths) {
  Machine m;
  auto u = ParseHttpUrl(url);
  m.host = u.ok() ? u->host : url;
  m.source = url;
  auto reply = HttpGet(url, 1000);
  if (!reply.ok() || reply->status != 200) {
    m.error = reply.ok() ? url + ": HTTP " + std::to_string(reply->status) : reply.status().message();
    return m;
  }
  auto parsed = MachineFromExporter(reply->body, paths);
  if (!parsed.ok()) {
    m.error = url + ": " + parsed.status().message();
    return m;
  }
  parsed->host = m.host;
  parsed->source = url;
  return *parsed;
}

}  // namespace heat::monitor
