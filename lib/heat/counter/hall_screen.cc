// counter/hall_screen.cc — the service hall's requests (F8, BIL-14): the
// open requests residents filed on the payment page, of the cashier's
// data scope, with the keys to take, finish and reject them. Listing and
// every step run billctl's hall commands in this process, so scope,
// states and refusals are billctl's, word for word.
#include <algorithm>

#include "heat/core/text.h"
#include "heat/counter/app.h"

namespace heat::counter {

using nlohmann::json;

namespace {

const char* KindLabel(const std::string& k) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"suspension", "报停"}, {"resumption", "复热"}, {"repair", "报修"}, {"installation", "报装"},
      {"name_change", "更名"}, {"unbinding", "解绑"}, {"feedback", "意见"}};
  for (const auto& [kind, label] : kLabels)
    if (k == kind) return label;
  return "";
}

const char* StateLabel(const std::string& s) {
  if (s == "new") return "新";
  if (s == "taken") return "已受理";
  if (s == "done") return "已办结";
  if (s == "rejected") return "已驳回";
  return "";
}

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump(); }

}  // namespace

// 80 columns at most, as every key line.
constexpr const char* kHallKeys = " 上下键选择 t受理 f办结 x驳回 F8刷新 Esc返回 F9日结 F10退出";

// F8: the open requests, read now (a frame never reads the database).
void App::OpenHall() {
  what_ = "hall";
  BillctlResult r = Billctl({"hall", "list", "--state", "open"});
  if (r.exit != 0) return Say(r.error, Style::kBad);
  hall_ = r.out.is_array() ? r.out : json::array();
  hall_sel_ = std::max(0, std::min(hall_sel_, static_cast<int>(hall_.size()) - 1));
  screen_ = Screen::kHall;
  query_active_ = false;
  Say(hall_.empty() ? "没有未办结的工单" : "未办结工单 " + std::to_string(hall_.size()) + " 件",
      hall_.empty() ? Style::kDim : Style::kNormal);
}

// The list's columns: where each starts and how wide it is.
struct Column {
  const char* head;
  int col, width;
};
constexpr Column kCols[] = {{"编号", 1, 5},  {"房屋", 7, 10},    {"类型", 18, 4},  {"状态", 23, 6},
                            {"提交时间", 30, 16}, {"受理人", 47, 9}, {"内容", 57, -1}};

void App::DrawHall() {
  const int w = t_.cols();
  t_.Put(1, 0, "服务厅工单: 网上营业厅提交的, 本人数据范围内未办结的", Style::kBold, w);
  for (const Column& c : kCols) t_.Put(2, c.col, c.head, Style::kDim, c.width);
  const int first = 3, rows = t_.rows() - 8, n = static_cast<int>(hall_.size());
  const int top = std::max(0, std::min(hall_sel_ - rows + 1, n - rows));
  for (int i = 0; i < rows && top + i < n; ++i) {
    const json& q = hall_[static_cast<size_t>(top + i)];
    const int y = first + i;
    const Style s = top + i == hall_sel_ ? Style::kSelected : q["state"] == "new" ? Style::kWarn : Style::kNormal;
    const std::string cells[] = {Str(q["id"]), Str(q["house"]), KindLabel(Str(q["kind"])), StateLabel(Str(q["state"])),
                                 Str(q["filed"]), Str(q["taken_by"]), Str(q["detail"])};
    t_.Put(y, 0, "", s, w, true);
    for (size_t c = 0; c < std::size(kCols); ++c) t_.Put(y, kCols[c].col, cells[c], s, kCols[c].width);
  }
  // The selected request whole: its phone and detail, two lines.
  if (hall_sel_ < n) {
    const json& q = hall_[static_cast<size_t>(hall_sel_)];
    t_.Put(t_.rows() - 5, 0, "#" + Str(q["id"]) + " " + Str(q["house"]) + " 电话 " + Str(q["phone"]), Style::kBold, w);
    std::string detail = Str(q["detail"]);
    std::replace(detail.begin(), detail.end(), '\n', ' ');
    const std::string line = ClipWidth(detail, static_cast<size_t>(w));
    t_.Put(t_.rows() - 4, 0, line, Style::kNormal, w);
    t_.Put(t_.rows() - 3, 0, detail.substr(line.size()), Style::kNormal, w);
  }
  DrawStatus(kHallKeys);
}

// take: at once; done and reject: a form for the answer the resident reads.
void App::HallStep(const std::string& step) {
  if (hall_sel_ >= static_cast<int>(hall_.size())) return Say("没有选中的工单", Style::kWarn);
  const std::string id = Str(hall_[static_cast<size_t>(hall_sel_)]["id"]);
  auto run = [this, id, step](const std::string& answer) -> Status {
    what_ = "hall:" + step;
    std::vector<std::string> args{"hall", step, id};
    if (step != "take") args.insert(args.end(), {"--answer", answer});
    BillctlResult r = Billctl(args);
    if (r.exit != 0) return Status::Failure(r.error);
    const std::string done = step == "take" ? "已受理" : step == "done" ? "已办结" : "已驳回";
    OpenHall();  // the list as it is now
    Say("工单 " + id + " " + done + (hall_.empty() ? "; 没有未办结的工单了" : ""), Style::kGood);
    return Status::Ok();
  };
  if (step == "take") {
    if (Status s = run(""); !s.ok()) Say(s.message(), Style::kBad);
    return;
  }
  const char* title = step == "done" ? "办结工单 " : "驳回工单 ";
  Dialog d{Form(title + id, {TextField("answer", step == "done" ? "答复居民" : "驳回原因")}), nullptr, "", nullptr};
  d.submit = [run](const Form& f) { return run(f.Get("answer").Value()); };
  dialog_ = std::move(d);
}

void App::HallKey(const Key& k) {
  const int n = static_cast<int>(hall_.size()), page = std::max(1, t_.rows() - 8);
  switch (k.kind) {
    case Key::kUp: hall_sel_ = std::max(0, hall_sel_ - 1); return;
    case Key::kDown: hall_sel_ = std::max(0, std::min(n - 1, hall_sel_ + 1)); return;
    case Key::kPageUp: hall_sel_ = std::max(0, hall_sel_ - page); return;
    case Key::kPageDown: hall_sel_ = std::max(0, std::min(n - 1, hall_sel_ + page)); return;
    case Key::kEsc:
      screen_ = house_code_.empty() ? Screen::kSearch : Screen::kHouse;
      query_active_ = screen_ == Screen::kSearch;
      Say("");
      return;
    default: break;
  }
  if (k.IsChar('t')) return HallStep("take");
  if (k.IsChar('f')) return HallStep("done");
  if (k.IsChar('x')) return HallStep("reject");
  Say("这个键没有用处; 见下面一行的按键", Style::kWarn);
}

}  // namespace heat::counter
