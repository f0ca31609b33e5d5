# cmake/python.cmake -- the Python package `collapse` (issue 14): python/collapse/__init__.py (the API,
# docstrings) over the compiled extension collapse._core (python/core.cpp, pybind11).
#   build tree:  PYTHONPATH=build/python /usr/bin/python3 -c 'import collapse'
#   install:     cmake --install build --component python --prefix "$VIRTUAL_ENV"   (or ~/.local)
#                -> PREFIX/lib/pythonX.Y/site-packages/collapse/
pybind11_add_module(collapse_python MODULE ${PROJECT_SOURCE_DIR}/python/core.cpp)
set_target_properties(collapse_python PROPERTIES OUTPUT_NAME _core LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/python/collapse)
target_link_libraries(collapse_python PRIVATE collapse_cli)
target_compile_options(collapse_python PRIVATE ${COLLAPSE_WARNINGS})

# The pure-Python files are linked into the build tree, so an edit is live without a rebuild.
file(GLOB collapse_python_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/python/collapse/*.py)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/python/collapse)
foreach(f ${collapse_python_files})
  get_filename_component(name ${f} NAME)
  file(CREATE_LINK ${f} ${PROJECT_BINARY_DIR}/python/collapse/${name} SYMBOLIC)
endforeach()

install(TARGETS collapse_python LIBRARY DESTINATION ${COLLAPSE_PYTHON_INSTALL_DIR}/collapse COMPONENT python)
install(FILES ${collapse_python_files} DESTINATION ${COLLAPSE_PYTHON_INSTALL_DIR}/collapse COMPONENT python)

# tests/python: pytest (Debian's python3-pytest), one ctest per file, against the build tree.
if(COLLAPSE_BUILD_TESTS)
  set(collapse_pytests
      "test_eval.py|eval agrees with the collapse binary to every printed digit and takes str, int, Fraction and float exactly"
      "test_sweep.py|a vectorised sweep over lambda or T equals single double-precision evaluations point by point"
      "test_simulate.py|simulate returns the numbers of collapse simulate for the same seed, and verify the rows of its summary"
      "test_errors.py|bad arguments raise ValueError with the CLI message, refused certification raises CertificationError, Ctrl-C interrupts every long call")
  foreach(entry ${collapse_pytests})
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 file)
    list(GET parts 1 claim)
    add_test(NAME "python: ${claim}"
             COMMAND ${Python_EXECUTABLE} -m pytest -q -p no:cacheprovider ${PROJECT_SOURCE_DIR}/tests/python/${file}
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties("python: ${claim}" PROPERTIES
                         ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python;COLLAPSE_BINARY=$<TARGET_FILE:collapse>;PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endif()
