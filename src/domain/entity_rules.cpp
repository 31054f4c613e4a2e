#include "domain/entity_rules.h"

#include <algorithm>

#include "domain/field_values.h"
#include "store/history_store.h"
#include "store/record_store.h"

namespace gz::domain {

using json = nlohmann::json;

namespace {

// The record's search text, given or computed. (The previous row is deleted even for a new
// record: a row left by a record deleted outside Gazelle would otherwise make the insert fail.)
void write_record_search(WriteContext& ctx, const json& record) {
  std::string body = ctx.search_body ? *ctx.search_body : search_body(ctx.conn, ctx.entity, record).value_or("");
  store::RecordStore::write_search(ctx.conn, ctx.entity, record["id"].get<int64_t>(), body);
}

void record_stage_change(WriteContext& ctx, const json& record) {
  const std::string& field = ctx.entity.stage_field;
  json stage = record.value(field, json());
  json old = ctx.before ? ctx.before->value(field, json()) : json();
  if (stage.is_string() && stage != old)
    store::HistoryStore::append_stage(ctx.conn, ctx.entity.name, record["id"].get<int64_t>(), stage.get<std::string>(),
                                      record.value(ctx.entity.stage_reason_field, json()), ctx.actor.user_id);
}

std::string field_list(const kernel::ChildCollection& cc) {
  std::string out;
  for (const auto& f : cc.fields)
    if (!f.server_set) out += (out.empty() ? "" : ", ") + f.name;
  return out;
}

// A field of one line, as users read it: "Ligne 2 : Quantité".
Message line_field_label(const kernel::ChildCollection& cc, const Field& f, size_t index) {
  return tr("Line {n}: {field}", {{"n", index + 1}, {"field", field_label(f)}});
}

// The lines of one child collection as given in the input, checked and turned into the lines to
// store; every problem is reported under its path (lines[3].quantity).
json normalise_children(WriteContext& ctx, const kernel::ChildCollection& cc, const json& input, FieldErrors& errors) {
  json out = json::array();
  if (!input.is_array()) {
    errors.add(cc.name, label_message(cc.label), tr("must be an array of {fields}", {{"fields", "{" + field_list(cc) + "}"}}));
    return out;
  }
  if (input.size() > cc.max_items) {
    errors.add(cc.name, label_message(cc.label), tr("holds at most {n} lines", {{"n", cc.max_items}}));
    return out;
  }
  for (size_t i = 0; i < input.size(); ++i) {
    std::string p = cc.name + "[" + std::to_string(i) + "]";
    const json& in = input[i];
    if (!in.is_object()) {
      errors.add(p, label_message(cc.label), "must be an object");
      continue;
    }
    for (auto it = in.begin(); it != in.end(); ++it)
      if (it.key() != cc.position_column &&
          std::none_of(cc.fields.begin(), cc.fields.end(), [&](const Field& f) { return f.name == it.key(); }) &&
          std::find(cc.also_accepted.begin(), cc.also_accepted.end(), it.key()) == cc.also_accepted.end())
        errors.add(p + "." + it.key(), label_message(cc.label), tr("unknown field for {entity}", {{"entity", label_message(cc.label)}}));
    json line = json::object();
    bool usable = true;
    if (cc.line) {
      usable = cc.line(ctx, in, line, p, errors);
    } else {
      for (const auto& f : cc.fields) {
        if (f.server_set) continue;
        json v = in.value(f.name, f.default_value);
        if (v.is_null()) {
          if (f.required) {
            errors.add(p + "." + f.name, line_field_label(cc, f, i), "is required");
            usable = false;
          }
          line[f.name] = nullptr;
          continue;
        }
        line[f.name] = normalise_field_value(f, v, p + "." + f.name, errors);
      }
    }
    if (usable) out.push_back(line);
  }
  return out;
}

// The label of an error's field as the entity's rules gave it by code: a field of the entity
// ("rate" -> "Taux"), a child collection ("lines" -> "Lignes") or a field of one of its lines
// ("lines[2].quantity" -> "Ligne 3 : Quantité"); nullopt for any other path.
std::optional<Message> label_of_path(const Entity& e, std::string_view path) {
  if (const Field* f = e.field(path)) return field_label(*f);
  if (const kernel::ChildCollection* cc = e.child(path)) return label_message(cc->label);
  size_t open = path.find('['), close = path.find("].");
  if (open == std::string_view::npos || close == std::string_view::npos || close < open + 2) return std::nullopt;
  const kernel::ChildCollection* cc = e.child(path.substr(0, open));
  if (!cc) return std::nullopt;
  size_t index = 0;
  for (char ch : path.substr(open + 1, close - open - 1)) {
    if (ch < '0' || ch > '9' || index > 1'000'000) return std::nullopt;
    index = index * 10 + size_t(ch - '0');
  }
  std::string_view name = path.substr(close + 2);
  for (const auto& f : cc->fields)
    if (f.name == name) return line_field_label(*cc, f, index);
  return std::nullopt;
}

// Gives each error that has no label the label of its path, when the entity knows it (kept in
// order, so that the first error stays the one the detail names).
void label_unlabelled(const Entity& e, FieldErrors& errors) {
  FieldErrors labelled;
  for (const auto& err : errors.list()) {
    std::optional<Message> label = err.label.empty() ? label_of_path(e, err.field) : std::nullopt;
    labelled.add(err.field, label ? *label : err.label, err.message);
  }
  errors = std::move(labelled);
}

bool same_children(const kernel::ChildCollection& cc, const std::vector<json>& stored, const json& lines) {
  if (stored.size() != lines.size()) return false;
  for (size_t i = 0; i < stored.size(); ++i)
    for (const auto& f : cc.fields)
      if (stored[i].value(f.name, json()) != lines[i].value(f.name, json())) return false;
  return true;
}

}  // namespace

bool same_child_lines(store::Connection& c, const Actor& actor, const Entity& e, const kernel::ChildCollection& cc,
                      const std::vector<json>& stored, const json& lines) {
  const json input = json::object();
  WriteContext ctx{c, actor, e, nullptr, input};
  FieldErrors errors;
  json as_stored = normalise_children(ctx, cc, lines, errors);
  return errors.empty() && as_stored.size() == lines.size() && same_children(cc, stored, as_stored);
}

void apply_entity_rules(WriteContext& ctx, json& record, FieldErrors& errors) {
  // Child lines first, so that the entity's rules can compute its totals from them
  // (ctx.scratch["children"][name]). The same lines sent back are no change (no new version).
  for (const auto& cc : ctx.entity.children) {
    if (!ctx.input.contains(cc.name)) continue;
    json lines = normalise_children(ctx, cc, ctx.input[cc.name], errors);
    bool changed = !ctx.before || !same_children(cc, store::RecordStore::children(ctx.conn, cc, (*ctx.before)["id"].get<int64_t>()), lines);
    ctx.scratch["children"][cc.name] = lines;
    if (changed) {
      ctx.scratch["changed_children"].push_back(cc.name);
      ctx.scratch["nested_changed"] = true;
    }
  }
  if (ctx.entity.hooks.rules) ctx.entity.hooks.rules(ctx, record, errors);
  // The hooks name a field by its code; the error summary names it as users know it.
  label_unlabelled(ctx.entity, errors);
}

void after_entity_write(WriteContext& ctx, const json& record) {
  if (ctx.entity.searchable) write_record_search(ctx, record);
  if (ctx.entity.stage_history) record_stage_change(ctx, record);
  for (const auto& name : ctx.scratch.value("changed_children", json::array()))
    store::RecordStore::replace_children(ctx.conn, *ctx.entity.child(name.get<std::string>()), record["id"].get<int64_t>(),
                                         ctx.scratch["children"][name.get<std::string>()]);
  if (ctx.entity.hooks.after_write) ctx.entity.hooks.after_write(ctx, record);
}

std::optional<std::string> search_body(store::Connection& c, const Entity& e, const json& record) {
  if (!e.searchable || !e.hooks.search_body) return std::nullopt;
  return e.hooks.search_body(c, record);
}

void expand_record(store::Connection& c, const Entity& e, json& record) {
  for (const auto& cc : e.children) record[cc.name] = store::RecordStore::children(c, cc, record["id"].get<int64_t>());
  if (e.hooks.expand) e.hooks.expand(c, record);
}

}  // namespace gz::domain
