// pay/html.h — the page's HTML: escaping, the frame every page shares,
// money in yuan, and the style sheet (served as /style.css, so the
// Content-Security-Policy needs no inline style or script).
//
// Contract: every value that came from a person or the database goes
// through Esc before it is written into HTML (text or attribute); Esc
// replaces bytes that are not UTF-8 and control characters, so what is
// shown is what is stored, never markup.
#pragma once

#include <string>
#include <string_view>

#include "heat/core/money.h"

namespace heat::pay {

std::string Esc(std::string_view s);
// "¥1903.00"
std::string Yuan(Fen fen);
// A whole page: title, the company name in the header, body (HTML already).
std::string PageHtml(const std::string& company, const std::string& title, const std::string& body);
// The page reloads itself every `seconds` (a meta refresh: no script).
std::string WithRefresh(const std::string& page, int seconds);
// A form that posts to `action` with the CSRF token and the given inner HTML.
std::string FormHtml(const std::string& action, const std::string& csrf, const std::string& inner,
                     const std::string& css_class = "");

const std::string& StyleSheet();

}  // namespace heat::pay
