#include "tools/output_paths.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "sim/atomic_file.hpp"
#include "tools/cli.hpp"

namespace salesim::tools {

namespace fs = std::filesystem;

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& files,
                   const std::vector<NamedPath>& folders) {
  std::vector<const NamedPath*> outputs;
  for (const auto* list : {&files, &folders})
    for (const NamedPath& o : *list)
      if (!o.path.empty()) outputs.push_back(&o);
  for (const NamedPath* o : outputs) {
    for (const NamedPath& in : inputs)
      if (!in.path.empty() && sim::same_file(o->path, in.path))
        throw BadInput(fmt::format(
            "{} {}: that is {} ({}), which this command reads; writing it would destroy it, so "
            "choose another output name",
            o->option, o->path, in.option, in.path));
    for (const NamedPath* other : outputs) {
      if (other == o) break;  // each pair once, named in the order given
      if (sim::same_file(o->path, other->path))
        throw BadInput(
            fmt::format("{} and {} both name {}: one would overwrite the other; give "
                        "each output its own name",
                        other->option, o->option, o->path));
    }
  }
  std::error_code ec;
  for (const NamedPath& f : files)
    if (!f.path.empty() && fs::is_directory(f.path, ec))
      throw BadInput(fmt::format("{} {}: is a folder; expected a file name", f.option, f.path));
  // A folder is created if missing: a part of its path that is a file would fail only then,
  // after the run, with the library's words.
  for (const NamedPath& d : folders)
    if (!d.path.empty())
      for (fs::path part = fs::absolute(d.path, ec).parent_path(); !part.empty();
           part = part.parent_path()) {
        if (fs::exists(part, ec) && !fs::is_directory(part, ec))
          throw BadInput(
              fmt::format("{} {}: {} is a file, not a folder", d.option, d.path, part.string()));
        if (part == part.parent_path()) break;
      }
  for (const NamedPath& d : folders)
    if (!d.path.empty() && fs::exists(d.path, ec) && !fs::is_directory(d.path, ec))
      throw BadInput(fmt::format("{} {}: is a file; expected a folder (it is created if missing)",
                                 d.option, d.path));
  // A folder that exists must take files, a missing one its deepest existing folder, before the
  // run: /proc/csvdir failed after it, with the library's words and exit 1.
  for (const NamedPath& d : folders) {
    if (d.path.empty()) continue;
    // A link to nothing: exists() follows it, so the check below would look past it.
    if (fs::is_symlink(d.path, ec) && !fs::exists(d.path, ec))
      throw BadInput(fmt::format("{} {}: is a symbolic link to {}, which does not exist", d.option,
                                 d.path, fs::read_symlink(d.path, ec).string()));
    fs::path part = fs::absolute(d.path, ec);
    while (!part.empty() && !fs::exists(part, ec) && part != part.parent_path())
      part = part.parent_path();
    if (const int err = sim::folder_write_error(part))
      throw BadInput(fmt::format("{} {}: cannot create files in folder {} ({})", d.option, d.path,
                                 part.string(),
                                 std::error_code(err, std::generic_category()).message()));
  }
  for (const NamedPath& f : files) require_parent_folder(f.path);
  for (const NamedPath& in : inputs) sim::protect_input(in.path);
}

}  // namespace salesim::tools
