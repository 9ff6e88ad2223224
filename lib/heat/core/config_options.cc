// The table of every configuration option (heat.yaml(5) documents it).
#include "heat/core/config.h"

namespace heat {

const std::vector<Option>& Options() {
  using T = OptionType;
  static const std::vector<Option> options = {
      // key               type         default          reload  doc
      {"site.company",     T::kString,   "",              true,  "company name on reports and receipts"},
      {"site.timezone",    T::kTimezone, "Asia/Shanghai", false, "company time zone: display and billing dates"},
      {"db.conninfo",      T::kString,   "",              false, "libpq connection string; empty: PG* environment"},
      {"log.level",        T::kLevel,    "info",          true,  "least severe level logged"},
  };
  return options;
}

}  // namespace heat
