# Included by ctest after the discovered tests of tests/parallel/ (issue 10; CMakeLists.txt): Open MPI's
# mpirun refuses to start as root (the CI runs as root) unless both variables are set; each test starts
# up to three ranks, hence PROCESSORS.
if(test_parallel_TESTS)
  set_tests_properties(${test_parallel_TESTS} PROPERTIES ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"
                       PROCESSORS 2)
endif()
