// Atomic result files: written to a temporary beside the target and renamed into place only
// when complete. A registered temporary is removed if the process is interrupted (SIGINT,
// SIGTERM, SIGHUP), so an interrupted run leaves neither a partial file nor a stray temporary,
// and never touches an existing result at the target path.
#pragma once

#include <string>

namespace pitstop::output {

/// The temporary path used for `target`: "<dir>/.<name>.tmp-<pid>" in the target's folder.
std::string temporary_path_for(const std::string& target);

/// Removes `path` if a terminating signal arrives before `forget_on_signal(path)`. One at a time.
void remove_on_signal(const std::string& path);
void forget_on_signal();

/// Renames `temp` to `target` (atomic on one filesystem). Throws std::runtime_error on failure.
void commit_file(const std::string& temp, const std::string& target);

}  // namespace pitstop::output
