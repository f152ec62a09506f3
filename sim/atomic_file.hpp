#pragma once
// Outputs are written to a temporary file beside the target and renamed into place, so an
// interrupted run never leaves a half-written file under the final name.
#include <filesystem>
#include <functional>
#include <string>

namespace sim {

// Calls write(tmp_path), then renames tmp_path to path. On an exception the temporary file is
// removed and the exception goes on; the target is untouched.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp)>& write);
// Writes text to path atomically.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace sim
