// SIGHUP keeps restart-only values (OPS-1, pgbouncer's rule): a changed
// restart-only key keeps its running value, is logged once and listed as
// pending; reloadable keys apply at once; a bad file changes nothing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "heat/core/config_reload.h"
#include "heat/core/log.h"

namespace heat {
namespace {

class ConfigReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("reload-" + std::to_string(getpid()) + ".yaml");
    log::SetSink([this](std::string_view l) { lines_.emplace_back(l); });
  }
  void TearDown() override {
    log::SetSink(nullptr);
    log::SetLevel(log::Level::kInfo);
    std::filesystem::remove(path_);
  }
  void Write(const std::string& conninfo, const std::string& interval) {
    std::ofstream(path_) << "db:\n  conninfo: \"" << conninfo << "\"\ningest:\n  stats_interval: " << interval << "\n";
  }
  int Logged(const std::string& what) const {
    int n = 0;
    for (const auto& l : lines_) n += l.find(what) != std::string::npos;
    return n;
  }
  std::string path_;
  std::vector<std::string> lines_;
};

TEST_F(ConfigReloadTest, RestartOnlyKeyKeepsItsRunningValueReloadableKeyApplies) {
  Write("dbname=old", "10s");
  ConfigReloader r(*Config::Load(path_), path_);
  Write("dbname=new", "1s");
  ASSERT_TRUE(r.Reload().ok());
  EXPECT_EQ(r.config().str("db.conninfo"), "dbname=old");
  EXPECT_EQ(r.config().seconds("ingest.stats_interval"), 1);
  EXPECT_EQ(r.restart_pending(), std::vector<std::string>{"db.conninfo"});
  EXPECT_EQ(Logged("db.conninfo changed; it needs a restart"), 1);
  ASSERT_TRUE(r.Reload().ok());  // the same change again: not logged again
  EXPECT_EQ(Logged("needs a restart"), 1);
  EXPECT_EQ(r.config().str("db.conninfo"), "dbname=old");
}

TEST_F(ConfigReloadTest, ChangingTheKeyBackClearsThePendingRestart) {
  Write("dbname=old", "10s");
  ConfigReloader r(*Config::Load(path_), path_);
  Write("dbname=new", "10s");
  ASSERT_TRUE(r.Reload().ok());
  Write("dbname=old", "10s");
  ASSERT_TRUE(r.Reload().ok());
  EXPECT_TRUE(r.restart_pending().empty());
}

TEST_F(ConfigReloadTest, InvalidFileKeepsTheRunningConfiguration) {
  Write("dbname=old", "10s");
  ConfigReloader r(*Config::Load(path_), path_);
  Write("dbname=old", "soon");
  Status st = r.Reload();
  EXPECT_EQ(st.code(), Code::kUsage);
  EXPECT_NE(st.message().find("ingest.stats_interval"), std::string::npos) << st.message();
  EXPECT_EQ(r.config().seconds("ingest.stats_interval"), 10);
}

}  // namespace
}  // namespace heat
