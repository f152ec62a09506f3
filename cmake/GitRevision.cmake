# Writes build/generated/salesim/version.hpp with the project version and git revision.
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE SALESIM_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT SALESIM_GIT_REVISION)
  set(SALESIM_GIT_REVISION "unknown")
endif()
execute_process(COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} OUTPUT_VARIABLE _dirty ERROR_QUIET)
if(_dirty)
  set(SALESIM_GIT_REVISION "${SALESIM_GIT_REVISION}-dirty")
endif()
configure_file(${CMAKE_SOURCE_DIR}/sim/version.hpp.in
  ${CMAKE_BINARY_DIR}/generated/salesim/version.hpp @ONLY)
