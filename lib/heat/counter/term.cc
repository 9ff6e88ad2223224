// counter/term.cc — term.h over ncursesw.
#include "heat/counter/term.h"

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <langinfo.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>

#include "heat/core/escape.h"
#include "heat/core/text.h"

namespace heat::counter {
namespace {

// Colour pair per style (0: the terminal's default colours).
int PairOf(Style s) {
  switch (s) {
    case Style::kGood: return 1;
    case Style::kWarn: return 2;
    case Style::kBad: return 3;
    case Style::kTitle: return 4;
    case Style::kSelected: return 5;
    case Style::kFocus: return 6;
    default: return 0;
  }
}

attr_t AttrOf(Style s) {
  attr_t a = has_colors() ? COLOR_PAIR(PairOf(s)) : A_NORMAL;
  switch (s) {
    case Style::kTitle: case Style::kSelected: return a | (has_colors() ? A_NORMAL : A_REVERSE);
    case Style::kDim: return a | A_DIM;
    case Style::kBad: case Style::kBold: return a | A_BOLD;
    case Style::kField: return a | A_UNDERLINE;
    case Style::kFocus: return a | A_UNDERLINE | (has_colors() ? A_NORMAL : A_REVERSE);
    default: return a;
  }
}

void StartColours() {
  if (!has_colors()) return;
  start_color();
  use_default_colors();
  init_pair(1, COLOR_GREEN, -1);
  init_pair(2, COLOR_YELLOW, -1);
  init_pair(3, COLOR_RED, -1);
  init_pair(4, COLOR_WHITE, COLOR_BLUE);
  init_pair(5, COLOR_BLACK, COLOR_CYAN);
  init_pair(6, COLOR_BLACK, COLOR_WHITE);
}

// Without a UTF-8 character type ncursesw would print Chinese as bytes.
void EnsureUtf8Locale() {
  std::setlocale(LC_ALL, "");
  if (std::strcmp(nl_langinfo(CODESET), "UTF-8") != 0) std::setlocale(LC_CTYPE, "C.UTF-8");
}

Key FromCode(wint_t c) {
  switch (c) {
    case KEY_ENTER: return {Key::kEnter};
    case KEY_BACKSPACE: return {Key::kBackspace};
    case KEY_DC: return {Key::kDelete};
    case KEY_BTAB: return {Key::kBackTab};
    case KEY_UP: return {Key::kUp};
    case KEY_DOWN: return {Key::kDown};
    case KEY_LEFT: return {Key::kLeft};
    case KEY_RIGHT: return {Key::kRight};
    case KEY_PPAGE: return {Key::kPageUp};
    case KEY_NPAGE: return {Key::kPageDown};
    case KEY_HOME: return {Key::kHome};
    case KEY_END: return {Key::kEnd};
    case KEY_RESIZE: return {Key::kResize};
    default: break;
  }
  if (c >= static_cast<wint_t>(KEY_F(1)) && c <= static_cast<wint_t>(KEY_F(12)))
    return {Key::kF, static_cast<char32_t>(c - KEY_F0)};
  return {Key::kNone};
}

Key FromChar(wint_t c) {
  if (c == '\n' || c == '\r') return {Key::kEnter};
  if (c == 27) return {Key::kEsc};
  if (c == '\t') return {Key::kTab};
  if (c == 127 || c == 8) return {Key::kBackspace};
  if (c >= 1 && c <= 26) return {Key::kCtrl, static_cast<char32_t>('a' + c - 1)};
  if (c < 32 || (c >= 0x7F && c < 0xA0)) return {Key::kNone};
  return Key::Char(static_cast<char32_t>(c));
}

}  // namespace

Result<std::unique_ptr<Term>> Term::Open() {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
    return Status::Usage("the counter needs a terminal (run it in a terminal or over ssh -t)");
  EnsureUtf8Locale();
  setenv("ESCDELAY", "25", 0);  // Esc alone is a key here, not the start of a sequence for a second
  if (initscr() == nullptr) return Status::Usage("cannot start the terminal (is TERM set?)");
  raw();  // Ctrl-C, Ctrl-Z and Ctrl-S are keys: a cashier's slip must not kill the screen
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  StartColours();
  curs_set(0);
  return std::unique_ptr<Term>(new Term());
}

Term::~Term() { endwin(); }

int Term::rows() const { return LINES; }
int Term::cols() const { return COLS; }
void Term::Clear() { erase(); }

void Term::Put(int row, int col, std::string_view text, Style style, int width, bool pad) {
  if (row < 0 || row >= LINES || col < 0 || col >= COLS) return;
  if (width < 0 || col + width > COLS) width = COLS - col;
  std::string safe = EscapeControl(text);
  std::string clipped = ClipWidth(safe, static_cast<size_t>(width));
  if (pad) clipped = PadRight(clipped, static_cast<size_t>(width));
  attrset(AttrOf(style));
  mvaddstr(row, col, clipped.c_str());
  attrset(A_NORMAL);
}

void Term::Box(int top, int left, int bottom, int right, std::string_view title) {
  // ASCII, not box-drawing characters: those are of ambiguous width, and
  // a Chinese terminal (or font) set to draw them wide would break every
  // line of the box; + - | are one column everywhere.
  const std::string h(static_cast<size_t>(right - left - 1), '-');
  Put(top, left, "+" + h + "+");
  for (int r = top + 1; r < bottom; ++r) {
    Put(r, left, "|", Style::kNormal);
    Put(r, left + 1, "", Style::kNormal, right - left - 1, true);
    Put(r, right, "|", Style::kNormal);
  }
  Put(bottom, left, "+" + h + "+");
  if (!title.empty()) Put(top, left + 2, " " + std::string(title) + " ", Style::kBold, right - left - 3);
}

void Term::ShowCursor(int row, int col) {
  cursor_ = true;
  move(row, col);
}

void Term::HideCursor() { cursor_ = false; }

void Term::Refresh() {
  curs_set(cursor_ ? 1 : 0);
  refresh();
}

Key Term::Read() {
  for (;;) {
    wint_t c = 0;
    errno = 0;
    int r = get_wch(&c);
    if (r == KEY_CODE_YES) {
      Key k = FromCode(c);
      if (k.kind != Key::kNone) return k;
    } else if (r == OK) {
      Key k = FromChar(c);
      if (k.kind != Key::kNone) return k;
    } else if (errno != EINTR) {
      return {Key::kHangup};  // end of input: the ssh session or tmux pane closed
    }
  }
}

}  // namespace heat::counter
