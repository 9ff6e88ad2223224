// Reading .xlsx: the zip with libzip, its XML parts with expat, streamed
// in chunks so a large sheet is never held as one XML string.
//
// Parts read: xl/workbook.xml and xl/_rels/workbook.xml.rels to find the
// first worksheet (falling back to xl/worksheets/sheet1.xml), the shared
// strings, and that worksheet. Everything else (styles, drawings, other
// sheets) is ignored. Every unpacked byte counts against kMaxSheetBytes,
// counted as it comes out of the inflater, so a zip bomb is stopped
// whatever its headers claim.
#include <expat.h>
#include <zip.h>

#include <functional>
#include <map>
#include <memory>

#include "heat/core/sheet.h"

namespace heat {
namespace {

using sheet_internal::kXlsxMaxColumns;
using sheet_internal::XlsxCellColumn;
using sheet_internal::XlsxCellText;
using sheet_internal::XlsxColumnName;
using sheet_internal::XlsxDecodeEscapes;
using sheet_internal::XlsxRowNumber;
using Sink = std::function<Status(std::string_view chunk)>;

Status Corrupt(const std::string& why) {
  return Status::Failure("not a readable .xlsx file (" + why + ")");
}

// The opened zip and the budget of unpacked bytes its parts share.
class Package {
 public:
  explicit Package(zip_t* zip) : zip_(zip) {}
  ~Package() { zip_discard(zip_); }
  Package(const Package&) = delete;
  Package& operator=(const Package&) = delete;

  // Part names in an .xlsx (OPC) are case-insensitive.
  bool Has(const std::string& name) const { return zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE) >= 0; }

  Status Stream(const std::string& name, const Sink& sink) {
    zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return Corrupt(name + " is missing");
    zip_file_t* file = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) return OpenError(name);
    Status s = Pump(file, name, sink);
    zip_fclose(file);
    return s;
  }

 private:
  Status OpenError(const std::string& name) {
    int code = zip_error_code_zip(zip_get_error(zip_));
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP) {
      return Status::Failure("the workbook is password-protected; save a copy without a password");
    }
    return Corrupt(name + ": " + zip_strerror(zip_));
  }

  Status Pump(zip_file_t* file, const std::string& name, const Sink& sink) {
    char buf[64 << 10];
    for (;;) {
      zip_int64_t n = zip_fread(file, buf, sizeof buf);
      if (n < 0) return Corrupt(name + ": " + zip_file_strerror(file));
      if (n == 0) return Status::Ok();
      unpacked_ += static_cast<size_t>(n);
      if (unpacked_ > kMaxSheetBytes) {
        return Status::Failure("unpacks to more than " + std::to_string(kMaxSheetBytes >> 20) +
                               " MB (a zip bomb, or split the file)");
      }
      HEAT_TRY(sink(std::string_view(buf, static_cast<size_t>(n))));
    }
  }

  zip_t* zip_;
  size_t unpacked_ = 0;
};

// Expat glue: subclasses see local names (namespace prefixes stripped, so
// "x:row" and "row" are alike) and stop the parse by calling Fail().
class XmlReader {
 public:
  virtual ~XmlReader() = default;

  Status Parse(Package* pkg, const std::string& part) {
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> p(XML_ParserCreateNS(nullptr, ' '), XML_ParserFree);
    if (!p) return Status::Failure("out of memory");
    parser_ = p.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &OnStart, &OnEnd);
    XML_SetCharacterDataHandler(parser_, &OnText);
    XML_SetStartDoctypeDeclHandler(parser_, &OnDoctype);
    Status s = pkg->Stream(part, [&](std::string_view chunk) { return Feed(part, chunk, false); });
    if (s.ok()) s = Feed(part, {}, true);
    return s;
  }

 protected:
  virtual void Start(std::string_view name, const char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view) {}

  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
    XML_StopParser(parser_, XML_FALSE);
  }

  // The value of the attribute with this local name, or nullptr.
  static const char* Attr(const char** attrs, std::string_view local) {
    for (; attrs[0] != nullptr; attrs += 2) {
      if (LocalName(attrs[0]) == local) return attrs[1];
    }
    return nullptr;
  }

 private:
  static std::string_view LocalName(const char* name) {
    std::string_view n(name);
    size_t sep = n.rfind(' ');
    return sep == std::string_view::npos ? n : n.substr(sep + 1);
  }

  Status Feed(const std::string& part, std::string_view chunk, bool last) {
    if (XML_Parse(parser_, chunk.data(), static_cast<int>(chunk.size()), last) != XML_STATUS_ERROR) {
      return Status::Ok();
    }
    if (!error_.ok()) return error_;
    return Corrupt(part + " line " + std::to_string(XML_GetCurrentLineNumber(parser_)) + ": " +
                   XML_ErrorString(XML_GetErrorCode(parser_)));
  }

  static void OnStart(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<XmlReader*>(self)->Start(LocalName(name), attrs);
  }
  static void OnEnd(void* self, const XML_Char* name) { static_cast<XmlReader*>(self)->End(LocalName(name)); }
  static void OnText(void* self, const XML_Char* s, int len) {
    static_cast<XmlReader*>(self)->Text(std::string_view(s, static_cast<size_t>(len)));
  }
  // No OOXML part has a DTD; refusing one shuts out entity expansion tricks.
  static void OnDoctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<XmlReader*>(self)->Fail(Corrupt("an XML part declares a DTD"));
  }

  XML_Parser parser_ = nullptr;
  Status error_;
};

