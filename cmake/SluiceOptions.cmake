# SPDX-License-Identifier: Apache-2.0
# Project options and the one INTERFACE target that carries every compile flag.

macro(sluice_feature_option name description default)
  option(${name} "${description}" ${default})
  add_feature_info(${name} ${name} "${description}")
endmacro()

sluice_feature_option(SLUICE_BUILD_GUI "Build Sluice Studio (Qt 6 Widgets)" ON)
sluice_feature_option(SLUICE_BUILD_TESTS "Build the Qt Test suites" ON)
sluice_feature_option(SLUICE_BUILD_BENCH "Build the Google Benchmark programs" ON)
sluice_feature_option(SLUICE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors (CI)" OFF)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

add_library(sluice_build_flags INTERFACE)
target_compile_features(sluice_build_flags INTERFACE cxx_std_20)
target_compile_options(sluice_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 reports std::string concatenation as overlapping memcpy (GCC bug 105651).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${SLUICE_WARNINGS_AS_ERRORS}>:-Werror>)
target_compile_definitions(sluice_build_flags INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CONTEXTLESS_CONNECT
  QT_USE_QSTRINGBUILDER QT_NO_FOREACH
  SLUICE_VERSION="${PROJECT_VERSION}")
