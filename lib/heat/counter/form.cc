// counter/form.cc — form.h.
#include "heat/counter/form.h"

#include <stdexcept>

#include "heat/core/text.h"

namespace heat::counter {

void LineEdit::Set(std::string text, bool selected) {
  chars_.clear();
  for (size_t i = 0; i < text.size();) chars_.push_back(NextCodePoint(text, &i));
  cursor_ = chars_.size();
  selected_ = selected && !chars_.empty();
  Sync();
}

void LineEdit::Sync() {
  text_.clear();
  for (char32_t c : chars_) AppendUtf8(&text_, c);
}

size_t LineEdit::CursorColumn() const {
  std::string before;
  for (size_t i = 0; i < cursor_; ++i) AppendUtf8(&before, chars_[i]);
  return DisplayWidth(before);
}

bool LineEdit::Handle(const Key& k) {
  const bool was_selected = selected_;
  selected_ = false;
  switch (k.kind) {
    case Key::kChar:
      if (was_selected) chars_.clear(), cursor_ = 0;
      chars_.insert(chars_.begin() + static_cast<long>(cursor_), k.ch);
      ++cursor_;
      break;
    case Key::kBackspace:
      if (was_selected) chars_.clear(), cursor_ = 0;
      else if (cursor_ > 0) chars_.erase(chars_.begin() + static_cast<long>(--cursor_));
      break;
    case Key::kDelete:
      if (cursor_ < chars_.size()) chars_.erase(chars_.begin() + static_cast<long>(cursor_));
      break;
    case Key::kLeft: if (cursor_ > 0) --cursor_; break;
    case Key::kRight: if (cursor_ < chars_.size()) ++cursor_; break;
    case Key::kHome: cursor_ = 0; break;
    case Key::kEnd: cursor_ = chars_.size(); break;
    case Key::kCtrl:
      if (k.ch == 'u') chars_.clear(), cursor_ = 0;
      else if (k.ch == 'a') cursor_ = 0;
      else if (k.ch == 'e') cursor_ = chars_.size();
      else return selected_ = was_selected, false;
      break;
    default:
      selected_ = was_selected;
      return false;
  }
  Sync();
  return true;
}

bool Form::Accepts(const Field& f, char32_t c) const {
  switch (f.kind) {
    case Field::kMoney: return (c >= '0' && c <= '9') || c == '.';
    case Field::kDate: return (c >= '0' && c <= '9') || c == '-';
    case Field::kChoice: return false;
    default: return true;
  }
}

Form::Outcome Form::Handle(const Key& k) {
  if (k.Is(Key::kEnter)) return kSubmit;
  if (k.Is(Key::kEsc)) return kCancel;
  const size_t n = fields_.size();
  if (k.Is(Key::kTab) || k.Is(Key::kDown)) return focus_ = (focus_ + 1) % n, kContinue;
  if (k.Is(Key::kBackTab) || k.Is(Key::kUp)) return focus_ = (focus_ + n - 1) % n, kContinue;
  Field& f = fields_[focus_];
  if (k.Is(Key::kChar) && !Accepts(f, k.ch)) {
    // A letter in a field that takes none may be a choice's hotkey.
    for (auto& c : fields_) {
      size_t at = c.hotkeys.find(static_cast<char>(k.ch));
      if (k.ch < 0x80 && at != std::string::npos && at < c.choices.size()) c.chosen = at;
    }
    return kContinue;
  }
  if (f.kind == Field::kChoice) {
    if (k.Is(Key::kRight) || k.IsChar(' ')) f.chosen = (f.chosen + 1) % f.choices.size();
    if (k.Is(Key::kLeft)) f.chosen = (f.chosen + f.choices.size() - 1) % f.choices.size();
    return kContinue;
  }
  f.edit.Handle(k);
  return kContinue;
}

void Form::Focus(const std::string& name) {
  for (size_t i = 0; i < fields_.size(); ++i)
    if (fields_[i].name == name) focus_ = i;
}

const Field& Form::Get(const std::string& name) const {
  for (const auto& f : fields_)
    if (f.name == name) return f;
  throw std::logic_error("form " + title_ + " has no field " + name);
}

void Form::Draw(Term& t, int top, int left, int width, int label_w) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    const int row = top + static_cast<int>(i);
    const bool focus = i == focus_;
    t.Put(row, left, f.label, focus ? Style::kBold : Style::kNormal, label_w);
    const int x = left + label_w, w = width - label_w;
    if (f.kind == Field::kChoice) {
      int cx = x;
      for (size_t c = 0; c < f.choices.size(); ++c) {
        std::string item = f.choices[c].second;
        if (c < f.hotkeys.size()) item = std::string(1, f.hotkeys[c]) + " " + item;
        const Style s = c == f.chosen ? (focus ? Style::kFocus : Style::kSelected) : Style::kNormal;
        t.Put(row, cx, item, s, x + w - cx);
        cx += static_cast<int>(DisplayWidth(item)) + 1;
      }
      continue;
    }
    t.Put(row, x, f.edit.text(), focus ? Style::kFocus : Style::kField, w, true);
    if (focus) t.ShowCursor(row, x + static_cast<int>(f.edit.CursorColumn()));
  }
}

namespace {

Field Make(std::string name, std::string label, Field::Kind kind) {
  Field f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.kind = kind;
  return f;
}

}  // namespace

Field TextField(std::string name, std::string label, std::string value) {
  Field f = Make(std::move(name), std::move(label), Field::kText);
  f.edit.Set(std::move(value), true);
  return f;
}

Field MoneyField(std::string name, std::string label, std::string yuan) {
  Field f = Make(std::move(name), std::move(label), Field::kMoney);
  f.edit.Set(std::move(yuan), true);
  return f;
}

Field DateField(std::string name, std::string label, std::string date) {
  Field f = Make(std::move(name), std::move(label), Field::kDate);
  f.edit.Set(std::move(date), true);
  return f;
}

Field ChoiceField(std::string name, std::string label, std::vector<std::pair<std::string, std::string>> choices,
                  std::string hotkeys) {
  Field f = Make(std::move(name), std::move(label), Field::kChoice);
  f.choices = std::move(choices);
  f.hotkeys = std::move(hotkeys);
  return f;
}

}  // namespace heat::counter