// xl/workbook.xml: the sheets' relationship ids in tab order, visible ones
// first (the user's "first sheet" is the first tab they can see).
class WorkbookReader : public XmlReader {
 public:
  std::vector<std::string> ids;

 protected:
  void Start(std::string_view name, const char** attrs) override {
    if (name != "sheet") return;
    const char* id = Attr(attrs, "id");
    const char* state = Attr(attrs, "state");
    if (id == nullptr) return;
    bool hidden = state != nullptr && std::string_view(state) != "visible";
    (hidden ? hidden_ : ids).push_back(id);
  }
  void End(std::string_view name) override {
    if (name == "workbook") ids.insert(ids.end(), hidden_.begin(), hidden_.end());
  }

 private:
  std::vector<std::string> hidden_;
};

// A .rels part: relationship id -> (type, target).
class RelsReader : public XmlReader {
 public:
  struct Rel {
    std::string type, target;
  };
  std::map<std::string, Rel> rels;

  // The part name of the first relationship of this type ("worksheet",
  // "sharedStrings"), resolved against xl/; empty when there is none.
  std::string Find(std::string_view type, const std::vector<std::string>& order) const {
    for (const auto& id : order) {
      auto it = rels.find(id);
      if (it != rels.end() && EndsWithType(it->second.type, type)) return Resolve(it->second.target);
    }
    return {};
  }

 protected:
  void Start(std::string_view name, const char** attrs) override {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    if (id && type && target) rels[id] = {type, target};
  }
  void End(std::string_view) override {}

 private:
  static bool EndsWithType(std::string_view type, std::string_view want) {
    return type.size() > want.size() && type.ends_with(want) && type[type.size() - want.size() - 1] == '/';
  }

  // "worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml"; "/xl/a.xml" is
  // absolute; "." and ".." are folded.
  static std::string Resolve(std::string_view target) {
    std::string joined = target.starts_with('/') ? std::string(target.substr(1)) : "xl/" + std::string(target);
    std::vector<std::string> parts;
    for (std::string_view rest = joined; !rest.empty();) {
      size_t slash = rest.find('/');
      std::string_view seg = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.emplace_back(seg);
      }
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
  }
};

// xl/sharedStrings.xml: one string per <si>, rich-text runs (<r><t>)
// joined; phonetic guides (<rPh>, furigana) are not part of the text.
class SharedStringsReader : public XmlReader {
 public:
  explicit SharedStringsReader(std::vector<std::string>* out) : out_(out) {}

 protected:
  void Start(std::string_view name, const char**) override {
    if (name == "si") text_.clear();
    if (name == "rPh") ++phonetic_;
    if (name == "t") in_text_ = phonetic_ == 0;
  }
  void End(std::string_view name) override {
    if (name == "t") in_text_ = false;
    if (name == "rPh") --phonetic_;
    if (name == "si") out_->push_back(XlsxDecodeEscapes(text_));
  }
  void Text(std::string_view s) override {
    if (in_text_) text_.append(s);
  }

 private:
  std::vector<std::string>* out_;
  std::string text_;
  int phonetic_ = 0;
  bool in_text_ = false;
};

// A worksheet, row by row into the Sheet. Cells are placed by their r="B3"
// reference, so skipped empty cells leave empty strings; a cell without a
// reference follows the previous one, as the format allows.
class SheetReader : public XmlReader {
 public:
  SheetReader(const std::vector<std::string>& strings, Sheet* sheet) : strings_(strings), sheet_(sheet) {}

 protected:
  void Start(std::string_view name, const char** attrs) override {
    if (name == "row") return StartRow(Attr(attrs, "r"));
    if (!in_row_) return;
    if (name == "c") return StartCell(Attr(attrs, "r"), Attr(attrs, "t"));
    if (name == "rPh") ++phonetic_;
    if (name == "v" || (name == "t" && phonetic_ == 0)) in_value_ = true;
  }

