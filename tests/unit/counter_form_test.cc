// The counter's line editor and forms (counter/form.h), without a terminal.
#include <gtest/gtest.h>

#include <random>

#include "heat/core/text.h"
#include "heat/counter/form.h"

namespace heat::counter {
namespace {

void Type(LineEdit& e, const std::u32string& s) {
  for (char32_t c : s) e.Handle(Key::Char(c));
}

TEST(LineEditTest, TypingReplacesASelectedProposal) {
  LineEdit e("2200.00", true);
  Type(e, U"3000");
  EXPECT_EQ(e.text(), "3000");
  LineEdit kept("2200.00", false);
  Type(kept, U"1");
  EXPECT_EQ(kept.text(), "2200.001");
}

TEST(LineEditTest, BackspaceOnASelectedProposalClearsIt) {
  LineEdit e("H001", true);
  e.Handle({Key::kBackspace});
  EXPECT_EQ(e.text(), "");
}

TEST(LineEditTest, CursorColumnCountsChineseAsTwo) {
  LineEdit e;
  Type(e, U"幸福 3");
  EXPECT_EQ(e.CursorColumn(), 6u);
  e.Handle({Key::kLeft});
  e.Handle({Key::kLeft});
  EXPECT_EQ(e.CursorColumn(), 4u);
  e.Handle({Key::kBackspace});  // deletes 福 whole, never half of it
  EXPECT_EQ(e.text(), "幸 3");
}

TEST(LineEditTest, CtrlUClearsAndEditingKeysMove) {
  LineEdit e;
  Type(e, U"xfxq");
  e.Handle({Key::kHome});
  Type(e, U"/");
  EXPECT_EQ(e.text(), "/xfxq");
  e.Handle({Key::kCtrl, 'u'});
  EXPECT_EQ(e.text(), "");
  EXPECT_FALSE(e.Handle({Key::kF, 5}));
}

Form ChargeForm() {
  return Form("收费", {MoneyField("amount", "金额", "2200.00"), MoneyField("given", "实收"),
                       ChoiceField("method", "方式", {{"cash", "现金"}, {"card", "刷卡"}, {"wechat", "微信"}}, "xkw")});
}

TEST(FormTest, EnterSubmitsTheProposalAsIs) {
  Form f = ChargeForm();
  EXPECT_EQ(f.Handle({Key::kEnter}), Form::kSubmit);
  EXPECT_EQ(f.Get("amount").Value(), "2200.00");
  EXPECT_EQ(f.Get("method").Value(), "cash");
}

TEST(FormTest, AHotkeyPicksTheMethodFromAMoneyField) {
  Form f = ChargeForm();
  f.Handle(Key::Char('w'));
  EXPECT_EQ(f.Get("method").Value(), "wechat");
  EXPECT_EQ(f.Get("amount").Value(), "2200.00");  // the letter did not go into the amount
}

TEST(FormTest, MoneyFieldsTakeDigitsAndAPointOnly) {
  Form f = ChargeForm();
  f.Handle({Key::kTab});
  for (char32_t c : std::u32string(U"3a0-0.5")) f.Handle(Key::Char(c));
  EXPECT_EQ(f.Get("given").Value(), "300.5");
}

TEST(FormTest, TabCyclesAndChoicesTurnWithArrows) {
  Form f = ChargeForm();
  f.Handle({Key::kBackTab});
  EXPECT_EQ(f.focus(), 2u);
  f.Handle({Key::kRight});
  EXPECT_EQ(f.Get("method").Value(), "card");
  f.Handle({Key::kLeft});
  f.Handle({Key::kLeft});
  EXPECT_EQ(f.Get("method").Value(), "wechat");
  f.Handle({Key::kTab});
  EXPECT_EQ(f.focus(), 0u);
  EXPECT_EQ(f.Handle({Key::kEsc}), Form::kCancel);
}

// Whatever a cashier (or a cat on the keyboard) types: money fields hold
// digits and points only, a choice stays one of its choices, the focus
// stays on a field, and every text stays valid UTF-8.
TEST(FormTest, RandomKeysKeepEveryFieldWellFormed) {
  std::mt19937 rng(16);
  const std::vector<Key> keys = {Key::Char('1'), Key::Char('.'), Key::Char('w'), Key::Char(U'张'),
                                 Key::Char(U'😀'), {Key::kBackspace}, {Key::kDelete}, {Key::kTab},
                                 {Key::kBackTab}, {Key::kLeft}, {Key::kRight}, {Key::kHome}, {Key::kEnd},
                                 {Key::kCtrl, 'u'}, {Key::kF, 5}, Key::Char(' ')};
  for (int run = 0; run < 200; ++run) {
    Form f = ChargeForm();
    f.fields().push_back(TextField("reason", "原因", "多缴"));
    for (int i = 0; i < 200; ++i) {
      const Key& k = keys[rng() % keys.size()];
      f.Handle(k);
      ASSERT_LT(f.focus(), f.fields().size());
    }
    for (const char* money : {"amount", "given"})
      EXPECT_EQ(f.Get(money).Value().find_first_not_of("0123456789."), std::string::npos) << f.Get(money).Value();
    EXPECT_LT(f.Get("method").chosen, 3u);
    EXPECT_TRUE(IsValidUtf8(f.Get("reason").Value()));
  }
}

}  // namespace
}  // namespace heat::counter
