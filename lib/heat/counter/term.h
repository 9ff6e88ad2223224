// counter/term.h — the full-screen terminal under the cashier's counter:
// ncursesw, UTF-8, keyboard only, any size from 80×24 up (over ssh too).
//
// Text is placed by display columns (core/text.h DisplayWidth): a Chinese
// character takes two, and text is clipped at the edge of its field
// without cutting one in half. Control characters in data are shown as
// \xNN (SYS-1), never sent to the terminal. The program's own text uses
// no character of ambiguous East Asian width (box lines, arrows, ²):
// Chinese terminals draw those one or two columns wide by a setting.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "heat/core/status.h"

namespace heat::counter {

enum class Style { kNormal, kTitle, kDim, kGood, kWarn, kBad, kSelected, kField, kFocus, kBold };

struct Key {
  enum Kind {
    kNone, kChar, kEnter, kEsc, kBackspace, kDelete, kTab, kBackTab, kUp, kDown, kLeft, kRight,
    kPageUp, kPageDown, kHome, kEnd, kF, kCtrl, kResize, kHangup  // kHangup: the terminal is gone
  };
  Kind kind = kNone;
  char32_t ch = 0;  // kChar: the character; kF: 1..12; kCtrl: 'a'..'z'
  static Key Char(char32_t c) { return {kChar, c}; }
  bool Is(Kind k) const { return kind == k; }
  bool IsChar(char32_t c) const { return kind == kChar && ch == c; }
  bool IsF(int n) const { return kind == kF && ch == static_cast<char32_t>(n); }
};

// Screen drawing is not retained: each frame is drawn whole into ncurses'
// virtual screen and Refresh sends only what changed.
class Term {
 public:
  // kUsage when standard input or output is not a terminal. Switches the
  // locale's character type to UTF-8 when it is not (ssh without LANG).
  static Result<std::unique_ptr<Term>> Open();
  ~Term();
  Term(const Term&) = delete;
  Term& operator=(const Term&) = delete;

  int rows() const;
  int cols() const;
  void Clear();
  // `text` at (row, col), at most `width` columns (-1: to the right edge);
  // with `pad` the rest of the width is filled with spaces in the style.
  void Put(int row, int col, std::string_view text, Style style = Style::kNormal, int width = -1,
           bool pad = false);
  // A frame of + - | around rows [top, bottom], columns
  // [left, right], its inside cleared, the title in the top line.
  void Box(int top, int left, int bottom, int right, std::string_view title);
  void ShowCursor(int row, int col);
  void HideCursor();
  void Refresh();
  // Blocks for the next key; a window size change is Key::kResize.
  Key Read();

 private:
  Term() = default;
  bool cursor_ = false;
};

}  // namespace heat::counter
