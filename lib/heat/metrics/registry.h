// metrics/registry.h — a daemon's counters and gauges, rendered in the
// Prometheus text exposition format 0.0.4 (OPS-1).
//
// Contract:
//  * A family is a name, a help line and a type (counter or gauge); its
//    series differ by their label values. Names are [a-zA-Z_:][a-zA-Z0-9_:]*,
//    label names [a-zA-Z_][a-zA-Z0-9_]* (not starting "__"), and a counter's
//    name ends in _total; registering against these rules, or a family
//    again with another help or type, or a series twice, is a programming
//    error and aborts (the names are constants in the code).
//  * Counter::Add and Gauge::Set are one relaxed atomic operation each, no
//    lock: safe on any hot path and from any thread. The registry keeps
//    them at fixed addresses for its lifetime.
//  * A series may instead be read when scraped (Read*): a function the
//    server thread calls under the registry's lock. That is how daemons
//    export statistics they keep anyway, with no work per event. OnScrape
//    functions run first, once per Render, so that several series can be
//    read from one consistent snapshot.
//  * A Handle (returned by every registration) removes its series and hooks
//    when destroyed, waiting for a Render in progress: declare it after
//    what its functions read, so it goes first.
//  * Render() is safe from any thread, concurrently with registrations.
//    Families come out in the order they were first registered; HELP text
//    escapes \ and newline, label values \, " and newline.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heat::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Type { kCounter, kGauge };

class Counter {
 public:
  void Add(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void Set(double v) { v_.store(v, std::memory_order_relaxed); }
  double value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> v_{0};
};

class Registry;

// Unregisters what it was returned for when destroyed (movable).
class Handle {
 public:
  Handle() = default;
  Handle(Handle&& o) noexcept : reg_(std::exchange(o.reg_, nullptr)), id_(o.id_) {}
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();

 private:
  friend class Registry;
  Handle(Registry* reg, uint64_t id) : reg_(reg), id_(id) {}
  Registry* reg_ = nullptr;
  uint64_t id_ = 0;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A counter or gauge owned by the registry; the reference stays valid
  // for the registry's lifetime.
  Counter& AddCounter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& AddGauge(std::string_view name, std::string_view help, Labels labels = {});
  // A series read at scrape time; `read` runs on the scraping thread.
  Handle ReadCounter(std::string_view name, std::string_view help, Labels labels, std::function<uint64_t()> read);
  Handle ReadGauge(std::string_view name, std::string_view help, Labels labels, std::function<double()> read);
  // Runs before every Render's reads (a snapshot the reads then use).
  Handle OnScrape(std::function<void()> hook);

  std::string Render() const;

 private:
  friend class Handle;
  struct Series;
  struct Family;
  Series& Add(std::string_view name, std::string_view help, Type type, Labels labels);
  void Remove(uint64_t id);

  mutable std::mutex mu_;  // guards everything below; held through Render
  std::vector<std::unique_ptr<Family>> families_;
  std::vector<std::pair<uint64_t, std::function<void()>>> hooks_;
  uint64_t next_id_ = 1;
};

// The text format's pieces, for tests and the fuzz target.
bool ValidMetricName(std::string_view name);
bool ValidLabelName(std::string_view name);
std::string EscapeLabelValue(std::string_view v);
std::string EscapeHelp(std::string_view v);
// A sample value: integers exactly, NaN, +Inf, -Inf, else shortest round trip.
std::string FormatValue(double v);

}  // namespace heat::metrics
