// Spreadsheets in and out (core/sheet.h): CSV edge cases, .xlsx written by
// us, by libxlsxwriter with gaps, by hand (what Excel and others write),
// and broken files that must give an error, never a crash.
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "heat/core/sheet.h"

namespace heat {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Strings = std::vector<std::string>;

Sheet MustParseCsv(std::string_view text) {
  auto s = ParseCsv(text);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Sheet{};
}

std::string MustFail(const Result<Sheet>& r) {
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().message();
}

TEST(SheetTest, CsvQuotesDoubledQuotesAndCommas) {
  Sheet s = MustParseCsv("name,note\n\"a,b\",\"say \"\"hi\"\"\"\n\"\",x\n");
  EXPECT_EQ(s.header, (Strings{"name", "note"}));
  EXPECT_EQ(s.rows, (Rows{{"a,b", "say \"hi\""}, {"", "x"}}));
  EXPECT_EQ(s.line, (std::vector<int>{2, 3}));
}

TEST(SheetTest, CsvEmbeddedNewlineKeepsLineNumbers) {
  Sheet s = MustParseCsv("h1,h2\n\"x\ny\",z\nlast,\"a\r\nb\"\nend,1\n");
  EXPECT_EQ(s.rows, (Rows{{"x\ny", "z"}, {"last", "a\r\nb"}, {"end", "1"}}));
  EXPECT_EQ(s.line, (std::vector<int>{2, 4, 6}));
}

TEST(SheetTest, CsvCrlfBomAndChinese) {
  Sheet s = MustParseCsv("\xEF\xBB\xBF" "code,name\r\n0012,幸福小区\r\n0013,\"幸福小区, 2号楼\"\r\n");
  EXPECT_EQ(s.header, (Strings{"code", "name"}));
  EXPECT_EQ(s.rows, (Rows{{"0012", "幸福小区"}, {"0013", "幸福小区, 2号楼"}}));
  EXPECT_EQ(s.line, (std::vector<int>{2, 3}));
}

TEST(SheetTest, CsvLoneCrEndsRecordsLikeOldMacExcel) {
  Sheet s = MustParseCsv("a\r1\r2");
  EXPECT_EQ(s.rows, (Rows{{"1"}, {"2"}}));
  EXPECT_EQ(s.line, (std::vector<int>{2, 3}));
}

TEST(SheetTest, CsvBlankLinesDroppedButCounted) {
  Sheet s = MustParseCsv("\n\na,b\n\n1,2\n,\n\n3,4");
  EXPECT_EQ(s.header, (Strings{"a", "b"}));
  EXPECT_EQ(s.rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(s.line, (std::vector<int>{5, 8}));
  EXPECT_EQ(MustParseCsv("a\n1\n\n\n").rows, (Rows{{"1"}}));  // trailing empty lines
  EXPECT_EQ(MustParseCsv("a,\n1,\n").header, (Strings{"a", ""}));
}

TEST(SheetTest, CsvRaggedRowsKeptAsTheyAre) {
  Sheet s = MustParseCsv("a,b,c\n1\n1,2,3,4\n,x\n");
  EXPECT_EQ(s.rows, (Rows{{"1"}, {"1", "2", "3", "4"}, {"", "x"}}));
}

TEST(SheetTest, CsvLenientWhereNothingIsLost) {
  EXPECT_EQ(MustParseCsv("a\n12\" pipe\n").rows, (Rows{{"12\" pipe"}}));
  EXPECT_EQ(MustParseCsv("a\n x \n").rows, (Rows{{" x "}}));  // spaces are data
}

TEST(SheetTest, CsvEmptyInput) {
  for (std::string_view text : {"", "\xEF\xBB\xBF", "\n\r\n", ",,\n"}) {
    Sheet s = MustParseCsv(text);
    EXPECT_TRUE(s.header.empty());
    EXPECT_TRUE(s.rows.empty());
  }
}

TEST(SheetTest, CsvUnterminatedQuoteNamesTheLine) {
  auto r = ParseCsv("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
  EXPECT_EQ(MustFail(r).find("line 3:"), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find("never closed"), std::string::npos);
  EXPECT_EQ(r.status().code(), Code::kFailure);
}

TEST(SheetTest, CsvTextAfterClosingQuoteIsAnError) {
  auto r = ParseCsv("a\n\"x\ny\"z\n");
  EXPECT_EQ(MustFail(r).find("line 3:"), 0u) << r.status().message();
}

TEST(SheetTest, CsvInvalidUtf8NamesTheLine) {
  auto gbk = ParseCsv("code,name\n0012,ok\n0013,\xD0\xD2\xB8\xA3\n");  // 幸福 in GBK
  EXPECT_EQ(MustFail(gbk).find("line 3:"), 0u) << gbk.status().message();
  EXPECT_NE(gbk.status().message().find("CSV UTF-8"), std::string::npos);
  auto utf16 = ParseCsv(std::string("\xFF\xFE" "a\0,\0", 6));
  EXPECT_NE(MustFail(utf16).find("UTF-16"), std::string::npos);
}

// billctl import judges rows, not files (BIL-6): a GBK cell is kept for
// the caller to reject its row; a GBK header or a UTF-16 file is refused.
TEST(SheetTest, KeepCellsLeavesInvalidUtf8RowsToTheCaller) {
  auto s = ParseCsv("code,name\n0012,ok\n0013,\xD0\xD2\xB8\xA3\n", BadUtf8::kKeepCells);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[1][1], "\xD0\xD2\xB8\xA3");
  EXPECT_EQ(s->line[1], 3);
  auto header = ParseCsv("code,\xC3\n1,2\n", BadUtf8::kKeepCells);
  EXPECT_NE(MustFail(header).find("header"), std::string::npos);
  auto utf16 = ParseCsv(std::string("\xFF\xFE" "a\0,\0", 6), BadUtf8::kKeepCells);
  EXPECT_NE(MustFail(utf16).find("UTF-16"), std::string::npos);
}

TEST(SheetTest, FormatCsvQuotesOnlyWhenNeeded) {
  Sheet s;
  s.header = {"code", "name"};
  s.rows = {{"0012", "a,b"}, {"say \"x\"", "l1\nl2"}, {" sp ", "幸福小区"}, {"x"}};
  EXPECT_EQ(FormatCsv(s), "code,name\n0012,\"a,b\"\n\"say \"\"x\"\"\",\"l1\nl2\"\n sp ,幸福小区\nx\n");
}

TEST(SheetTest, FormatCsvRoundTrips) {
  Sheet s;
  s.header = {"\xEF\xBB\xBF" "bom-first", "", "c"};
  s.rows = {{"a\r\nb", "\"", ",", "\r"}, {"幸福小区"}, {"", "", "x"}, {"0012", "100.5", "-3.20"}};
  Sheet back = MustParseCsv(FormatCsv(s));
  EXPECT_EQ(back.header, s.header);
  EXPECT_EQ(back.rows, s.rows);
}

TEST(SheetTest, SheetFormatByExtension) {
  EXPECT_EQ(*SheetFormatFor("houses.csv"), SheetFormat::kCsv);
  EXPECT_EQ(*SheetFormatFor("/tmp/a.b/HOUSES.XLSX"), SheetFormat::kXlsx);
  EXPECT_EQ(*SheetFormatFor("x.Csv"), SheetFormat::kCsv);
  auto xls = SheetFormatFor("houses.xls");
  ASSERT_FALSE(xls.ok());
  EXPECT_EQ(xls.status().code(), Code::kUsage);
  EXPECT_NE(xls.status().message().find("save it as .xlsx"), std::string::npos);
  EXPECT_FALSE(SheetFormatFor("houses.txt").ok());
  EXPECT_FALSE(SheetFormatFor("houses").ok());
  EXPECT_FALSE(SheetFormatFor("dir.d/houses").ok());
}

TEST(SheetTest, XlsxCellText) {
  using namespace sheet_internal;
  const Strings shared = {"zero", "one"};
  auto text = [&](std::string_view t, const std::string& raw) { return XlsxCellText(t, raw, shared).value_or("ERR"); };
  EXPECT_EQ(text("n", "100.5"), "100.5");
  EXPECT_EQ(text("n", "1E-3"), "1E-3");
  EXPECT_EQ(text("n", "0.57999999999999996"), "0.58");  // Excel's binary noise
  EXPECT_EQ(text("n", "87.530000000000001"), "87.53");
  EXPECT_EQ(text("n", "7.9600000000000004E-2"), "0.0796");
  EXPECT_EQ(text("n", "12345678901234567890"), "12345678901234567890");
  EXPECT_EQ(text("s", "1"), "one");
  EXPECT_EQ(text("s", "2"), "ERR");
  EXPECT_EQ(text("s", "x"), "ERR");
  EXPECT_EQ(text("b", "1"), "TRUE");
  EXPECT_EQ(text("b", "0"), "FALSE");
  EXPECT_EQ(text("e", "#N/A"), "#N/A");
  EXPECT_EQ(text("str", "a_x000D_b"), "a\rb");
  EXPECT_EQ(XlsxDecodeEscapes("_x005F_x0041_ _x0041_ _xZZZZ_ _x0000_"), "_x0041_ A _xZZZZ_ _x0000_");
  int col = -1;
  EXPECT_TRUE(XlsxCellColumn("XFD1048576", &col));
  EXPECT_EQ(col, 16383);
  EXPECT_TRUE(XlsxCellColumn("aa10", &col));
  EXPECT_EQ(col, 26);
  EXPECT_FALSE(XlsxCellColumn("XFE1", &col));
  EXPECT_FALSE(XlsxCellColumn("A0", &col));
  EXPECT_FALSE(XlsxCellColumn("A1048577", &col));
  EXPECT_FALSE(XlsxCellColumn("12", &col));
  EXPECT_EQ(XlsxColumnName(0), "A");
  EXPECT_EQ(XlsxColumnName(26), "AA");
  EXPECT_EQ(XlsxColumnName(16383), "XFD");
}

class SheetFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sheettestXXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void Spit(const std::string& path, std::string_view data) {
    std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  size_t FileCount() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
  }
  // An .xlsx put together by hand from its parts, as other writers lay it out.
  std::string Zip(const std::string& name, const std::vector<std::pair<std::string, std::string>>& parts) {
    std::string path = Path(name);
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(z, nullptr);
    for (const auto& [part, data] : parts) {
      zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
      zip_int64_t i = zip_file_add(z, part.c_str(), src, ZIP_FL_ENC_UTF_8);
      EXPECT_GE(i, 0);
      zip_set_file_compression(z, static_cast<zip_uint64_t>(i), ZIP_CM_DEFLATE, 1);
    }
    EXPECT_EQ(zip_close(z), 0);
    return path;
  }
  std::string dir_;
};

TEST_F(SheetFileTest, CsvWriteHasBomReadsBackAndReplacesAtomically) {
  Sheet s;
  s.header = {"code", "name"};
  s.rows = {{"0012", "幸福小区"}, {"0013", "a,\"b\""}};
  std::string path = Path("out.csv");
  Spit(path, "old");
  ASSERT_TRUE(WriteSheet(path, s).ok());
  EXPECT_EQ(Slurp(path).substr(0, 3), "\xEF\xBB\xBF");
  auto back = ReadSheet(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->header, s.header);
  EXPECT_EQ(back->rows, s.rows);
  EXPECT_EQ(FileCount(), 1u);  // no temporary left behind
}

TEST_F(SheetFileTest, XlsxRoundTrip) {
  Sheet s;
  s.header = {"编号", "小区", "面积", "备注"};
  s.rows = {{"0012", "幸福小区", "100.5", "a\r\nb\tc"},
            {"0013", "", "1E-3", "say \"hi\" & <b> _x0041_"},
            {"0014"},
            {"", "", "", "  spaced  "}};
  std::string path = Path("houses.xlsx");
  Status w = WriteSheet(path, s);
  ASSERT_TRUE(w.ok()) << w.message();
  auto back = ReadSheet(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->header, s.header);
  EXPECT_EQ(back->rows, s.rows);
  EXPECT_EQ(back->line, (std::vector<int>{2, 3, 4, 5}));
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(SheetFileTest, XlsxWithGapsPlacesCellsByReference) {
  std::string path = Path("gaps.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "房屋");
  lxw_format* fmt = workbook_add_format(wb);
  format_set_bold(fmt);
  worksheet_write_string(ws, 0, 0, "code", fmt);
  worksheet_write_string(ws, 0, 1, "name", nullptr);
  worksheet_write_string(ws, 0, 2, "area", nullptr);
  worksheet_write_string(ws, 1, 0, "0012", nullptr);                 // B2 left empty
  worksheet_write_number(ws, 1, 2, 100.5, nullptr);
  worksheet_write_formula_num(ws, 1, 4, "=C2*2", nullptr, 201);       // cached value
  worksheet_write_string(ws, 3, 1, "幸福小区", nullptr);              // row 3 missing
  worksheet_write_boolean(ws, 3, 3, 1, nullptr);
  worksheet_write_blank(ws, 5, 4, fmt);                               // style only
  worksheet_write_blank(ws, 7, 0, fmt);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto s = ReadSheet(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->header, (Strings{"code", "name", "area"}));
  EXPECT_EQ(s->rows, (Rows{{"0012", "", "100.5", "", "201"}, {"", "幸福小区", "", "TRUE"}}));
  EXPECT_EQ(s->line, (std::vector<int>{2, 4}));
}

TEST_F(SheetFileTest, XlsxAsOtherWritersLayItOut) {
  const std::string ns = "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                         "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::string path = Zip("other.xlsx", {
      {"xl/workbook.xml", "<x:workbook " + ns + "><x:sheets>"
                          "<x:sheet name=\"Hidden\" sheetId=\"3\" state=\"hidden\" r:id=\"rId3\"/>"
                          "<x:sheet name=\"Chart\" sheetId=\"2\" r:id=\"rId2\"/>"
                          "<x:sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></x:sheets></x:workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" Type=\"" + rel + "worksheet\" Target=\"/xl/worksheets/../data/Data.xml\"/>"
       "<Relationship Id=\"rId2\" Type=\"" + rel + "chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId3\" Type=\"" + rel + "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"rId9\" Type=\"" + rel + "sharedStrings\" Target=\"strings.xml\"/></Relationships>"},
      {"xl/strings.xml", "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                         "<si><t>编号</t></si><si><r><rPr><b/></rPr><t>幸福</t></r><r><t xml:space=\"preserve\">小区 </t></r>"
                         "<rPh sb=\"0\" eb=\"1\"><t>こう</t></rPh></si><si><t>x&amp;y_x000D_</t></si></sst>"},
      {"xl/data/data.xml", "<x:worksheet " + ns + "><x:sheetData>"
                           "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"inlineStr\"><x:is><x:t>名称</x:t></x:is></x:c></x:row>"
                           "<x:row r=\"3\"><x:c r=\"A3\"><x:v>0.57999999999999996</x:v></x:c><x:c r=\"C3\" t=\"s\"><x:v>1</x:v></x:c>"
                           "<x:c r=\"D3\" t=\"str\"><x:f>A1</x:f><x:v>text</x:v></x:c><x:c r=\"E3\" t=\"e\"><x:v>#N/A</x:v></x:c></x:row>"
                           "<x:row><x:c r=\"B4\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
                           "</x:sheetData></x:worksheet>"},
      {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>hidden</t></is></c></row></sheetData></worksheet>"},
  });
  auto s = ReadSheet(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->header, (Strings{"编号", "名称"}));
  EXPECT_EQ(s->rows, (Rows{{"0.58", "", "幸福小区 ", "text", "#N/A"}, {"", "x&y\r"}}));
  EXPECT_EQ(s->line, (std::vector<int>{3, 4}));
}

TEST_F(SheetFileTest, XlsxWithoutWorkbookFallsBackToSheet1) {
  std::string path = Zip("bare.xlsx", {{"xl/worksheets/sheet1.xml",
                                        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>a</t></is></c></row>"
                                        "<row><c><v>1</v></c></row></sheetData></worksheet>"}});
  auto s = ReadSheet(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->header, (Strings{"a"}));
  EXPECT_EQ(s->rows, (Rows{{"1"}}));
}

TEST_F(SheetFileTest, CorruptXlsxIsAnError) {
  std::mt19937 rng(42);
  std::string junk(4096, '\0');
  for (auto& c : junk) c = static_cast<char>(rng());
  Spit(Path("junk.xlsx"), junk);
  auto r = ReadSheet(Path("junk.xlsx"));
  EXPECT_EQ(MustFail(r).find(Path("junk.xlsx") + ": not a readable .xlsx file"), 0u) << r.status().message();

  Spit(Path("enc.xlsx"), std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  EXPECT_NE(MustFail(ReadSheet(Path("enc.xlsx"))).find("password"), std::string::npos);

  std::string bad_xml = Zip("bad.xlsx", {{"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"}});
  EXPECT_NE(MustFail(ReadSheet(bad_xml)).find("sheet1.xml line 1"), std::string::npos);
  std::string no_sheet = Zip("nosheet.xlsx", {{"xl/other.xml", "<a/>"}});
  EXPECT_NE(MustFail(ReadSheet(no_sheet)).find("no worksheet"), std::string::npos);
  std::string bad_ref = Zip("ref.xlsx", {{"xl/worksheets/sheet1.xml",
                                          "<worksheet><sheetData><row><c r=\"A1\" t=\"s\"><v>7</v></c></row></sheetData></worksheet>"}});
  EXPECT_NE(MustFail(ReadSheet(bad_ref)).find("shared string '7'"), std::string::npos);
}

TEST_F(SheetFileTest, MangledXlsxNeverCrashes) {
  Sheet s;
  s.header = {"code", "name"};
  for (int i = 0; i < 50; ++i) s.rows.push_back({std::to_string(i), "幸福小区"});
  ASSERT_TRUE(WriteSheet(Path("good.xlsx"), s).ok());
  const std::string good = Slurp(Path("good.xlsx"));
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string bytes = good;
    if (i % 3 == 0) bytes.resize(rng() % bytes.size());
    for (int k = 0; k < 1 + i % 8 && !bytes.empty(); ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    (void)ParseXlsx(bytes);  // ok or an error; ASan and UBSan judge the rest
  }
}

TEST_F(SheetFileTest, XlsxDtdAndZipBombRefused) {
  std::string dtd = Zip("dtd.xlsx", {{"xl/worksheets/sheet1.xml",
                                      "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                                      "<worksheet><sheetData><row><c t=\"str\"><v>&b;</v></c></row></sheetData></worksheet>"}});
  EXPECT_NE(MustFail(ReadSheet(dtd)).find("DTD"), std::string::npos);

  // 200 MB of blanks inside valid XML deflate to a few hundred KB.
  std::vector<std::pair<std::string, std::string>> parts;
  parts.emplace_back("xl/worksheets/sheet1.xml",
                     "<worksheet><sheetData>" + std::string(kMaxSheetBytes + 1, ' ') + "</sheetData></worksheet>");
  std::string bomb = Zip("bomb.xlsx", parts);
  parts.clear();
  EXPECT_LT(std::filesystem::file_size(bomb), 1u << 20);
  EXPECT_NE(MustFail(ReadSheet(bomb)).find("zip bomb"), std::string::npos);
}

TEST_F(SheetFileTest, XlsxWriteRefusesWhatExcelCannotHoldAndKeepsTheOldFile) {
  Sheet good;
  good.header = {"a"};
  good.rows = {{"1"}};
  std::string path = Path("keep.xlsx");
  ASSERT_TRUE(WriteSheet(path, good).ok());
  Sheet big = good;
  big.rows.push_back({std::string(40000, 'x')});
  Status w = WriteSheet(path, big);
  EXPECT_NE(w.message().find("row 3, column A: longer than 32767"), std::string::npos) << w.message();
  Sheet bad = good;
  bad.rows.push_back({"\xFF"});
  EXPECT_NE(WriteSheet(path, bad).message().find("not valid UTF-8"), std::string::npos);
  auto back = ReadSheet(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rows, good.rows);
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(SheetFileTest, ReadErrorsNameTheFile) {
  auto missing = ReadSheet(Path("missing.csv"));
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(ReadSheet(Path("houses.txt")).status().code(), Code::kUsage);
  Spit(Path("bad.csv"), "a\n\"open\n");
  EXPECT_EQ(MustFail(ReadSheet(Path("bad.csv"))), Path("bad.csv") + ": line 2: a quoted field is never closed (a '\"' is missing)");
  EXPECT_EQ(WriteSheet(Path("no/such/dir/x.csv"), Sheet{}).code(), Code::kNotFound);
}

}  // namespace
}  // namespace heat
