#include "heat/proto/payload.h"

#include <limits>
#include <vector>

namespace heat::proto {
namespace {

// The deepest nesting of [ and { outside strings; stops counting past max.
bool JsonDepthWithin(std::string_view s, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// The argument of a CBOR head at p (additional info ai); false when the
// bytes end first or ai is reserved or indefinite.
bool CborArgument(std::string_view b, size_t& p, int ai, uint64_t& arg) {
  if (ai < 24) {
    arg = static_cast<uint64_t>(ai);
    return true;
  }
  if (ai > 27) return false;  // 28-30 reserved, 31 indefinite length
  size_t n = size_t{1} << (ai - 24);
  if (b.size() - p < n) return false;
  arg = 0;
  for (size_t i = 0; i < n; ++i) arg = (arg << 8) | static_cast<uint8_t>(b[p++]);
  return true;
}

// Walks every item once, with an explicit stack of items still owed per
// level: no recursion, and a count is believed only if that many items
// could still follow (each needs at least a byte).
Status CborWellFormed(std::string_view b, int max_depth) {
  std::vector<uint64_t> owed{1};
  size_t p = 0;
  while (!owed.empty()) {
    if (owed.back() == 0) {
      owed.pop_back();
      continue;
    }
    owed.back()--;
    if (p >= b.size()) return Status::Usage("CBOR ends in the middle of an item");
    auto head = static_cast<uint8_t>(b[p++]);
    int major = head >> 5, ai = head & 31;
    uint64_t arg = 0;
    if (!CborArgument(b, p, ai, arg)) return Status::Usage("CBOR item with a bad or indefinite length");
    uint64_t left = b.size() - p;
    if (major == 2 || major == 3) {
      if (arg > left) return Status::Usage("CBOR string longer than the body");
      p += static_cast<size_t>(arg);
    } else if (major == 4 || major == 5 || major == 6) {
      uint64_t items = major == 6 ? 1 : arg;
      if (major == 5 && (items > left / 2)) return Status::Usage("CBOR map larger than the body");
      if (major == 5) items *= 2;
      if (items > left) return Status::Usage("CBOR array larger than the body");
      if (static_cast<int>(owed.size()) > max_depth) return Status::Usage("CBOR nested too deeply");
      owed.push_back(items);
    }
  }
  if (p != b.size()) return Status::Usage("bytes after the CBOR item");
  return Status::Ok();
}

}  // namespace

Result<nlohmann::json> ParseJsonPayload(std::string_view text, const PayloadLimits& limits) {
  if (text.size() > limits.max_bytes) return Status::Usage("body over " + std::to_string(limits.max_bytes) + " bytes");
  if (!JsonDepthWithin(text, limits.max_depth)) return Status::Usage("JSON nested too deeply");
  try {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return Status::Usage("body is not valid JSON");
    return j;
  } catch (const std::exception& e) {
    return Status::Usage(std::string("body is not valid JSON: ") + e.what());
  }
}

Result<nlohmann::json> ParseCborPayload(std::string_view bytes, const PayloadLimits& limits) {
  if (bytes.size() > limits.max_bytes) return Status::Usage("body over " + std::to_string(limits.max_bytes) + " bytes");
  HEAT_TRY(CborWellFormed(bytes, limits.max_depth));
  try {
    auto j = nlohmann::json::from_cbor(bytes.begin(), bytes.end(), true, false);
    if (j.is_discarded()) return Status::Usage("body is not valid CBOR");
    return j;
  } catch (const std::exception& e) {
    return Status::Usage(std::string("body is not valid CBOR: ") + e.what());
  }
}

std::optional<int64_t> AsInt64(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

}  // namespace heat::proto
