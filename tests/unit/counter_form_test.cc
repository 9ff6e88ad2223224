// The counter's line editor and forms (counter/form.h), without a terminal.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace heat::counter
