# packaging_find_package: installs the current build tree into a scratch prefix, checks that
# exactly the public headers were installed (none of the internal ones under src/), then
# configures, builds and runs consumer/ against that prefix with find_package(certharness).
# Run with cmake -P; every variable below comes from contract_tests/CMakeLists.txt.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR CONSUMER_DIR GENERATOR MAKE_PROGRAM CXX_COMPILER)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_and_consume.cmake: ${var} is not set")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
run("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")

# Installed headers = include/ of the source tree + the generated version header.
file(GLOB_RECURSE expected RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/*")
list(APPEND expected certharness/version.hpp)
file(GLOB_RECURSE installed RELATIVE "${prefix}/include" "${prefix}/include/*")
list(SORT expected)
list(SORT installed)
if(NOT installed STREQUAL expected)
  message(FATAL_ERROR "installed headers differ from the public ones\n"
                      "expected: ${expected}\ninstalled: ${installed}")
endif()
file(GLOB internal_headers "${SOURCE_DIR}/src/certharness/*/*.hpp")
if(NOT internal_headers)
  message(FATAL_ERROR "no internal headers found under ${SOURCE_DIR}/src: is SOURCE_DIR right?")
endif()
foreach(header IN LISTS internal_headers)
  get_filename_component(name "${header}" NAME)
  file(GLOB_RECURSE found "${prefix}/*/${name}")
  if(found)
    message(FATAL_ERROR "internal header ${name} was installed: ${found}")
  endif()
endforeach()

# The consumer is built like the library (same compiler and instrumentation: an ASan library
# needs an ASan main) and finds certharness in the prefix only.
set(build "${WORK_DIR}/consumer")
run("configuring the consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${build}"
    -G "${GENERATOR}" "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_CXX_FLAGS=${COMPILE_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
file(STRINGS "${build}/CMakeCache.txt" found_at REGEX "^certharness_DIR:")
if(NOT found_at MATCHES "=${prefix}/")
  message(FATAL_ERROR "the consumer found certharness outside ${prefix}: ${found_at}")
endif()
run("building the consumer" "${CMAKE_COMMAND}" --build "${build}")
run("running the consumer" "${build}/consumer")
message(STATUS "${run_output}")
file(REMOVE_RECURSE "${WORK_DIR}")
