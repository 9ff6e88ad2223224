#include "heat/report/layout.h"

#include <cmath>
#include <cstdlib>

#include "heat/core/money.h"

namespace heat::report {
namespace {

using I128 = __int128;

I128 Pow10(int n) {
  I128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

// A decimal as SQL prints it ("-12.345", "7", "1.5e-05") scaled by
// 10^dec and rounded half away from zero, exactly for plain decimals.
Result<I128> ParseScaledRounded(const std::string& s, int dec) {
  auto bad = Status::Usage("'" + s + "' is not a number");
  if (s.empty() || s.size() > 60) return bad;
  if (s.find_first_of("eE") != std::string::npos || s == "NaN" || s.find("Infinity") != std::string::npos) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(d) || std::fabs(d) > 1e15) return bad;
    return static_cast<I128>(std::llround(d * static_cast<double>(Pow10(dec))));
  }
  bool neg = s[0] == '-';
  std::string_view body = std::string_view(s).substr(neg ? 1 : 0);
  size_t dot = body.find('.');
  std::string_view whole = body.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : body.substr(dot + 1);
  if (whole.empty() || whole.size() > 30 || (dot != std::string_view::npos && frac.empty())) return bad;
  for (char c : body)
    if ((c < '0' || c > '9') && c != '.') return bad;
  if (frac.find('.') != std::string_view::npos) return bad;
  I128 v = 0;
  for (char c : whole) v = v * 10 + (c - '0');
  for (int i = 0; i < dec; ++i) v = v * 10 + (i < static_cast<int>(frac.size()) ? frac[i] - '0' : 0);
  if (static_cast<int>(frac.size()) > dec && frac[dec] >= '5') ++v;  // half away from zero
  return neg ? -v : v;
}

std::string FormatScaled(I128 v, int dec) {
  bool neg = v < 0;
  if (neg) v = -v;
  I128 div = Pow10(dec);
  auto digits = [](I128 x) {
    std::string s;
    do { s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(x % 10))); x /= 10; } while (x > 0);
    return s;
  };
  std::string frac = dec == 0 ? "" : digits(v % div);
  if (dec > 0) frac.insert(0, dec - frac.size(), '0');
  return (neg ? "-" : "") + digits(v / div) + (dec == 0 ? "" : "." + frac);
}

// The scale a column is summed in: fen, units, or 10^decimals.
int SumScale(const Column& c) { return c.type == ColType::kNumber ? c.decimals : 0; }

Result<I128> SumValue(const Column& c, const std::string& raw) { return ParseScaledRounded(raw, SumScale(c)); }

std::string FormatSum(const Column& c, I128 v) {
  if (c.type == ColType::kMoney) return FormatScaled(v, 2);
  return FormatScaled(v, SumScale(c));
}

// Sums of one group (or of all rows) for every column.
struct Acc {
  std::vector<I128> sums;
  size_t count = 0;
};

Status Add(const Def& def, const std::vector<Cell>& raw, Acc& acc) {
  acc.sums.resize(def.columns.size());
  ++acc.count;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (def.columns[i].total != "sum" || !raw[i]) continue;
    HEAT_ASSIGN(I128 v, SumValue(def.columns[i], *raw[i]));
    acc.sums[i] += v;
  }
  return Status::Ok();
}

size_t IndexOf(const Def& def, const std::string& name) {
  for (size_t i = 0; i < def.columns.size(); ++i)
    if (def.columns[i].name == name) return i;
  return 0;
}

Cell TotalCell(const Def& def, size_t i, const Acc& acc) {
  const Column& c = def.columns[i];
  if (c.total == "sum") return FormatSum(c, acc.sums[i]);
  if (c.total == "count") return std::to_string(acc.count);
  if (c.ratio_num.empty()) return std::nullopt;
  size_t n = IndexOf(def, c.ratio_num), d = IndexOf(def, c.ratio_den);
  I128 num = acc.sums[n] * Pow10(SumScale(def.columns[d])), den = acc.sums[d] * Pow10(SumScale(def.columns[n]));
  if (den == 0) return std::nullopt;
  // num / den as a percentage with c.decimals, rounded once.
  I128 scaled = num * 100 * Pow10(c.decimals), q = scaled / den, r = scaled % den;
  if ((r < 0 ? -r : r) * 2 >= (den < 0 ? -den : den)) q += ((scaled < 0) != (den < 0)) ? -1 : 1;
  return FormatScaled(q, c.decimals) + "%";
}

