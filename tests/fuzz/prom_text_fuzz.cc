// libFuzzer target: what the monitoring addresses send back (OPS-1) — an
// HTTP reply (monitor/http_get.h) and Prometheus text (monitor/prom_text.h,
// node-exporter's and the daemons' /metrics, read by heatctl system status
// and heatd-alarm). Whatever the bytes: no crash; a refusal is kUsage and a
// text's names "line N"; every kept sample has a well-formed name, at most
// 64 labels, and there are at most 100000; the exporter reading never
// yields a disk or memory percentage outside 0..100.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "heat/monitor/http_get.h"
#include "heat/monitor/prom_text.h"
#include "heat/monitor/system.h"

namespace {

bool NameOk(const std::string& n) {
  if (n.empty() || (n[0] >= '0' && n[0] <= '9')) return false;
  for (char c : n)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':'))
      return false;
  return true;
}

void CheckText(std::string_view text) {
  auto r = heat::monitor::ParsePromText(text);
  if (!r.ok()) {
    if (r.status().code() != heat::Code::kUsage || r.status().message().rfind("line ", 0) != 0) abort();
    return;
  }
  if (r->size() > heat::monitor::kMaxSamples) abort();
  for (const auto& s : *r)
    if (!NameOk(s.name) || s.labels.size() > heat::monitor::kMaxLabels) abort();
  auto m = heat::monitor::MachineFromExporter(text, {"/", "/var/lib/postgresql"});
  if (!m.ok()) abort();  // the same text parsed once already
  for (const auto& d : m->disks)
    if (d.used_pct && !(*d.used_pct >= 0 && *d.used_pct <= 100)) abort();
  if (m->mem_used_pct && !(*m->mem_used_pct >= 0 && *m->mem_used_pct <= 100)) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto reply = heat::monitor::ParseHttpReply(bytes, 1 << 20);
  if (!reply.ok()) {
    if (reply.status().code() != heat::Code::kUsage) abort();
    CheckText(bytes);  // not a reply: the bytes as a /metrics body
    return 0;
  }
  if (reply->status < 0 || reply->status > 999 || reply->body.size() > bytes.size()) abort();
  CheckText(reply->body);
  return 0;
}
