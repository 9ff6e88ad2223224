// billctl(1) documents every row of the command table (a man page per
// program that matches the code): each word of each command's path must
// appear in bold (*word*) in man/billctl.1.scd.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "heat/billctl/commands.h"
#include "heat/core/text.h"

namespace heat::billctl {
namespace {

std::string ManPage() {
  std::ifstream in(std::string(HEAT_SOURCE_DIR) + "/man/billctl.1.scd");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(BillctlManTest, EveryCommandIsDocumented) {
  std::string man = ManPage();
  ASSERT_FALSE(man.empty());
  for (const auto& cmd : BillctlCommands()) {
    for (const auto& word : Split(cmd.path, ' ')) {
      // In a bold span: *word* or *batch station*.
      std::regex bold_re("\\*[^*\n]*\\b" + word + "\\b[^*\n]*\\*");
      bool bold = std::regex_search(man, bold_re);
      EXPECT_TRUE(bold) << "billctl " << cmd.path << ": '" << word << "' is not in billctl(1)";
    }
  }
}

TEST(BillctlManTest, EveryCommandNamesItsRequirement) {
  for (const auto& cmd : BillctlCommands()) EXPECT_FALSE(cmd.reqs.empty()) << cmd.path;
}

}  // namespace
}  // namespace heat::billctl
