# The project version goes into build/generated/salesim/version.hpp at configure time; the git
# revision into build/generated/git_revision.cpp at every build (cmake/WriteGitRevision.cmake),
# so results files name the commit that built them even in an incremental build. The file is
# rewritten only when the revision changes, and only it is recompiled then.
set(SALESIM_GIT_REVISION_CPP ${CMAKE_BINARY_DIR}/generated/git_revision.cpp)
configure_file(${CMAKE_SOURCE_DIR}/sim/version.hpp.in
  ${CMAKE_BINARY_DIR}/generated/salesim/version.hpp @ONLY)
add_custom_target(salesim_git_revision
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUT=${SALESIM_GIT_REVISION_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteGitRevision.cmake
  BYPRODUCTS ${SALESIM_GIT_REVISION_CPP}
  COMMENT "Reading the git revision"
  VERBATIM)
