# cmake -DSOURCE_DIR=<checkout> -DOUT=<file.cpp> -P WriteGitRevision.cmake: writes the
# definition of sim::build::git_revision (declared in sim/version.hpp.in), touching OUT only
# when its text changes. Outside a git checkout the revision is "unknown".
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE revision
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
  set(revision "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no
    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE dirty ERROR_QUIET)
  if(dirty)
    set(revision "${revision}-dirty")
  endif()
endif()
set(text "// Generated at build time by cmake/WriteGitRevision.cmake.
#include \"salesim/version.hpp\"
namespace sim::build {
const char* const git_revision = \"${revision}\";
}  // namespace sim::build
")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE ${OUT}.tmp "${text}")
file(RENAME ${OUT}.tmp ${OUT})
