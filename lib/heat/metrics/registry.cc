#include "heat/metrics/registry.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace heat::metrics {
namespace {

[[noreturn]] void Misuse(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "metrics: %.*s: %.*s\n", static_cast<int>(name.size()), name.data(),
               static_cast<int>(what.size()), what.data());
  std::abort();
}

bool NameChar(char c, bool first, bool colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

bool ValidName(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!NameChar(name[i], i == 0, colon)) return false;
  return true;
}

}  // namespace

bool ValidMetricName(std::string_view name) { return ValidName(name, true); }
bool ValidLabelName(std::string_view name) { return ValidName(name, false) && name.substr(0, 2) != "__"; }

namespace {

// Backslash and newline always; the double quote in label values only.
std::string Escape(std::string_view v, bool quote) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\\' || (quote && c == '"')) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) { return Escape(v, true); }
std::string EscapeHelp(std::string_view v) { return Escape(v, false); }

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  // Whole numbers below 2^53 as integers (no exponent for a counter).
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(v));
    return std::string(buf, r.ptr);
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

struct Registry::Series {
  uint64_t id = 0;
  std::string labels;  // rendered: {a="x",b="y"} or empty
  std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::function<uint64_t()>, std::function<double()>>
      value;
};

struct Registry::Family {
  std::string name, help;
  Type type;
  std::vector<std::unique_ptr<Series>> series;
};

Registry::Registry() = default;
Registry::~Registry() = default;

namespace {

std::string RenderLabels(std::string_view name, const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (!ValidLabelName(k)) Misuse("bad label name " + k, name);
    if (out.size() > 1) out += ',';
    out += k + "=\"" + EscapeLabelValue(v) + "\"";
  }
  return out + "}";
}

}  // namespace

Registry::Series& Registry::Add(std::string_view name, std::string_view help, Type type, Labels labels) {
  if (!ValidMetricName(name)) Misuse("bad metric name", name);
  if (type == Type::kCounter && (name.size() < 6 || name.substr(name.size() - 6) != "_total"))
    Misuse("a counter's name ends in _total", name);
  std::string rendered = RenderLabels(name, labels);
  Family* fam = nullptr;
  for (auto& f : families_)
    if (f->name == name) fam = f.get();
  if (fam && (fam->type != type || fam->help != help)) Misuse("registered again with another type or help", name);
  if (!fam) {
    families_.push_back(std::make_unique<Family>(Family{std::string(name), std::string(help), type, {}}));
    fam = families_.back().get();
  }
  for (const auto& s : fam->series)
    if (s->labels == rendered) Misuse("series registered twice: " + rendered, name);
  fam->series.push_back(std::make_unique<Series>());
  Series& s = *fam->series.back();
  s.id = next_id_++;
  s.labels = std::move(rendered);
  return s;
}

Counter& Registry::AddCounter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = Add(name, help, Type::kCounter, std::move(labels));
  s.value = std::make_unique<Counter>();
  return *std::get<0>(s.value);
}

Gauge& Registry::AddGauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = Add(name, help, Type::kGauge, std::move(labels));
  s.value = std::make_unique<Gauge>();
  return *std::get<1>(s.value);
}

Handle Registry::ReadCounter(std::string_view name, std::string_view help, Labels labels,
                             std::function<uint64_t()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = Add(name, help, Type::kCounter, std::move(labels));
  s.value = std::move(read);
  return Handle(this, s.id);
}

Handle Registry::ReadGauge(std::string_view name, std::string_view help, Labels labels,
                           std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = Add(name, help, Type::kGauge, std::move(labels));
  s.value = std::move(read);
  return Handle(this, s.id);
}

Handle Registry::OnScrape(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hooks_.emplace_back(next_id_, std::move(hook));
  return Handle(this, next_id_++);
}

// Only read series and hooks have handles: their functions may point at
// what is being destroyed. Owned counters live as long as the registry.
void Registry::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(hooks_, [id](const auto& h) { return h.first == id; });
  for (auto& f : families_)
    std::erase_if(f->series, [id](const auto& s) { return s->id == id; });
}

std::string Registry::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, hook] : hooks_) hook();
  std::string out;
  for (const auto& f : families_) {
    std::string lines;
    for (const auto& s : f->series) {
      std::string v;
      switch (s->value.index()) {
        case 0: v = std::to_string(std::get<0>(s->value)->value()); break;
        case 1: v = FormatValue(std::get<1>(s->value)->value()); break;
        case 2: v = std::to_string(std::get<2>(s->value)()); break;
        default: v = FormatValue(std::get<3>(s->value)()); break;
      }
      lines += f->name + s->labels + " " + v + "\n";
    }
    if (lines.empty()) continue;
    out += "# HELP " + f->name + " " + EscapeHelp(f->help) + "\n# TYPE " + f->name +
           (f->type == Type::kCounter ? " counter\n" : " gauge\n") + lines;
  }
  return out;
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (reg_) reg_->Remove(id_);
    reg_ = std::exchange(o.reg_, nullptr);
    id_ = o.id_;
  }
  return *this;
}

Handle::~Handle() {
  if (reg_) reg_->Remove(id_);
}

}  // namespace heat::metrics
