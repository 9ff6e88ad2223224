// core/file.h — whole files that a person or a configuration names
// (SYS-1). Read: it must be a regular file of bounded size; a directory
// given as a file is an error (kUsage), not an empty file. Written: whole
// or not at all, so a reader never sees half a report, receipt or export.
#pragma once

#include <cstddef>
#include <string>

#include "heat/core/status.h"

namespace heat {

// A failed system call on `what` as a Status: kNotFound for ENOENT and
// ENOTDIR, kPermission for EACCES, EPERM and EROFS, else kFailure.
Status ErrnoStatus(const std::string& what, int err);

// The file's bytes; kUsage for a directory or a file over max_bytes (the
// message ends with `advice`), kFailure for another kind of file. Every
// message starts with the path.
Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes, const std::string& advice);

// A secret (a key, a password) from a file only its owner can read: a
// regular file of at most max_bytes without any group or other permission
// bits (0600 or 0400), else kPermission naming the file and its mode. The
// secret itself never appears in a message.
Result<std::string> ReadSecretFile(const std::string& path, size_t max_bytes);

// Writes bytes to `path` through a temporary file in the same folder
// that is synced and renamed over it (mode 0644): after a crash the path
// holds the old content or the new, never a part.
Status WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace heat
