# cmake/python_detect.cmake -- decides COLLAPSE_PYTHON (issue 14): ON when pybind11 (Debian's
# pybind11-dev) and a Python with its development headers are found. Debian's /usr/bin/python3 is
# preferred over whatever `python3` comes first on PATH (a pyenv shim there has no numpy); pass
# -DPython_EXECUTABLE=... to build for another interpreter.
if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python the collapse module is built for")
endif()
find_package(Python 3.9 COMPONENTS Interpreter Development.Module)
if(Python_FOUND)
  find_package(pybind11 2.6 CONFIG QUIET)
endif()
set(_collapse_python_default OFF)
if(Python_FOUND AND pybind11_FOUND)
  set(_collapse_python_default ON)
endif()
option(COLLAPSE_PYTHON "Build the Python module `collapse` (python/; needs pybind11 and Python headers)" ${_collapse_python_default})
if(COLLAPSE_PYTHON AND NOT (Python_FOUND AND pybind11_FOUND))
  message(FATAL_ERROR "COLLAPSE_PYTHON=ON needs Python 3.9+ with headers (python3-dev) and pybind11 (pybind11-dev)")
endif()
message(STATUS "collapse: Python module ${COLLAPSE_PYTHON} (Python ${Python_VERSION} at ${Python_EXECUTABLE}, pybind11 ${pybind11_VERSION})")
if(COLLAPSE_PYTHON)
  set(COLLAPSE_PYTHON_INSTALL_DIR "lib/python${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}/site-packages"
      CACHE STRING "where `cmake --install --component python` puts the package, relative to the prefix")
endif()
