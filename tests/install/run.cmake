# tests/install/run.cmake -- ctest "install: ...": `cmake --install` into a temporary prefix, then
#   1. the installed binary, run from an unrelated directory, lists and runs a suite from PREFIX/share/collapse/data
#      (not from the source tree), and COLLAPSE_DATA_DIR overrides the lookup;
#   2. pkg-config resolves collapse.pc (relocated to the prefix);
#   3. tests/install/downstream configures with find_package(collapse), builds and runs;
#   4. (PYTHON given) the installed Python package imports from PREFIX/PYTHON_DIR, evaluates, and its verify
#      reads the installed suites.
# Arguments: BUILD_DIR, SOURCE_DIR, WORK_DIR, CXX; PYTHON, PYTHON_DIR (empty PYTHON: no Python module).
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/elsewhere)
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK_DIR}/elsewhere RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component runtime)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component development)
foreach(f bin/collapse share/collapse/data/suites/lambda-opt-quartic.toml share/collapse/data/golden/catalogue.csv
          include/collapse/theory/ridge_de.hpp include/collapse/numerics/simulate.hpp lib/cmake/collapse/collapseConfig.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${prefix}/${f}")
  endif()
endforeach()

# 1. data found next to the installed binary, and the override
set(ENV{COLLAPSE_DATA_DIR} "")
run(${prefix}/bin/collapse verify --list)
string(FIND "${out}" "${prefix}/share/collapse/data/suites" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the installed binary does not read its installed suites:\n${out}")
endif()
run(${prefix}/bin/collapse verify lambda-opt-quartic)
if(NOT out MATCHES "lambda-opt-quartic" OR NOT out MATCHES "PASS")
  message(FATAL_ERROR "verify lambda-opt-quartic did not pass:\n${out}")
endif()
file(COPY ${prefix}/share/collapse/data DESTINATION ${WORK_DIR}/moved)
set(ENV{COLLAPSE_DATA_DIR} ${WORK_DIR}/moved/data)
run(${prefix}/bin/collapse verify --list)
string(FIND "${out}" "${WORK_DIR}/moved/data/suites" at)
if(at EQUAL -1)
  message(FATAL_ERROR "COLLAPSE_DATA_DIR is not honoured:\n${out}")
endif()
set(ENV{COLLAPSE_DATA_DIR} "")

# 2. pkg-config
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run(${PKG_CONFIG} --cflags --libs collapse)
if(NOT out MATCHES "-I${prefix}/lib/pkgconfig/../../include/collapse" OR NOT out MATCHES "-lcollapse_numerics")
  message(FATAL_ERROR "pkg-config --cflags --libs collapse gave: ${out}")
endif()

# 3. downstream project
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/downstream -B ${WORK_DIR}/downstream -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/downstream)
run(${WORK_DIR}/downstream/downstream)
message(STATUS "${out}")

# 4. the installed Python package
if(PYTHON)
  run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --component python)
  set(ENV{PYTHONPATH} ${prefix}/${PYTHON_DIR})
  run(${PYTHON} ${SOURCE_DIR}/tests/install/check_python.py ${prefix})
  if(NOT out MATCHES "${prefix}/share/collapse/data/suites" OR NOT out MATCHES "lambda-opt-quartic")
    message(FATAL_ERROR "the installed Python package does not use the installed data:\n${out}")
  endif()
  message(STATUS "${out}")
endif()
