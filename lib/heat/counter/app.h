// counter/app.h — the state of the counter and its screens (inside
// counter/; counter.h is the entry point). Screens draw from this state
// only: every database read happens when a key asks for it, so drawing a
// frame never waits on the database.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "heat/billing/find.h"
#include "heat/cli/command.h"
#include "heat/counter/counter.h"
#include "heat/counter/form.h"
#include "heat/counter/term.h"

namespace heat::counter {

// A form over the screen and what Enter does with it. submit returns an
// error to show in the form (which stays open), or fills `notice`.
struct Dialog {
  Form form;
  std::function<Status(const Form&)> submit;
  std::string error;
  std::function<std::string(const Form&)> footer;  // a live line, e.g. the change to give
};

// A result shown in a box until the next key.
struct Notice {
  std::string title;
  std::vector<std::string> lines;
  Style style = Style::kGood;
};

// The payment method, one letter each from any field (charge, refund).
Field MethodField();

class App {
 public:
  App(cli::Context& ctx, db::Conn& db, Term& term, const Options& o);
  Status Start();   // who, today, the season
  Status Loop();
  void HandleKey(const Key& k);

  // The screens (search_screen.cc, house_screen.cc, hall_screen.cc).
  void DrawSearch();
  void DrawHouse();
  void DrawAccount(int top);
  void SearchKey(const Key& k);
  void HouseKey(const Key& k);
  void RunSearch();
  Status OpenHouse(const std::string& code);
  Status ReloadHouse();
  // The service hall's requests (hall_screen.cc, F8).
  void OpenHall();
  void DrawHall();
  void HallKey(const Key& k);
  void HallStep(const std::string& step);  // take, done, reject

  // The operations (charge.cc, actions.cc).
  void StartCharge();
  // With the form's request key; a lost connection is waited for up to
  // kChargeWait, then the cashier may press Enter again (same key).
  static constexpr std::chrono::seconds kChargeWait{20};
  Status SubmitCharge(const Form& f, const std::string& house, const std::string& season, const std::string& key);
  // Prints the receipt (or, with `copy`, a counted copy) where this
  // terminal prints; the line to show, which says why when it did not.
  std::string PrintReceipt(const std::string& receipt_no, bool copy = false);
  // This terminal's printer (counter.printer, counter.printers); "" none.
  Result<std::string> Printer();
  bool StartAction(char32_t key);  // false: no operation on this key
  Status Reprint(const std::string& receipt_no);
  void StartDayClose();  // F9
  // billctl's own command, in this process: 0 and its JSON, or the
  // message it printed and its exit code.
  struct BillctlResult {
    int exit = 0;
    nlohmann::json out;
    std::string error;
  };
  BillctlResult Billctl(std::vector<std::string> args);

  // Shared drawing.
  void DrawFrame();
  void DrawTitle();
  void DrawSearchLine(int row, bool active);
  void DrawStatus(const std::string& keys);
  void DrawDialog();
  void DrawNotice();
  void Say(std::string text, Style style = Style::kNormal) { message_ = std::move(text), message_style_ = style; }

  const nlohmann::json* Account() const;  // the account shown (selected season), or null
  std::string LastReceipt(bool standing_payment) const;

  cli::Context& ctx_;
  db::Conn& db_;
  Term& t_;
  Options opt_;
  std::string login_, today_, season_;

  enum class Screen { kSearch, kHouse, kHall } screen_ = Screen::kSearch;
  bool quit_ = false;
  std::string what_ = "key";  // what the last key did, for the timings

  LineEdit query_;
  bool query_active_ = true;  // typing goes to the search line
  std::string searched_;
  billing::Found found_;
  int sel_ = 0, list_top_ = 0;

  nlohmann::json house_;
  std::string house_code_;
  size_t acct_ = 0;
  int entry_top_ = 0;

  nlohmann::json hall_;  // the open requests, as billctl hall list gave them
  int hall_sel_ = 0;

  std::string message_;
  Style message_style_ = Style::kNormal;
  std::optional<Dialog> dialog_;
  std::optional<Notice> notice_;
  FILE* timings_ = nullptr;
};

}  // namespace heat::counter
