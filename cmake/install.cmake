# cmake/install.cmake -- `cmake --install build [--prefix P]` (issue 14 item 8):
#   P/bin/collapse                                   the command line (component "runtime")
#   P/share/collapse/data/{suites,golden}            its data; harness/data_dir.cpp finds it from the binary
#   P/include/collapse/{theory,numerics}/*.hpp       headers (component "development")
#   P/lib/libcollapse_numerics.a
#   P/lib/cmake/collapse/collapseConfig*.cmake       find_package(collapse) -> collapse::theory, collapse::numerics
#   P/lib/pkgconfig/collapse.pc                      pkg-config --cflags --libs collapse
include(CMakePackageConfigHelpers)

add_library(collapse::theory ALIAS collapse_theory)
add_library(collapse::numerics ALIAS collapse_numerics)
set_target_properties(collapse_theory PROPERTIES EXPORT_NAME theory)
set_target_properties(collapse_numerics PROPERTIES EXPORT_NAME numerics)
target_include_directories(collapse_numerics PUBLIC $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/collapse>)

install(TARGETS collapse RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/suites ${PROJECT_SOURCE_DIR}/data/golden
        DESTINATION ${CMAKE_INSTALL_DATADIR}/collapse/data COMPONENT runtime)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/theory ${PROJECT_SOURCE_DIR}/numerics
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/collapse COMPONENT development FILES_MATCHING PATTERN "*.hpp"
        PATTERN "instances" EXCLUDE)  # build-time instantiations (CMakeLists.txt), not part of the API
install(TARGETS collapse_theory collapse_numerics EXPORT collapse-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
set(COLLAPSE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/collapse)
install(EXPORT collapse-targets NAMESPACE collapse:: DESTINATION ${COLLAPSE_CMAKE_DIR} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/package/collapseConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/collapseConfig.cmake INSTALL_DESTINATION ${COLLAPSE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/collapseConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/collapseConfig.cmake ${PROJECT_BINARY_DIR}/collapseConfigVersion.cmake
        DESTINATION ${COLLAPSE_CMAKE_DIR} COMPONENT development)
# relocatable: the prefix is found from the .pc file's own directory, so --prefix at install time works
file(RELATIVE_PATH COLLAPSE_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/package/collapse.pc.in ${PROJECT_BINARY_DIR}/collapse.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/collapse.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

# The test: install into a temporary prefix, run the installed binary's `verify` on one small suite
# away from the source tree, build tests/install/downstream against the package and run it; with the
# Python module, import the installed package and check that it reads the installed data.
if(COLLAPSE_BUILD_TESTS)
  add_test(NAME "install: an installed collapse runs verify from its own data, a downstream project builds against find_package(collapse), and the installed Python package reads the installed data"
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DWORK_DIR=${PROJECT_BINARY_DIR}/install-test -DCXX=${CMAKE_CXX_COMPILER}
                   "-DPYTHON=$<$<BOOL:${COLLAPSE_PYTHON}>:${Python_EXECUTABLE}>" -DPYTHON_DIR=${COLLAPSE_PYTHON_INSTALL_DIR}
                   -P ${PROJECT_SOURCE_DIR}/tests/install/run.cmake)
endif()
