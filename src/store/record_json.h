// Records written as JSON text straight from the driver's row values, without building a JSON
// tree per row (the read path's cost: a list page of 50 contacts took about 1 ms of CPU to turn
// into trees, parse their JSON columns again and serialise them, against 0.06 ms of SQL).
//
// The text is what RecordStore::to_record followed by nlohmann's dump() gives for the same row
// — keys in the same (sorted) order, booleans as booleans, JSON columns (lists, objects) as
// JSON, strings escaped the same way — so that the generic routes answer the same bytes either
// way (tests/api/json_text_api_test.cpp compares them on both backends). JSON columns are
// copied as stored after a validity check (no tree); a stored text that is not JSON reads null.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/catalogue.h"
#include "store/row_stream.h"

namespace gz::store {

// Whether text is one JSON value (RFC 8259), checked without building it.
bool is_json(std::string_view text);

// Appends s as a JSON string (quotes included), escaped as nlohmann's dump() escapes it.
void append_json_string(std::string& out, std::string_view s);

// A JSON tree as text: the bytes of j.dump(-1, ' ', false, json::error_handler_t::replace),
// written with append_json_string and std::to_chars (nlohmann's serializer decodes every byte
// of every string: it was a sixth of a 360° view's instructions). Floats are left to nlohmann.
void append_json(std::string& out, const nlohmann::json& j);
std::string dump_json(const nlohmann::json& j);

class RecordJsonWriter {
 public:
  explicit RecordJsonWriter(const kernel::Entity& e) : e_(e) {}

  // Appends the current row as a JSON object.
  void append(const RowView& row, std::string& out);
  // The index of a column in the rows written so far, or -1.
  int column(std::string_view name) const;

 private:
  struct Column {
    int index;
    std::string key;  // "\"name\":"
    const kernel::Field* field;
  };
  void plan(const RowView& row);
  void append_value(const RowView& row, const Column& c, std::string& out) const;

  const kernel::Entity& e_;
  std::vector<Column> columns_;  // in key order, as a JSON object of the row would sort them
};

// One page of a list as JSON text: the rows joined by commas (without the brackets), what the
// caller needs to finish the answer, and the ids the rows refer to.
struct JsonPage {
  std::string rows;
  int count = 0;
  bool more = false;              // a row beyond the limit exists
  nlohmann::json last_sort_value; // of the last row written, when the page is full
  int64_t last_id = 0;            // likewise
  std::map<std::string, std::set<int64_t>> references;  // referred entity -> ids (users, teams left out)
};

}  // namespace gz::store
