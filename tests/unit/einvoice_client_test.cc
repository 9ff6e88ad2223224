// The e-invoice options (einvoice/client.h LoadOptions): what heat.yaml's
// invoice.* must hold before anything is sent, the secrets read from
// owner-only files, and no secret in any message.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "heat/einvoice/client.h"

namespace heat::einvoice {
namespace {

class EinvoiceOptionsTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/einvoice_opts_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Write("secret", "the-app-secret\nignored\n", 0600);
    Write("token", "the-token\n", 0600);
  }
  void Write(const std::string& name, const std::string& text, mode_t mode) {
    std::ofstream(dir_ + "/" + name) << text;
    chmod((dir_ + "/" + name).c_str(), mode);
  }
  Result<Options> Load(const std::string& extra) {
    std::string yaml = "invoice:\n  api_url: https://sdk.example/open/v1/services\n  app_key: K1\n"
                       "  app_secret_file: " + dir_ + "/secret\n  access_token_file: " + dir_ + "/token\n"
                       "  seller_tax_id: 91650100MA77XYZ12K\n" + extra;
    auto cfg = Config::Parse(yaml, "heat.yaml");
    if (!cfg.ok()) return cfg.status();
    return LoadOptions(*cfg);
  }
  std::string dir_;
};

TEST_F(EinvoiceOptionsTest, ReadsTheSecretsFirstLinesAndTheDefaults) {
  auto o = Load("");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->app_secret, "the-app-secret");
  EXPECT_EQ(o->access_token, "the-token");
  EXPECT_EQ(o->item_name, "*供热*采暖费");
  EXPECT_EQ(o->tax_rate_pct, 9);
  EXPECT_EQ(o->retry_s, 60);
  EXPECT_EQ(o->timeout_ms, 10000);
}

TEST_F(EinvoiceOptionsTest, ASecretOthersCanReadIsRefusedWithoutShowingIt) {
  Write("secret", "the-app-secret\n", 0644);
  auto o = Load("");
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), Code::kPermission);
  EXPECT_EQ(o.status().message().find("the-app-secret"), std::string::npos);
}

TEST_F(EinvoiceOptionsTest, MissingOrWrongValuesAreUsageErrorsNamingTheKey) {
  auto no_url = Config::Parse("invoice:\n  app_key: K1\n", "heat.yaml");
  ASSERT_TRUE(no_url.ok());
  auto o = LoadOptions(*no_url);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), Code::kUsage);
  EXPECT_EQ(o.status().message(), "invoice.api_url must be the vendor's http(s) URL, got ''");
  auto bad_tax = Load("  tax_rate: 13\n");
  ASSERT_TRUE(bad_tax.ok()) << bad_tax.status().message();
  EXPECT_EQ(bad_tax->tax_rate_pct, 13);
  EXPECT_FALSE(Config::Parse("invoice:\n  tax_rate: 18\n", "heat.yaml").ok()) << "0..17 percent";
}

}  // namespace
}  // namespace heat::einvoice
