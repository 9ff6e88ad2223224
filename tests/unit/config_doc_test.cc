// The option table is the documentation's source (OPS-1; pgbouncer's
// optscan check): every row of core/config_options.cc — key, type, range or
// choices, default, reloadable or not — is in heat.yaml(5) as the line
// "*key* (synopsis)", and its key, default and reload word are in
// etc/heat.yaml; neither documents a key the table does not have.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "heat/core/config.h"
#include "heat/core/text.h"
#include "heat/core/version.h"

namespace heat {
namespace {

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(HEAT_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ScdocEscaped(std::string key) {
  std::string out;
  for (char c : key) out += c == '_' ? std::string("\\_") : std::string(1, c);
  return out;
}

std::set<std::string> TableKeys() {
  std::set<std::string> keys;
  for (const auto& o : Options()) keys.insert(o.key);
  return keys;
}

TEST(ConfigDocTest, EveryOptionRowIsInTheManPageVerbatim) {
  std::string man = Read("man/heat.yaml.5.scd");
  ASSERT_FALSE(man.empty());
  for (const auto& o : Options()) {
    std::string line = "\n*" + ScdocEscaped(o.key) + "* (" + OptionSynopsis(o) + ")\n";
    EXPECT_NE(man.find(line), std::string::npos) << "heat.yaml(5) lacks the line: " << line.substr(1);
  }
}

TEST(ConfigDocTest, ManPageDocumentsNoKeyOutsideTheTable) {
  std::string man = Read("man/heat.yaml.5.scd");
  std::regex head(R"(\n\*([a-z0-9_\\]+\.[a-z0-9_\\.]+)\* \()");  // keys may hold digits (wechat.apiv3_key_file)
  std::set<std::string> documented;
  for (std::sregex_iterator it(man.begin(), man.end(), head), end; it != end; ++it) {
    std::string key = (*it)[1];
    key.erase(std::remove(key.begin(), key.end(), '\\'), key.end());
    EXPECT_TRUE(documented.insert(key).second) << key << " is documented twice";
  }
  EXPECT_EQ(documented, TableKeys());
}

TEST(ConfigDocTest, SampleFileHasEveryKeyWithItsDefaultAndReloadWord) {
  std::string text = Read("etc/heat.yaml");
  auto sample = Config::Parse(text, "etc/heat.yaml");  // unknown keys are errors
  ASSERT_TRUE(sample.ok()) << sample.status().message();
  YAML::Node root = YAML::Load(text);
  std::set<std::string> keys;
  for (const auto& sec : root)
    for (const auto& kv : sec.second) keys.insert(sec.first.Scalar() + "." + kv.first.Scalar());
  EXPECT_EQ(keys, TableKeys());
  Config defaults = Config::Defaults();
  for (const auto& o : Options()) {
    EXPECT_EQ(sample->str(o.key), defaults.str(o.key)) << o.key << ": etc/heat.yaml is not the default";
    std::string name = Split(o.key, '.')[1];
    std::regex row("\n  " + name + ":[^\n]*\\((" + (o.reloadable ? "reloadable" : "restart") + ")\\)\n");
    EXPECT_TRUE(std::regex_search(text, row)) << o.key << ": etc/heat.yaml's comment lacks "
                                              << (o.reloadable ? "(reloadable)" : "(restart)");
  }
}

TEST(ConfigDocTest, VersionIsTheProjectVersionInCMakeLists) {
  std::smatch m;
  std::string cmake = Read("CMakeLists.txt");
  ASSERT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(heat VERSION ([0-9.]+))")));
  EXPECT_EQ(Version(), m[1].str());
}

}  // namespace
}  // namespace heat
