#include "kernel/members.h"

#include <map>
#include <mutex>

namespace gz::kernel {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::vector<Member>, std::less<>> by_field;  // "contacts.consent"
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void describe_members(const std::string& entity, const std::string& field, std::vector<Member> members) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.by_field[entity + "." + field] = std::move(members);
}

const std::vector<Member>* members_of(std::string_view entity, std::string_view field) {
  entities();  // the modules describe their objects while the catalogue is built
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.by_field.find(std::string(entity) + "." + std::string(field));
  return it == r.by_field.end() ? nullptr : &it->second;
}

}  // namespace gz::kernel
