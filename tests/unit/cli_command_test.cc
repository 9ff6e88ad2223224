// One table drives dispatch, help and "did you mean" (cli/command.h).
#include <gtest/gtest.h>

#include <sstream>

#include "heat/cli/command.h"

namespace heat::cli {
namespace {

struct Ran {
  std::string what;
  std::string arg;
};

std::vector<Command> Table(Ran& ran) {
  auto leaf = [&ran](const char* name) {
    return [&ran, name](CLI::App& app) -> Runner {
      auto arg = std::make_shared<std::string>();
      app.add_option("arg", *arg, "an argument");
      return [&ran, name, arg](Context&) {
        ran = {name, *arg};
        return std::string(name) == "fail" ? Status::NotFound("no such thing") : Status::Ok();
      };
    };
  };
  return {{"station list", "list stations", "SYS-3", leaf("station list")},
          {"station show", "show a station", "SYS-3", leaf("station show")},
          {"status", "show status", "", leaf("status")},
          {"fail", "always fails", "", leaf("fail")}};
}

int RunArgs(const std::vector<Command>& t, std::vector<const char*> args, std::string* out,
            std::string* err) {
  args.insert(args.begin(), "tool");
  std::ostringstream o, e;
  int rc = Run("tool", "a tool", t, static_cast<int>(args.size()), args.data(), o, e);
  *out = o.str();
  *err = e.str();
  return rc;
}

TEST(CommandTest, DispatchesToTheLeafWithItsArguments) {
  Ran ran;
  auto t = Table(ran);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"station", "show", "S01"}, &out, &err), 0) << err;
  EXPECT_EQ(ran.what, "station show");
  EXPECT_EQ(ran.arg, "S01");
}

TEST(CommandTest, GlobalFormatAfterTheCommand) {
  Ran ran;
  auto t = Table(ran);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"station", "list", "--format", "json"}, &out, &err), 0) << err;
  EXPECT_EQ(RunArgs(t, {"station", "list", "--format", "xml"}, &out, &err), 2);
}

TEST(CommandTest, AFormatBeyondTableCsvJsonOnlyForTheCommandThatNamesIt) {
  Ran ran;
  auto t = Table(ran);
  std::string seen = "unset";
  Command chart{"chart", "draws", "", [&seen](CLI::App&) -> Runner {
                  return [&seen](Context& ctx) {
                    seen = ctx.other_format;
                    return Status::Ok();
                  };
                }};
  chart.more_formats = {"svg"};
  t.push_back(chart);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"chart", "--format", "svg"}, &out, &err), 0) << err;
  EXPECT_EQ(seen, "svg");
  EXPECT_EQ(RunArgs(t, {"--format", "json", "chart"}, &out, &err), 0) << err;
  EXPECT_EQ(seen, "");
  EXPECT_EQ(RunArgs(t, {"station", "list", "--format", "svg"}, &out, &err), 2);
  EXPECT_EQ(err, "tool: --format: expected table, csv or json, got 'svg'\n");
}

TEST(CommandTest, MistypedWordsGetASuggestionAndExit2) {
  Ran ran;
  auto t = Table(ran);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"staton", "list"}, &out, &err), 2);
  EXPECT_NE(err.find("Did you mean 'station'"), std::string::npos) << err;
  EXPECT_EQ(RunArgs(t, {"station", "lst"}, &out, &err), 2);
  EXPECT_NE(err.find("Did you mean 'station list'"), std::string::npos) << err;
  EXPECT_TRUE(ran.what.empty());
}

TEST(CommandTest, HelpComesFromTheTable) {
  Ran ran;
  auto t = Table(ran);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"help", "station", "list"}, &out, &err), 0);
  EXPECT_NE(out.find("list stations [SYS-3]"), std::string::npos) << out;
  EXPECT_EQ(RunArgs(t, {"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("station"), std::string::npos);
  EXPECT_NE(out.find("status"), std::string::npos);
  EXPECT_EQ(RunArgs(t, {"station"}, &out, &err), 2);  // a group alone lists its commands
  EXPECT_NE(err.find("list"), std::string::npos) << err;
}

TEST(CommandTest, StatusCodeBecomesTheExitCode) {
  Ran ran;
  auto t = Table(ran);
  std::string out, err;
  EXPECT_EQ(RunArgs(t, {"fail"}, &out, &err), 3);
  EXPECT_EQ(err, "tool: no such thing\n");
}

}  // namespace
}  // namespace heat::cli
