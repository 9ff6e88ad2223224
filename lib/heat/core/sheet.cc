// CSV reading and writing, the format dispatch, and the atomic file write
// both formats share. The .xlsx side is in xlsx.cc.
#include "heat/core/sheet.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>

#include "heat/core/file.h"
#include "heat/core/text.h"

namespace heat {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Line breaks are LF, CRLF or a lone CR, counted the same everywhere.
bool IsBreak(char c) { return c == '\n' || c == '\r'; }

int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
  }
  return line;
}

Status LineError(int line, const std::string& what) {
  return Status::Failure("line " + std::to_string(line) + ": " + what);
}

// One pass over the text; pos_ and line_ always describe the next byte.
class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(text) {}

  Result<Sheet> Parse() {
    Sheet sheet;
    size_t cells = 0;
    std::vector<std::string> record;
    while (pos_ < text_.size()) {
      int start = line_;
      HEAT_TRY(ReadRecord(&record));
      HEAT_TRY(sheet_internal::AddRow(&sheet, std::move(record), start, &cells).With("line " + std::to_string(start)));
      record.clear();
    }
    return sheet;
  }

 private:
  Status ReadRecord(std::vector<std::string>* fields) {
    for (;;) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        HEAT_TRY(ReadQuoted(&field));
      } else {
        ReadUnquoted(&field);
      }
      fields->push_back(std::move(field));
      if (pos_ >= text_.size()) return Status::Ok();
      if (text_[pos_] == ',') { ++pos_; continue; }
      SkipBreak();  // ReadQuoted/ReadUnquoted stop only at ',', a break or the end
      return Status::Ok();
    }
  }

  void ReadUnquoted(std::string* field) {
    size_t end = pos_;
    while (end < text_.size() && text_[end] != ',' && !IsBreak(text_[end])) ++end;
    field->assign(text_.substr(pos_, end - pos_));
    pos_ = end;
  }

  Status ReadQuoted(std::string* field) {
    const int opened = line_;
    ++pos_;
    for (;;) {
      size_t q = text_.find('"', pos_);
      if (q == std::string_view::npos) {
        return LineError(opened, "a quoted field is never closed (a '\"' is missing)");
      }
      std::string_view part = text_.substr(pos_, q - pos_);
      line_ += LineAt(part, part.size()) - 1;
      field->append(part);
      pos_ = q + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one quote
        field->push_back('"');
        ++pos_;
        continue;
      }
      if (pos_ >= text_.size() || text_[pos_] == ',' || IsBreak(text_[pos_])) return Status::Ok();
      return LineError(line_, "text after the closing quote of a quoted field");
    }
  }

  void SkipBreak() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Names what a non-UTF-8 file most likely is, so the fix is obvious.
Status EncodingError(std::string_view text) {
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF") {
    return LineError(1, "the file is UTF-16 (Excel \"Unicode Text\"); save it as \"CSV UTF-8\"");
  }
  size_t bad = FirstInvalidUtf8(text);
  return LineError(LineAt(text, bad), "not valid UTF-8 (a GBK file?); save it as \"CSV UTF-8\"");
}

bool NeedsQuotes(std::string_view f) {
  return f.find_first_of(",\"\r\n") != std::string_view::npos || f.substr(0, kBom.size()) == kBom;
}

void AppendField(std::string* out, std::string_view f) {
  if (!NeedsQuotes(f)) {
    out->append(f);
    return;
  }
  out->push_back('"');
  for (char c : f) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendRecord(std::string* out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendField(out, fields[i]);
  }
  out->push_back('\n');
}

