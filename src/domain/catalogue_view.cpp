#include "domain/catalogue_view.h"

#include "kernel/members.h"
#include "kernel/module.h"

namespace gz::domain {

using json = nlohmann::json;

namespace {

json describe_field(const kernel::Field& f, std::string_view lang) {
  json j = {{"name", f.name},
            {"label", f.label.in(lang)},
            {"kind", kernel::kind_code(f.kind)},
            {"required", f.required},
            {"filterable", f.filterable},
            {"sortable", f.sortable},
            {"server_set", f.server_set},
            {"default", f.default_value},
            {"description", f.description}};
  if (f.kind == FieldKind::Text || f.kind == FieldKind::LongText || f.kind == FieldKind::Url ||
      f.kind == FieldKind::TagList || f.kind == FieldKind::Object)
    j["max_length"] = f.max_length;
  if (f.kind == FieldKind::Reference) j["references"] = f.references;
  if (f.kind == FieldKind::Enum) {
    json values = json::array();
    for (size_t i = 0; i < f.values.size(); ++i)
      values.push_back({{"value", f.values[i]}, {"label", i < f.value_labels.size() ? f.value_labels[i].in(lang) : f.values[i]}});
    j["values"] = values;
  }
  return j;
}

// One key of an object field (kernel/members.h), described like a field.
json describe_member(const kernel::Member& m, std::string_view lang) {
  json j = {{"name", m.name}, {"label", m.label.in(lang)}, {"kind", kernel::kind_code(m.kind)}};
  if (m.list) j["list"] = true;
  if (!m.unit.empty()) j["unit"] = m.unit;
  if (!m.values.empty()) {
    json values = json::array();
    for (const auto& c : m.values) values.push_back({{"value", c.value}, {"label", c.label.in(lang)}});
    j["values"] = values;
  }
  if (!m.members.empty()) {
    json members = json::array();
    for (const auto& x : m.members) members.push_back(describe_member(x, lang));
    j["members"] = members;
  }
  return j;
}

const char* access_code(kernel::Access a) {
  switch (a) {
    case kernel::Access::Owned: return "owned";
    case kernel::Access::ViaCustomer: return "via_customer";
    case kernel::Access::Catalogue: return "catalogue";
  }
  return "owned";
}

}  // namespace

json describe_catalogue(const Actor& reader, std::string_view lang) {
  std::string language = lang == "en" ? "en" : "fr";
  json roles = json::array();
  for (const auto& r : kernel::roles()) roles.push_back({{"name", r.name}, {"label", r.label.in(language)}});
  json modules = json::array();
  for (const kernel::Module* m : kernel::modules())
    modules.push_back({{"name", m->name}, {"label", m->label.in(language)}, {"depends", m->depends}});
  json entities = json::array();
  for (const auto& e : kernel::entities()) {
    auto right = kernel::right_of(reader.role, e.name);
    if (!right || !right->read) continue;  // what the reader may not read is not described to them
    json fields = json::array();
    for (const auto& f : e.fields) {
      fields.push_back(describe_field(f, language));
      if (const auto* members = kernel::members_of(e.name, f.name)) {
        json& m = fields.back()["members"] = json::array();
        for (const auto& x : *members) m.push_back(describe_member(x, language));
      }
    }
    json children = json::array();
    for (const auto& c : e.children) {
      json cf = json::array();
      for (const auto& f : c.fields) cf.push_back(describe_field(f, language));
      children.push_back({{"name", c.name}, {"label", c.label.in(language)}, {"fields", cf}});
    }
    json del = right->write && right->remove == kernel::Delete::Any   ? json("any")
               : right->write && right->remove == kernel::Delete::Own ? json("own")
                                                                      : json(false);
    entities.push_back({{"name", e.name},
                        {"singular", e.singular},
                        {"module", e.module},
                        {"label", e.label.in(language)},
                        {"label_singular", e.label_singular.in(language)},
                        {"access", access_code(e.access)},
                        {"default_sort", e.default_sort},
                        {"title_fields", e.title_fields},
                        {"list_columns", e.list_columns},
                        {"menu", e.menu_order >= 0 ? json{{"order", e.menu_order}} : json()},
                        {"traits",
                         {{"searchable", e.searchable},
                          {"importable", e.importable},
                          {"exportable", e.exportable},
                          {"mergeable", e.mergeable},
                          {"stage_history", e.stage_history},
                          {"audited", true}}},
                        {"can", {{"read", true}, {"create", right->write}, {"update", right->write}, {"delete", del}}},
                        {"fields", fields},
                        {"children", children}});
  }
  return {{"language", language}, {"roles", roles}, {"modules", modules}, {"entities", entities}};
}

}  // namespace gz::domain
