# SPDX-License-Identifier: Apache-2.0
# Every target compiles against Asio's epoll reactor with cmake/asio-short-reads.patch applied
# (the patch says why): the three patched headers are copied into the build tree and put ahead of
# the system's. All targets, because Asio is header-only: a program must not mix reactors.
# A Boost the patch does not apply to builds with the stock reactor and a warning.
find_package(Boost 1.74 REQUIRED)

set(_asio_patch "${CMAKE_CURRENT_LIST_DIR}/asio-short-reads.patch")
set(_asio_headers detail/epoll_reactor.hpp detail/impl/epoll_reactor.ipp detail/reactive_socket_recv_op.hpp)
set(_asio_scratch "${CMAKE_BINARY_DIR}/asio-short-reads.scratch")
set(_asio_include "${CMAKE_BINARY_DIR}/asio-short-reads")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_asio_patch}")

find_program(PATCH_PROGRAM patch REQUIRED)
file(REMOVE_RECURSE "${_asio_scratch}")
foreach(_header IN LISTS _asio_headers)
  get_filename_component(_dir "${_asio_scratch}/boost/asio/${_header}" DIRECTORY)
  file(MAKE_DIRECTORY "${_dir}")
  file(COPY_FILE "${Boost_INCLUDE_DIRS}/boost/asio/${_header}" "${_asio_scratch}/boost/asio/${_header}")
endforeach()
execute_process(COMMAND "${PATCH_PROGRAM}" -p1 --forward --batch -d "${_asio_scratch}" -i "${_asio_patch}"
  RESULT_VARIABLE _asio_patched OUTPUT_VARIABLE _asio_patch_log ERROR_VARIABLE _asio_patch_log)

if(_asio_patched EQUAL 0)
  foreach(_header IN LISTS _asio_headers)
    get_filename_component(_dir "${_asio_include}/boost/asio/${_header}" DIRECTORY)
    file(MAKE_DIRECTORY "${_dir}")
    # Unchanged headers keep their timestamps: a re-configure rebuilds nothing.
    file(COPY_FILE "${_asio_scratch}/boost/asio/${_header}" "${_asio_include}/boost/asio/${_header}"
      ONLY_IF_DIFFERENT)
  endforeach()
  include_directories(BEFORE SYSTEM "${_asio_include}")
  set(SLUICE_ASIO_SHORT_READS ON)
else()
  message(WARNING "cmake/asio-short-reads.patch does not apply to Boost ${Boost_VERSION}; building with "
    "Asio's stock reactor (correct, one failed recv more per proxied read):\n${_asio_patch_log}")
  set(SLUICE_ASIO_SHORT_READS OFF)
endif()
file(REMOVE_RECURSE "${_asio_scratch}")
add_feature_info(AsioShortReads SLUICE_ASIO_SHORT_READS "Asio's reactor waits for epoll after a read that emptied the socket")
