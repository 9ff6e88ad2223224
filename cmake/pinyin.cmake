# The pinyin reading table behind lib/heat/billing/pinyin.h (BIL-3),
# generated at build time from Unicode's Unihan data rather than typed by
# hand. Included from the top CMakeLists.txt; appends the generated source
# to HEAT_PINYIN_TABLE, which goes into the heat library.
set(HEAT_UNIHAN_READINGS /usr/share/unicode/Unihan_Readings.txt.bz2
    CACHE FILEPATH "Unihan_Readings.txt.bz2, from the Debian package unicode-data")
if(NOT EXISTS ${HEAT_UNIHAN_READINGS})
  message(FATAL_ERROR "pinyin: ${HEAT_UNIHAN_READINGS} is missing. It comes with the Debian "
                      "package unicode-data: apt-get install unicode-data (or point "
                      "HEAT_UNIHAN_READINGS at a Unihan_Readings.txt.bz2).")
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(HEAT_PINYIN_OUT ${CMAKE_BINARY_DIR}/generated/pinyin_table.cc)
add_custom_command(
  OUTPUT ${HEAT_PINYIN_OUT}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen-pinyin ${HEAT_UNIHAN_READINGS} ${HEAT_PINYIN_OUT}
  DEPENDS ${CMAKE_SOURCE_DIR}/scripts/gen-pinyin ${HEAT_UNIHAN_READINGS}
  COMMENT "Generating the pinyin table from Unihan"
  VERBATIM)
list(APPEND HEAT_PINYIN_TABLE ${HEAT_PINYIN_OUT})