  void End(std::string_view name) override {
    if (name == "v" || name == "t") in_value_ = false;
    if (name == "rPh" && phonetic_ > 0) --phonetic_;
    if (name == "c" && in_row_) EndCell();
    if (name == "row" && in_row_) EndRow();
  }

  void Text(std::string_view s) override {
    if (in_value_) value_.append(s);
  }

 private:
  void StartRow(const char* r) {
    int n = row_ + 1;
    if (r != nullptr && !XlsxRowNumber(r, &n)) return Fail(Corrupt("bad row number '" + std::string(r) + "'"));
    row_ = n;
    col_ = -1;
    in_row_ = true;
    cells_.clear();
  }

  void StartCell(const char* r, const char* t) {
    int col = col_ + 1;
    if (r != nullptr && !XlsxCellColumn(r, &col)) return Fail(Corrupt("bad cell reference '" + std::string(r) + "'"));
    if (col >= kXlsxMaxColumns) return Fail(Corrupt("sheet row " + std::to_string(row_) + " goes beyond column XFD"));
    col_ = col;
    type_ = t != nullptr ? t : "n";
    value_.clear();
  }

  void EndCell() {
    Result<std::string> text = XlsxCellText(type_, value_, strings_);
    if (!text.ok()) return Fail(text.status().With("cell " + XlsxColumnName(col_) + std::to_string(row_)));
    if (text->empty()) return;  // style-only cells must not widen the row
    if (cells_.size() <= static_cast<size_t>(col_)) cells_.resize(static_cast<size_t>(col_) + 1);
    cells_[static_cast<size_t>(col_)] = std::move(*text);
  }

  void EndRow() {
    in_row_ = false;
    Status s = sheet_internal::AddRow(sheet_, std::move(cells_), row_, &count_);
    if (!s.ok()) Fail(std::move(s).With("sheet row " + std::to_string(row_)));
    cells_ = {};
  }

  const std::vector<std::string>& strings_;
  Sheet* sheet_;
  std::vector<std::string> cells_;
  std::string type_, value_;
  int row_ = 0, col_ = -1, phonetic_ = 0;
  bool in_row_ = false, in_value_ = false;
  size_t count_ = 0;
};

struct Parts {
  std::string sheet, shared_strings;
};

Result<Parts> FindParts(Package* pkg) {
  Parts parts;
  const std::string rels_name = "xl/_rels/workbook.xml.rels";
  if (pkg->Has("xl/workbook.xml") && pkg->Has(rels_name)) {
    WorkbookReader workbook;
    RelsReader rels;
    HEAT_TRY(workbook.Parse(pkg, "xl/workbook.xml"));
    HEAT_TRY(rels.Parse(pkg, rels_name));
    std::vector<std::string> all;
    for (const auto& [id, rel] : rels.rels) all.push_back(id);
    parts.sheet = rels.Find("worksheet", workbook.ids);
    parts.shared_strings = rels.Find("sharedStrings", all);
  }
  if (parts.sheet.empty() || !pkg->Has(parts.sheet)) parts.sheet = "xl/worksheets/sheet1.xml";
  if (parts.shared_strings.empty() || !pkg->Has(parts.shared_strings)) parts.shared_strings = "xl/sharedStrings.xml";
  if (!pkg->Has(parts.sheet)) return Corrupt("no worksheet in it");
  if (!pkg->Has(parts.shared_strings)) parts.shared_strings.clear();
  return parts;
}

// Why libzip refused the bytes, in the user's terms.
Status OpenFailure(std::string_view bytes, zip_error_t* error) {
  // Encrypted .xlsx files and old .xls files are OLE compound documents.
  if (bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
    return Status::Failure(
        "an encrypted (password-protected) workbook or an old .xls file; save it as .xlsx without a password");
  }
  return Corrupt(std::string("zip: ") + zip_error_strerror(error));
}

}  // namespace

Result<Sheet> ParseXlsx(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = src != nullptr ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  if (zip == nullptr) {
    if (src != nullptr) zip_source_free(src);
    Status s = OpenFailure(bytes, &error);
    zip_error_fini(&error);
    return s;
  }
  zip_error_fini(&error);
  Package pkg(zip);
  HEAT_ASSIGN(Parts parts, FindParts(&pkg));
  std::vector<std::string> strings;
  if (!parts.shared_strings.empty()) {
    SharedStringsReader reader(&strings);
    HEAT_TRY(reader.Parse(&pkg, parts.shared_strings));
  }
  Sheet sheet;
  SheetReader reader(strings, &sheet);
  HEAT_TRY(reader.Parse(&pkg, parts.sheet));
  return sheet;
}

}  // namespace heat
