// counter/form.h — the one-line editor and the small forms of the counter
// (charge, refund, reversal, requests, status changes, cards, reprints).
// Pure logic over Key (term.h): tested without a terminal.
//
// Keys in a form: typing edits the field with focus; Tab / ↓ next field,
// Shift-Tab / ↑ previous; ← → move in a text field and change a choice;
// Enter submits from any field; Esc cancels. A pre-filled field is
// selected: the first character typed replaces it (the amount proposed is
// confirmed with Enter, or overtyped).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "heat/counter/term.h"

namespace heat::counter {

class LineEdit {
 public:
  explicit LineEdit(std::string text = {}, bool selected = false) { Set(std::move(text), selected); }
  void Set(std::string text, bool selected = false);
  const std::string& text() const { return text_; }
  bool selected() const { return selected_; }
  // Columns of display width before the cursor.
  size_t CursorColumn() const;
  // Characters, Backspace, Delete, ← →, Home, End, Ctrl-U (clear),
  // Ctrl-A/Ctrl-E (start/end); false for a key it does not use.
  bool Handle(const Key& k);

 private:
  void Sync();
  std::u32string chars_;
  std::string text_;
  size_t cursor_ = 0;
  bool selected_ = false;
};

struct Field {
  enum Kind { kText, kMoney, kDate, kChoice };
  std::string name;   // the key its value is read by
  std::string label;  // shown, e.g. 金额
  Kind kind = kText;
  LineEdit edit;      // kText, kMoney, kDate
  // kChoice: (value, label) pairs, one chosen; `hotkeys` (one letter per
  // choice, may be empty) choose from anywhere in the form, since money
  // and date fields take no letters.
  std::vector<std::pair<std::string, std::string>> choices;
  std::string hotkeys;
  size_t chosen = 0;
  std::string Value() const { return kind == kChoice ? choices.at(chosen).first : edit.text(); }
};

class Form {
 public:
  enum Outcome { kContinue, kSubmit, kCancel };
  Form(std::string title, std::vector<Field> fields) : title_(std::move(title)), fields_(std::move(fields)) {}
  Outcome Handle(const Key& k);
  const std::string& title() const { return title_; }
  std::vector<Field>& fields() { return fields_; }
  const std::vector<Field>& fields() const { return fields_; }
  size_t focus() const { return focus_; }
  void Focus(const std::string& name);
  const Field& Get(const std::string& name) const;  // the field named so (must exist)
  // Draws the fields one per row from (top, left), labels in `label_w`
  // columns; the cursor is placed in the field with focus.
  void Draw(Term& t, int top, int left, int width, int label_w) const;

 private:
  bool Accepts(const Field& f, char32_t c) const;
  std::string title_;
  std::vector<Field> fields_;
  size_t focus_ = 0;
};

// Field makers for the common kinds.
Field TextField(std::string name, std::string label, std::string value = {});
Field MoneyField(std::string name, std::string label, std::string yuan = {});
Field DateField(std::string name, std::string label, std::string date);
Field ChoiceField(std::string name, std::string label, std::vector<std::pair<std::string, std::string>> choices,
                  std::string hotkeys = {});

}  // namespace heat::counter
