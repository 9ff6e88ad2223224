// Printing through lp (print.h).
#include "heat/forms/print.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "heat/backup/run.h"
#include "heat/core/text.h"
#include "heat/forms/receipt.h"

namespace heat::forms {
namespace {

// The PDF in a private temporary file, removed when this goes.
class TempPdf {
 public:
  static Result<TempPdf> Write(const std::string& bytes) {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/heat-print-XXXXXX.pdf";
    int fd = mkstemps(tmpl.data(), 4);
    if (fd < 0) return Status::Failure("a temporary file for printing: " + std::string(strerror(errno)));
    TempPdf t(tmpl);
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) return Status::Failure("writing " + tmpl + " for printing");
    return t;
  }
  TempPdf(TempPdf&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ~TempPdf() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempPdf(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

}  // namespace

Status PrintPdf(const std::string& pdf, const PrintJob& job) {
  if (job.printer.empty()) return Status::Usage("no printer named (--print PRINTER, counter.printer)");
  if (job.printer[0] == '-') return Status::Usage("'" + job.printer + "' is not a printer name");
  HEAT_ASSIGN(std::string lp, backup::FindProgram("lp", "apt install cups-client"));
  HEAT_ASSIGN(TempPdf file, TempPdf::Write(pdf));
  std::vector<std::string> argv = {lp, "-d", job.printer};
  if (!job.media.empty()) argv.insert(argv.end(), {"-o", "media=" + job.media});
  if (!job.title.empty()) argv.insert(argv.end(), {"-t", job.title});
  argv.push_back(file.path());
  HEAT_ASSIGN(backup::Output out, backup::Run(argv));
  if (out.exit_code != 0) {
    std::string why = Trim(out.err.empty() ? out.out : out.err);
    if (why.empty()) why = "exit " + std::to_string(out.exit_code);
    return Status::Failure("lp -d " + job.printer + ": " + why);
  }
  return Status::Ok();
}

std::string TerminalName() {
  const char* t = std::getenv("HEAT_TERMINAL");
  if (t && *t) return t;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "";
  return host;
}

Result<std::string> PrinterFor(const Config& cfg, const std::string& terminal) {
  const std::string& map = cfg.str("counter.printers");
  for (const auto& pair : Split(map, ',')) {
    std::string p = Trim(pair);
    if (p.empty()) continue;
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::Usage("counter.printers: '" + p + "' is not TERMINAL=PRINTER");
    if (Trim(p.substr(0, eq)) == terminal) return Trim(p.substr(eq + 1));
  }
  return cfg.str("counter.printer");
}

Result<std::string> ResolvePrinter(const Config& cfg, const std::string& given) {
  if (!given.empty()) return given;
  HEAT_ASSIGN(std::string printer, PrinterFor(cfg, TerminalName()));
  if (printer.empty())
    return Status::Usage("no printer for terminal " + TerminalName() +
                         ": name one (--print PRINTER) or set counter.printer / counter.printers");
  return printer;
}

Status NotPrinted(const std::string& receipt_no, const Status& why) {
  return Status(why.code(), "receipt " + receipt_no + " not printed: " + why.message() +
                                "; reprint it with billctl reprint " + receipt_no);
}

namespace {

Status PrintOrFail(db::Conn& db, const Config& cfg, const std::string& receipt_no, bool copy,
                   const std::string& given) {
  HEAT_ASSIGN(std::string printer, ResolvePrinter(cfg, given));
  HEAT_ASSIGN(auto tx, db::Transaction::Start(db));
  if (copy) HEAT_TRY(CountCopy(db, receipt_no).status());
  HEAT_ASSIGN(Rendered out, RenderReceipt(db, cfg, receipt_no, {cfg.boolean("counter.preprinted")}));
  std::string title = "receipt " + receipt_no + (copy ? " copy " + std::to_string(out.receipt.prints) : "");
  HEAT_TRY(PrintPdf(out.pdf, {printer, out.media, title}));
  return tx->Commit();
}

}  // namespace

Status PrintReceipt(db::Conn& db, const Config& cfg, const std::string& receipt_no, bool copy,
                    const std::string& printer) {
  Status st = PrintOrFail(db, cfg, receipt_no, copy, printer);
  return st.ok() ? st : NotPrinted(receipt_no, st);
}

}  // namespace heat::forms
