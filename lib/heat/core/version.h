// core/version.h — the version every program prints (--version): set once,
// in CMakeLists.txt's project(), and compiled into version.cc from there.
#pragma once

namespace heat {

const char* Version();  // "0.1.0"

}  // namespace heat
