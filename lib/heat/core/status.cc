#include "heat/core/status.h"

namespace heat {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kFailure: return "failure";
    case Code::kUsage: return "usage";
    case Code::kNotFound: return "not found";
    case Code::kPermission: return "permission denied";
    case Code::kConflict: return "conflict";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return msg_;
}

}  // namespace heat
