// heat(7) is the map of the manual: every requirement ID that any page of
// man/ or the README cites must be listed in heat(7)'s REQUIREMENTS table
// with its meaning, and the table lists nothing that no page cites.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> Ids(const std::string& text) {
  static const std::regex id_re("\\b(DEV|ARC|SYS|MON|CTL|ALM|ANA|FC|BIL|OPS)-[0-9]+\\b");
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), id_re), end; it != end; ++it)
    out.insert(it->str());
  return out;
}

// The rows of the table under "# REQUIREMENTS": lines "|  ID".
std::set<std::string> ListedIds(const std::string& heat7) {
  auto start = heat7.find("\n# REQUIREMENTS\n");
  if (start == std::string::npos) return {};
  auto end = heat7.find("\n# ", start + 1);
  std::string section = heat7.substr(start, end - start);
  static const std::regex row_re("\\n\\|  ([A-Z]+-[0-9]+)\\n");
  std::set<std::string> out;
  for (std::sregex_iterator it(section.begin(), section.end(), row_re), e; it != e; ++it)
    out.insert((*it)[1].str());
  return out;
}

// "BIL-1 to BIL-13" cites the IDs between as well.
void AddRanges(const std::string& text, std::set<std::string>& ids) {
  static const std::regex range_re("\\b([A-Z]+)-([0-9]+) to \\1-([0-9]+)\\b");
  for (std::sregex_iterator it(text.begin(), text.end(), range_re), e; it != e; ++it)
    for (int n = std::stoi((*it)[2]); n <= std::stoi((*it)[3]); ++n)
      ids.insert((*it)[1].str() + "-" + std::to_string(n));
}

TEST(ManRequirementsTest, EveryCitedIdIsListedInHeat7AndNothingElse) {
  const std::filesystem::path root(HEAT_SOURCE_DIR);
  std::set<std::string> cited = Ids(ReadFile(root / "README.md"));
  for (const auto& entry : std::filesystem::directory_iterator(root / "man")) {
    std::string text = ReadFile(entry.path());
    if (entry.path().filename() == "heat.7.scd") {
      auto section = text.find("\n# REQUIREMENTS\n");
      text = text.substr(0, section);  // the table itself cites nothing
    }
    for (const auto& id : Ids(text)) cited.insert(id);
    AddRanges(text, cited);
  }
  std::set<std::string> listed = ListedIds(ReadFile(root / "man" / "heat.7.scd"));
  ASSERT_FALSE(listed.empty()) << "heat(7) has no REQUIREMENTS table";
  for (const auto& id : cited) EXPECT_TRUE(listed.count(id)) << id << " is cited but not listed in heat(7)";
  for (const auto& id : listed) EXPECT_TRUE(cited.count(id)) << id << " is listed in heat(7) but no page cites it";
}

}  // namespace
