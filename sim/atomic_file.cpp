#include "atomic_file.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace sim {

void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp)>& write) {
  namespace fs = std::filesystem;
  if (path.has_parent_path() && !fs::exists(path.parent_path()))
    throw std::runtime_error("cannot write " + path.string() + ": folder " +
                             path.parent_path().string() + " does not exist");
  fs::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  try {
    write(tmp);
    fs::rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

void write_text_atomically(const std::filesystem::path& path, const std::string& text) {
  write_atomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw std::runtime_error("cannot write " + path.string());
  });
}

}  // namespace sim