Row TotalRow(const Def& def, const Acc& acc, RowKind kind, const std::string& label) {
  Row r{kind, {}};
  Acc a = acc;
  a.sums.resize(def.columns.size());
  for (size_t i = 0; i < def.columns.size(); ++i) r.cells.push_back(TotalCell(def, i, a));
  // The label goes in the group's column, else the first column without a total.
  size_t at = kind == RowKind::kSubtotal ? IndexOf(def, def.group_by) : 0;
  if (kind == RowKind::kTotal)
    for (size_t i = 0; i < def.columns.size(); ++i)
      if (def.columns[i].total.empty()) { at = i; break; }
  r.cells[at] = label;
  return r;
}

}  // namespace

int Data::Col(const std::string& name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

Result<std::string> FormatValue(const Column& c, const std::string& raw) {
  switch (c.type) {
    case ColType::kText: return raw;
    case ColType::kDate: return raw.substr(0, 10);
    case ColType::kInt: {
      HEAT_ASSIGN(I128 v, ParseScaledRounded(raw, 0));
      return FormatScaled(v, 0);
    }
    case ColType::kMoney: {
      HEAT_ASSIGN(I128 v, ParseScaledRounded(raw, 2));  // "123" or "123.00" (a numeric sum)
      if (v % 100 != 0) return Status::Usage("'" + raw + "' is not whole fen");
      return FormatScaled(v / 100, 2);
    }
    case ColType::kNumber: {
      HEAT_ASSIGN(I128 v, ParseScaledRounded(raw, c.decimals));
      return FormatScaled(v, c.decimals);
    }
    case ColType::kPercent: {
      HEAT_ASSIGN(I128 v, ParseScaledRounded(raw, c.decimals + 2));
      return FormatScaled(v, c.decimals) + "%";
    }
  }
  return raw;
}

Result<Laid> Lay(const Def& def, const Data& data) {
  Laid out;
  std::vector<int> at;
  for (const auto& c : def.columns) {
    int i = data.Col(c.name);
    if (i < 0) return Status::Usage(def.file + ":" + std::to_string(c.line) + ": column '" + c.name +
                                    "' is not in the SQL's result");
    at.push_back(i);
    out.titles.push_back(c.title);
    out.types.push_back(c.type);
  }
  int group = def.group_by.empty() ? -1 : static_cast<int>(IndexOf(def, def.group_by));
  Acc all, part;
  for (size_t r = 0; r < data.rows.size(); ++r) {
    std::vector<Cell> raw;
    for (int i : at) raw.push_back(data.rows[r][i]);
    if (group >= 0 && r > 0 && data.rows[r - 1][at[group]] != raw[group]) {
      out.rows.push_back(TotalRow(def, part, RowKind::kSubtotal, data.rows[r - 1][at[group]].value_or("") + " 小计"));
      part = Acc();
    }
    Row row;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (!raw[i]) { row.cells.push_back(std::nullopt); continue; }
      auto v = FormatValue(def.columns[i], *raw[i]);
      if (!v.ok()) return v.status().With(def.name + ": row " + std::to_string(r + 1) + ": column " + def.columns[i].name);
      row.cells.push_back(*v);
    }
    HEAT_TRY(Add(def, raw, all));
    HEAT_TRY(Add(def, raw, part));
    out.rows.push_back(std::move(row));
  }
  if (group >= 0 && !data.rows.empty())
    out.rows.push_back(TotalRow(def, part, RowKind::kSubtotal, data.rows.back()[at[group]].value_or("") + " 小计"));
  if (def.totals) out.rows.push_back(TotalRow(def, all, RowKind::kTotal, "合计"));
  out.data_rows = data.rows.size();
  return out;
}

std::vector<std::pair<size_t, size_t>> Paginate(size_t rows, size_t first, size_t per_page) {
  if (per_page == 0) per_page = 1;
  std::vector<std::pair<size_t, size_t>> pages{{0, std::min(rows, first)}};
  for (size_t b = pages[0].second; b < rows; b += per_page) pages.push_back({b, std::min(rows, b + per_page)});
  return pages;
}

}  // namespace heat::report
