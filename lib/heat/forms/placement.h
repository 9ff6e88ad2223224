// forms/placement.h — a pre-printed form as a placement file (BIL-21,
// BIL-26): the paper's size and, for each printed field, where it goes in
// millimetres from the top left corner, its font size in points, its width
// and alignment, and its text as a mustache template over the values.
//
//   name: receipt
//   page: {width_mm: 241, height_mm: 93, media: Custom.241x93mm}
//   font: Noto Sans CJK SC
//   fields:
//     - {text: "{{customer}}", x: 30, y: 22, size: 10, width: 60}
//     - {text: 户主, x: 12, y: 22, size: 9, label: true}
//     - {text: "{{#void}}作废 VOID{{/void}}", x: 40, y: 30, size: 40, rotate: -12, color: "#c00000"}
//   qr: {x: 200, y: 30, size: 30}
//
// A field with `label: true` is the form's own printing (titles, captions,
// lines of text): drawn on plain paper, left out on pre-printed stationery
// whose parts already carry it. Values are plain text (no markup); a field
// whose text comes out empty draws nothing. Errors name file:line and the
// key, like every file the tools read; unknown keys are errors.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "heat/core/status.h"

namespace heat::forms {

// 72 points to the inch, 25.4 mm to the inch.
double MmToPt(double mm);

struct Field {
  std::string text;         // mustache over the values
  double x = 0, y = 0;      // mm from the page's top left corner
  double size = 10;         // font size, points
  double width = 0;         // mm; 0: as wide as the text (no alignment)
  std::string align = "left";  // left | center | right, within width
  bool bold = false;
  bool label = false;       // the form's own printing (see above)
  double rotate = 0;        // degrees, clockwise positive
  unsigned color = 0;       // 0xRRGGBB
  int line = 0;
};

struct Placement {
  std::string name, file;
  double width_mm = 0, height_mm = 0;
  std::string media;        // lp -o media=...; empty: the printer's default
  std::string font = "Noto Sans CJK SC";
  std::vector<Field> fields;
  double qr_x = 0, qr_y = 0, qr_size = 0;  // mm; size 0: no QR code
};

// Parses a placement file's text; `file` names it in messages.
Result<Placement> ParsePlacement(std::string_view yaml_text, const std::string& file);
// Reads one (at most 256 KiB) and parses it.
Result<Placement> LoadPlacement(const std::string& path);

using Values = std::map<std::string, std::string>;

// One page: every field rendered with `values` (a key whose value is ""
// is false in a {{#section}}), the QR code of `qr_text` when the
// placement has one; labels left out when `preprinted`. The PDF's bytes.
Result<std::string> RenderPlacement(const Placement& p, const Values& values, const std::string& qr_text,
                                    bool preprinted);

}  // namespace heat::forms