Result<std::string> ReadFile(const std::string& path) {
  return ReadRegularFile(path, kMaxSheetBytes, "split the file");
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(path, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : ErrnoStatus(path, err);
}

// Syncing the directory makes the rename itself survive a power cut.
void SyncDirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Creates a fresh temporary next to `path` (same file system, so rename is
// atomic), with mode 0666 less the umask like any new file, fills it with
// `fill`, syncs it and renames it over `path`. On failure it is removed.
Status WriteAtomically(const std::string& path, const std::function<Status(int fd, const std::string& tmp)>& fill) {
  static std::atomic<unsigned> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return ErrnoStatus(path, errno);
  }
  if (fd < 0) return Status::Failure(path + ": could not create a temporary file");
  Status s = fill(fd, tmp);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(path, errno);
  if (s.ok()) s = SyncFile(tmp);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = ErrnoStatus(path, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  SyncDirOf(path);
  return Status::Ok();
}

// Checked up front so a bad cell never leaves a file Excel cannot open.
Status CheckUtf8(const Sheet& sheet) {
  auto check = [](const std::vector<std::string>& cells, const std::string& where) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (IsValidUtf8(cells[c])) continue;
      return Status::Failure(where + "column " + std::to_string(c + 1) + ": not valid UTF-8");
    }
    return Status::Ok();
  };
  HEAT_TRY(check(sheet.header, "header, "));
  for (size_t r = 0; r < sheet.rows.size(); ++r) HEAT_TRY(check(sheet.rows[r], "row " + std::to_string(r + 1) + ", "));
  return Status::Ok();
}

bool AllEmpty(const std::vector<std::string>& row) {
  for (const auto& cell : row) {
    if (!cell.empty()) return false;
  }
  return true;
}

}  // namespace

namespace sheet_internal {

Status AddRow(Sheet* sheet, std::vector<std::string>&& row, int line, size_t* cells) {
  if (AllEmpty(row)) return Status::Ok();
  *cells += row.size();
  if (*cells > kMaxSheetCells) {
    return Status::Failure("more than " + std::to_string(kMaxSheetCells) + " cells; split the file");
  }
  if (sheet->header.empty() && sheet->rows.empty()) {
    sheet->header = std::move(row);
    return Status::Ok();
  }
  sheet->rows.push_back(std::move(row));
  sheet->line.push_back(line);
  return Status::Ok();
}

}  // namespace sheet_internal

Result<SheetFormat> SheetFormatFor(const std::string& path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return Status::Usage(path + ": no file extension; use .csv or .xlsx");
  }
  std::string ext = ToLower(path.substr(dot));
  if (ext == ".csv") return SheetFormat::kCsv;
  if (ext == ".xlsx") return SheetFormat::kXlsx;
  if (ext == ".xls") {
    return Status::Usage(path + ": old Excel .xls is not supported; save it as .xlsx (or CSV UTF-8)");
  }
  return Status::Usage(path + ": unsupported file type '" + path.substr(dot) + "'; use .csv or .xlsx");
}

Result<Sheet> ReadSheet(const std::string& path, BadUtf8 bad) {
  HEAT_ASSIGN(SheetFormat format, SheetFormatFor(path));
  // An .xlsx is read whole too: the zip is compressed, and libzip then
  // works on memory with one code path for files and tests.
  HEAT_ASSIGN(std::string bytes, ReadFile(path));
  Result<Sheet> sheet = format == SheetFormat::kXlsx ? ParseXlsx(bytes) : ParseCsv(bytes, bad);
  if (!sheet.ok()) return sheet.status().With(path);
  return sheet;
}

Result<Sheet> ParseCsv(std::string_view text, BadUtf8 bad) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  if (IsValidUtf8(text)) return CsvParser(text).Parse();
  if (bad == BadUtf8::kRefuseFile || text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    return EncodingError(text);
  HEAT_ASSIGN(Sheet sheet, CsvParser(text).Parse());
  for (const auto& h : sheet.header)
    if (!IsValidUtf8(h)) return LineError(1, "the header is not valid UTF-8 (a GBK file?); save it as \"CSV UTF-8\"");
  return sheet;
}

std::string FormatCsv(const Sheet& sheet) {
  std::string out;
  AppendRecord(&out, sheet.header);
  for (const auto& row : sheet.rows) AppendRecord(&out, row);
  return out;
}

Status WriteSheet(const std::string& path, const Sheet& sheet) {
  HEAT_ASSIGN(SheetFormat format, SheetFormatFor(path));
  HEAT_TRY(CheckUtf8(sheet).With(path));
  if (format == SheetFormat::kXlsx) {
    // libxlsxwriter opens the file by name itself; our descriptor only
    // reserved the name.
    return WriteAtomically(path, [&](int, const std::string& tmp) {
      return sheet_internal::WriteXlsxFile(tmp, sheet).With(path);
    });
  }
  std::string text = std::string(kBom) + FormatCsv(sheet);
  return WriteAtomically(path, [&](int fd, const std::string&) { return WriteAll(fd, text, path); });
}

}  // namespace heat
