# Writes OUT, a C++ file holding every migrations/<backend>/NNN_name.sql as a string, so that the
# binary carries its schema while the .sql files stay the one source the tests also read.
file(GLOB files RELATIVE ${SRC} ${SRC}/*/*.sql)
list(SORT files)
set(body "// Generated from migrations/ by cmake/embed_migrations.cmake. Do not edit.\n#include \"store/migrations.h\"\nnamespace gz::store {\nconst std::vector<EmbeddedMigration>& embedded_migrations() {\n  static const std::vector<EmbeddedMigration> all = {\n")
foreach(f ${files})
  file(READ ${SRC}/${f} content)
  get_filename_component(backend ${f} DIRECTORY)
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version}")  # 008 would be read as a (bad) octal literal by C++
  string(APPEND body "    {\"${backend}\", ${version}, \"${name}\", R\"GZSQL(${content})GZSQL\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n}  // namespace gz::store\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
