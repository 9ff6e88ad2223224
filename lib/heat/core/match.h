// core/match.h — checking the shape of text that comes from outside
// (files, devices, command lines) without risking the stack.
//
// libstdc++'s std::regex matcher recurses once per character it consumes,
// so a few thousand characters against `\d+` overflow the stack (found by
// fuzzing the network import: a 4,000-digit number in a YAML file). Every
// std::regex_match on outside text goes through BoundedMatch, which refuses
// input longer than `max_len` without matching; unbounded shapes (numbers
// of any length) are checked by hand with the scanners below.
#pragma once

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>

namespace heat {

// Longest text any of our patterns is meant to accept.
inline constexpr size_t kMaxMatchLen = 256;

// std::regex_match, false for text longer than max_len.
bool BoundedMatch(const std::string& s, const std::regex& re, size_t max_len = kMaxMatchLen);
bool BoundedMatch(const std::string& s, std::smatch& m, const std::regex& re,
                  size_t max_len = kMaxMatchLen);

// Non-empty and only 0-9.
bool IsAsciiDigits(std::string_view s);

// A YAML 1.2 core-schema float without the sign: digits, a decimal, with an
// optional exponent ("12", ".5", "1.", "1.5e-3", "2E10"). Any length.
bool IsUnsignedFloat(std::string_view s);

}  // namespace heat
