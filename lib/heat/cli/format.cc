#include "heat/cli/format.h"

#include <nlohmann/json.hpp>

#include <ostream>

#include "heat/core/escape.h"
#include "heat/core/text.h"

namespace heat::cli {
namespace {

bool IsNumeric(const Cell& c) { return c.kind == Cell::kInt || c.kind == Cell::kNumber; }

// Names and notes come from people and devices: a control character in
// one must not drive the terminal or split a CSV line (SYS-1), so table
// and CSV cells show it as \xNN (core/text.h EscapeControl).
std::string TableText(const Cell& c) {
  if (!c.text) return "-";
  if (c.kind != Cell::kBool) return EscapeControl(*c.text);
  return (*c.text == "t" || *c.text == "true") ? "yes" : "no";
}

nlohmann::json JsonValue(const Cell& c) {
  if (!c.text) return nullptr;
  switch (c.kind) {
    case Cell::kBool: return *c.text == "t" || *c.text == "true";
    case Cell::kInt: case Cell::kNumber: case Cell::kJson: {
      auto j = nlohmann::json::parse(*c.text, nullptr, false);
      if (!j.is_discarded() && (c.kind == Cell::kJson || j.is_number())) return j;
      return *c.text;  // not valid: keep the text rather than lose it
    }
    default: return *c.text;
  }
}

std::string CsvField(const std::string& raw) {
  std::string s = EscapeControl(raw);
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

void PrintTable(const Table& t, std::ostream& out) {
  std::vector<size_t> w(t.columns.size());
  for (size_t c = 0; c < t.columns.size(); ++c) w[c] = DisplayWidth(EscapeControl(t.columns[c]));
  for (const auto& row : t.rows)
    for (size_t c = 0; c < row.size() && c < w.size(); ++c)
      w[c] = std::max(w[c], DisplayWidth(TableText(row[c])));
  auto line = [&](auto cell_text, auto right) {
    std::string s;
    for (size_t c = 0; c < w.size(); ++c) {
      bool last = c + 1 == w.size();
      std::string text = cell_text(c);
      s += right(c) ? PadLeft(text, w[c]) : last ? text : PadRight(text, w[c]);
      if (!last) s += "  ";
    }
    out << s << "\n";
  };
  auto is_right = [&](size_t c) { return !t.rows.empty() && c < t.rows[0].size() && IsNumeric(t.rows[0][c]); };
  line([&](size_t c) { return EscapeControl(t.columns[c]); }, is_right);
  line([&](size_t c) { return std::string(w[c], '-'); }, [](size_t) { return false; });
  for (const auto& row : t.rows)
    line([&](size_t c) { return c < row.size() ? TableText(row[c]) : std::string(); }, is_right);
}

void PrintCsv(const Table& t, std::ostream& out) {
  for (size_t c = 0; c < t.columns.size(); ++c) out << (c ? "," : "") << CsvField(t.columns[c]);
  out << "\n";
  for (const auto& row : t.rows) {
    for (size_t c = 0; c < row.size(); ++c)
      out << (c ? "," : "") << (row[c].text ? CsvField(*row[c].text) : "");
    out << "\n";
  }
}

void PrintJson(const Table& t, std::ostream& out) {
  nlohmann::ordered_json ordered = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (size_t c = 0; c < row.size() && c < t.columns.size(); ++c)
      obj[t.columns[c]] = nlohmann::ordered_json::parse(JsonValue(row[c]).dump());
    ordered.push_back(std::move(obj));
  }
  out << ordered.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  return Status::Usage("expected table, csv or json, got '" + std::string(name) + "'");
}

void Print(const Table& t, Format format, std::ostream& out) {
  switch (format) {
    case Format::kTable: PrintTable(t, out); break;
    case Format::kCsv: PrintCsv(t, out); break;
    case Format::kJson: PrintJson(t, out); break;
  }
}

void PrintRecord(const Record& rec, Format format, std::ostream& out) {
  if (format == Format::kTable) {
    size_t w = 0;
    for (const auto& [k, v] : rec) w = std::max(w, DisplayWidth(EscapeControl(k)));
    for (const auto& [k, v] : rec) out << PadRight(EscapeControl(k), w) << "  " << TableText(v) << "\n";
    return;
  }
  Table t;
  std::vector<Cell> row;
  for (const auto& [k, v] : rec) {
    t.columns.push_back(k);
    row.push_back(v);
  }
  t.Add(std::move(row));
  if (format == Format::kCsv) return PrintCsv(t, out);
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (const auto& [k, v] : rec) obj[k] = nlohmann::ordered_json::parse(JsonValue(v).dump());
  out << obj.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace heat::cli
