# man pages: man/NAME.SECTION.scd -> build/man/manSECTION/NAME.SECTION, installed.
find_program(SCDOC scdoc)
file(GLOB HEAT_MAN_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.scd)
set(HEAT_MAN_OUT "")
foreach(src ${HEAT_MAN_SRC})
  get_filename_component(page ${src} NAME_WLE)            # heatctl.1
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  set(out ${CMAKE_BINARY_DIR}/man/man${section}/${page})   # a MANPATH tree
  if(SCDOC)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man/man${section}
      COMMAND ${CMAKE_COMMAND} -DSCDOC=${SCDOC} -DIN=${src} -DOUT=${out} -P ${CMAKE_SOURCE_DIR}/cmake/scdoc.cmake
      DEPENDS ${src} ${CMAKE_SOURCE_DIR}/cmake/scdoc.cmake COMMENT "scdoc ${page}")
    list(APPEND HEAT_MAN_OUT ${out})
    install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
  endif()
endforeach()
if(NOT SCDOC AND HEAT_MAN_SRC)
  message(WARNING "scdoc not found: man pages are not built")
endif()
add_custom_target(man ALL DEPENDS ${HEAT_MAN_OUT})
