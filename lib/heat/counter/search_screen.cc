// counter/search_screen.cc — the search line and the list of houses
// found (BIL-3, BIL-8). A code or card found exactly (what a card reader
// types, digits and Enter) opens its house at once, as does a search with
// one house.
#include "heat/billing/house_view.h"
#include "heat/core/text.h"
#include "heat/counter/app.h"

namespace heat::counter {

namespace {

const char* StatusLabel(const std::string& s) {
  if (s == "heating") return "供热";
  if (s == "suspended") return "报停";
  if (s == "disconnected") return "退网";
  return "";
}

const char* MatchedLabel(const std::string& m) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"house code", "编号"}, {"card", "卡号"}, {"phone", "电话"}, {"customer", "户主"},
      {"community", "小区"}, {"address", "地址"}, {"customer pinyin", "拼音"}};
  for (const auto& [key, label] : kLabels)
    if (m == key) return label;
  return "";
}

}  // namespace

void App::DrawSearch() {
  DrawSearchLine(1, true);
  const int w = t_.cols();
  t_.Put(2, 0, " 编号        地址                          户主      电话         状态 匹配", Style::kDim, w);
  const int first = 3, rows = t_.rows() - 5;
  const db::Rows& r = found_.rows;
  if (sel_ < list_top_) list_top_ = sel_;
  if (sel_ >= list_top_ + rows) list_top_ = sel_ - rows + 1;
  for (int i = 0; i < rows && list_top_ + i < r.size(); ++i) {
    const int row = list_top_ + i, y = first + i;
    const Style s = row == sel_ ? Style::kSelected : Style::kNormal;
    t_.Put(y, 0, "", s, w, true);
    t_.Put(y, 1, r.get(row, "house"), s, 11);
    t_.Put(y, 13, r.get(row, "address"), s, 29);
    t_.Put(y, 43, r.get(row, "customer"), s, 9);
    t_.Put(y, 53, r.get(row, "phone"), s, 12);
    t_.Put(y, 66, StatusLabel(r.get(row, "heating_status")), s, 4);
    t_.Put(y, 71, MatchedLabel(r.get(row, "matched")), s, w - 71);
  }
  DrawStatus(" Enter 查找/打开  上下键选择  Esc 清空  F8 工单  F9 日结  F10 退出");
}

void App::SearchKey(const Key& k) {
  const int n = found_.rows.size(), page = std::max(1, t_.rows() - 5);
  switch (k.kind) {
    case Key::kEnter:
      if (query_.text() != searched_ || n == 0) RunSearch();
      else if (Status s = OpenHouse(found_.rows.get(sel_, "house")); !s.ok()) Say(s.message(), Style::kBad);
      return;
    case Key::kUp: sel_ = std::max(0, sel_ - 1); return;
    case Key::kDown: sel_ = std::max(0, std::min(n - 1, sel_ + 1)); return;
    case Key::kPageUp: sel_ = std::max(0, sel_ - page); return;
    case Key::kPageDown: sel_ = std::max(0, std::min(n - 1, sel_ + page)); return;
    case Key::kEsc:
      if (!query_.text().empty()) query_.Set("");
      else if (!house_code_.empty()) screen_ = Screen::kHouse, query_active_ = false;
      return;
    default:
      query_.Handle(k);
  }
}

void App::RunSearch() {
  what_ = "search";
  searched_ = query_.text();
  auto f = billing::FindHouses(db_, searched_, opt_.limit);
  if (!f.ok()) return Say(f.status().message(), Style::kBad);
  found_ = std::move(*f);
  sel_ = list_top_ = 0;
  const db::Rows& r = found_.rows;
  if (r.empty()) {
    screen_ = Screen::kSearch;
    return Say("没有找到 '" + searched_ + "'", Style::kWarn);
  }
  const std::string matched = r.get(0, "matched");
  if (r.size() == 1 || matched == "house code" || matched == "card") {
    if (Status s = OpenHouse(r.get(0, "house")); !s.ok()) Say(s.message(), Style::kBad);
    return;
  }
  screen_ = Screen::kSearch;
  query_active_ = true;
  const int n = r.size();
  const std::string more = found_.more || found_.total > n ? " (还有更多, 请输入更多字缩小范围)" : "";
  Say("找到 " + std::to_string(n) + " 户" + more + "; 上下键选择, Enter 打开", Style::kNormal);
}

Status App::OpenHouse(const std::string& code) {
  what_ = "open";
  HEAT_ASSIGN(house_, billing::HouseView(db_, code, opt_.season, ""));
  house_code_ = house_["house"];
  acct_ = 0;
  const auto& accts = house_["accounts"];
  for (size_t i = 0; i < accts.size(); ++i)
    if (accts[i]["season"] == season_) acct_ = i;
  entry_top_ = -1;
  screen_ = Screen::kHouse;
  query_active_ = false;
  query_.Set("");
  Say("");
  return Status::Ok();
}

Status App::ReloadHouse() {
  const size_t keep = acct_;
  HEAT_ASSIGN(house_, billing::HouseView(db_, house_code_, opt_.season, ""));
  acct_ = keep < house_["accounts"].size() ? keep : 0;
  entry_top_ = -1;
  return Status::Ok();
}

}  // namespace heat::counter
