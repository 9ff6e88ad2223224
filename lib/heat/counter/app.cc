// counter/app.cc — the loop of the counter: read a key, handle it, draw
// the frame, note how long that took.
#include "heat/counter/app.h"

#include <exception>
#include <sstream>

#include "heat/billctl/commands.h"
#include "heat/billing/store.h"
#include "heat/core/text.h"

namespace heat::counter {

using nlohmann::json;

App::App(cli::Context& ctx, db::Conn& db, Term& term, const Options& o)
    : ctx_(ctx), db_(db), t_(term), opt_(o) {}

Status App::Start() {
  HEAT_ASSIGN(db::Rows who, db_.Query("SELECT session_user"));
  login_ = who.get(0, 0);
  HEAT_ASSIGN(Date today, billing::Today(db_));
  today_ = FormatDate(today);
  if (opt_.season.empty()) {
    auto s = billing::DefaultSeason(db_, today);
    if (!s.ok()) return s.status().With("the counter needs a season");
    season_ = s->name;
  } else {
    HEAT_ASSIGN(billing::SeasonRow s, billing::FindSeason(db_, opt_.season));
    season_ = s.name;
  }
  if (!opt_.timings.empty()) {
    timings_ = std::fopen(opt_.timings.c_str(), "a");
    if (timings_ == nullptr) return Status::Usage("--timings " + opt_.timings + ": cannot open for appending");
  }
  Say("输入房屋编号、卡号、电话、姓名、小区、地址或拼音, Enter 查找", Style::kDim);
  return Status::Ok();
}

// One key: a notice goes away (a digit then also starts the next search,
// so a card swiped over a receipt opens the next house); a dialog takes
// every key; else the screen does.
static bool IsDigit(const Key& k) { return k.kind == Key::kChar && k.ch >= '0' && k.ch <= '9'; }

Status App::Loop() {
  DrawFrame();
  t_.Refresh();
  while (!quit_) {
    const Key k = t_.Read();
    const auto t0 = std::chrono::steady_clock::now();
    what_ = "key";
    if (k.Is(Key::kHangup) || k.IsF(10) || (k.Is(Key::kCtrl) && k.ch == 'q')) break;
    // The database went away (a restart, a failover): connect again
    // before the key is handled, so the counter goes on by itself.
    if (!db_.Alive()) {
      Status back = db_.Reset();
      Say(back.ok() ? "数据库已重新连接" : "数据库连接中断, 请稍后再试: " + back.message(),
          back.ok() ? Style::kDim : Style::kBad);
    }
    // A bug must not take the cashier's screen down (and leave the
    // terminal raw): it is shown, the form is closed, the counter goes on.
    try {
      HandleKey(k);
      DrawFrame();
    } catch (const std::exception& e) {
      dialog_.reset(), notice_.reset();
      screen_ = Screen::kSearch;  // drawn from the search's rows alone
      Say(std::string("内部错误, 请报告: ") + e.what(), Style::kBad);
      DrawFrame();
    }
    t_.Refresh();
    if (timings_) {
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(timings_, "%.3f %s\n", ms, what_.c_str());
      std::fflush(timings_);
    }
  }
  return Status::Ok();
}

void App::HandleKey(const Key& k) {
  if (k.Is(Key::kResize)) {
    what_ = "resize";
  } else if (notice_) {
    notice_.reset();
    if (IsDigit(k) && screen_ != Screen::kHall) screen_ == Screen::kSearch ? SearchKey(k) : HouseKey(k);
  } else if (dialog_) {
    const Form::Outcome out = dialog_->form.Handle(k);
    if (out == Form::kCancel) dialog_.reset(), Say("已取消", Style::kDim);
    if (out == Form::kSubmit) {
      Status s = dialog_->submit(dialog_->form);
      if (s.ok()) dialog_.reset();
      else dialog_->error = s.message();
    }
  } else if (k.IsF(9)) {
    StartDayClose();
  } else if (k.IsF(8)) {
    OpenHall();
  } else if (screen_ == Screen::kSearch) {
    SearchKey(k);
  } else if (screen_ == Screen::kHall) {
    HallKey(k);
  } else {
    HouseKey(k);
  }
}

void App::DrawFrame() {
  t_.Clear();
  t_.HideCursor();
  DrawTitle();
  if (screen_ == Screen::kSearch) DrawSearch();
  else if (screen_ == Screen::kHall) DrawHall();
  else DrawHouse();
  if (dialog_) DrawDialog();
  if (notice_) DrawNotice();
}

void App::DrawTitle() {
  std::string title = " 供热收费 柜台   收费员 " + login_ + "   供暖季 " + season_;
  t_.Put(0, 0, title, Style::kTitle, t_.cols(), true);
  t_.Put(0, t_.cols() - 11, today_, Style::kTitle, 10);
}

void App::DrawSearchLine(int row, bool active) {
  t_.Put(row, 0, "查找:", Style::kBold, 6);
  t_.Put(row, 6, query_.text(), active ? Style::kFocus : Style::kField, t_.cols() - 7, true);
  if (active && !dialog_ && !notice_) t_.ShowCursor(row, 6 + static_cast<int>(query_.CursorColumn()));
}

void App::DrawStatus(const std::string& keys) {
  t_.Put(t_.rows() - 2, 0, message_, message_style_, t_.cols());
  t_.Put(t_.rows() - 1, 0, keys, Style::kTitle, t_.cols(), true);
}

void App::DrawDialog() {
  const Dialog& d = *dialog_;
  const int w = std::min(t_.cols() - 4, 72), left = (t_.cols() - w) / 2;
  const int n = static_cast<int>(d.form.fields().size());
  const int top = std::max(2, (t_.rows() - n - 6) / 2), bottom = top + n + 5;
  t_.Box(top, left, bottom, left + w - 1, d.form.title());
  if (d.footer) t_.Put(top + n + 2, left + 2, d.footer(d.form), Style::kBold, w - 4);
  if (!d.error.empty()) t_.Put(top + n + 3, left + 2, d.error, Style::kBad, w - 4);
  t_.Put(bottom - 1, left + 2, "Enter 确认  Esc 取消  Tab 下一项", Style::kDim, w - 4);
  d.form.Draw(t_, top + 1, left + 2, w - 4, 12);  // last: it places the cursor
}

void App::DrawNotice() {
  const Notice& n = *notice_;
  const int w = std::min(t_.cols() - 4, 72), left = (t_.cols() - w) / 2;
  const int h = static_cast<int>(n.lines.size()) + 3, top = std::max(2, (t_.rows() - h) / 2);
  t_.Box(top, left, top + h, left + w - 1, n.title);
  for (size_t i = 0; i < n.lines.size(); ++i)
    t_.Put(top + 1 + static_cast<int>(i), left + 2, n.lines[i], i == 0 ? n.style : Style::kNormal, w - 4);
  t_.Put(top + h - 1, left + 2, "任意键继续 (刷卡或输入编号直接查找下一户)", Style::kDim, w - 4);
  t_.HideCursor();
}

App::BillctlResult App::Billctl(std::vector<std::string> args) {
  std::vector<std::string> argv{"billctl", "--format", "json"};
  if (!ctx_.config_path.empty()) argv.insert(argv.end(), {"--config", ctx_.config_path});
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<const char*> cargv;
  for (const auto& a : argv) cargv.push_back(a.c_str());
  std::ostringstream out, err;
  static const auto table = billctl::BillctlCommands();
  BillctlResult r;
  r.exit = cli::Run("billctl", "billctl", table, static_cast<int>(cargv.size()), cargv.data(), out, err);
  r.out = json::parse(out.str(), nullptr, false);
  std::string line;
  std::istringstream lines(err.str());
  while (std::getline(lines, line)) {
    if (line.rfind("billctl: ", 0) == 0) line = line.substr(9);
    r.error += (r.error.empty() ? "" : "; ") + line;
  }
  return r;
}

const json* App::Account() const {
  if (!house_.contains("accounts") || acct_ >= house_["accounts"].size()) return nullptr;
  return &house_["accounts"][acct_];
}

// The newest receipt of the account shown; with `standing_payment` only a
// payment that is not reversed (what a cashier reverses or reprints).
std::string App::LastReceipt(bool standing_payment) const {
  const json* a = Account();
  if (!a) return "";
  const auto& es = (*a)["entries"];
  for (auto it = es.rbegin(); it != es.rend(); ++it) {
    if (!it->contains("receipt_no")) continue;
    if (standing_payment && ((*it)["kind"] != "payment" || it->value("receipt_status", "") == "voided")) continue;
    return (*it)["receipt_no"];
  }
  return "";
}

Status Run(cli::Context& ctx, const Options& options) {
  HEAT_ASSIGN(db::Conn* db, ctx.Db());
  HEAT_ASSIGN(std::unique_ptr<Term> term, Term::Open());
  App app(ctx, *db, *term, options);
  Status s = app.Start();
  if (s.ok()) s = app.Loop();
  if (app.timings_) std::fclose(app.timings_);
  term.reset();  // the terminal back to normal before any message is printed
  return s;
}

}  // namespace heat::counter
