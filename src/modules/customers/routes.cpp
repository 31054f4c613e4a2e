// The customers module's own routes, the 360° views of a contact and of an account, and what the
// module adds to those views.
#include "domain/customer_view.h"
#include "domain/field_values.h"
#include "http/api.h"
#include "modules/customers/module.h"

namespace gz::modules::customers {

void add_routes(http::Api& api, http::Services& s) {
  for (const char* name : {"contacts", "accounts"}) {
    const domain::Entity* ep = &domain::entity(name);
    api.add({"GET", "/api/v1/" + ep->name + "/{id}/360",
             "360° view: the " + ep->singular + ", related records, history, orders, value", ep->name, true, "", "view360",
             [&s, ep](http::RequestContext& ctx) {
               // Its related lists written as JSON text from their rows (domain/customer_view.h).
               auto view = s.views.view_360_text(ctx.actor, *ep, ctx.id_param());
               if (!view)
                 throw Problem(ProblemKind::NotFound, tr("{entity} {id} does not exist or is not visible to you",
                                                         {{"entity", domain::singular_label(*ep)}, {"id", ctx.path_param(0)}}));
               ctx.res.status = 200;
               http::send_json_text(ctx.res, std::move(*view));
             }});
  }
}

}  // namespace gz::modules::customers

namespace gz::modules::customers {

using json = nlohmann::json;

// A contact's 360° shows its company and household (with the members), consent and preferences;
// an account's, its people.
void add_to_360(domain::View360& v) {
  if (v.entity.name == "contacts") {
    // Read with the view's batch, in this order: the household before its members.
    json& out = v.out;
    out["account"] = nullptr;
    if (v.record["account_id"].is_number_integer())
      v.linked(domain::entity("accounts"), v.record["account_id"].get<int64_t>(),
               [&out](json a, bool) { out["account"] = std::move(a); });
    out["household"] = nullptr;
    if (v.record["household_id"].is_number_integer()) {
      int64_t hid = v.record["household_id"].get<int64_t>();
      v.linked(domain::entity("households"), hid, [&out](json h, bool restricted) {
        if (!restricted) h["members"] = json::array();  // a restricted household shows no address, no members
        out["household"] = std::move(h);
      });
      domain::View360 members{v.conn, v.actor, v.entity, "household_id", hid, v.record, v.out};
      members.batch = v.batch;
      // Only the names a member is shown by: whole rows were a twentieth of a view's CPU.
      members.related_each("contacts", "last_name", 50, [&out](json m) {
        json& h = out["household"];
        if (h.is_object() && h.contains("members"))
          h["members"].push_back({{"id", m["id"]}, {"first_name", m["first_name"]}, {"last_name", m["last_name"]}});
      }, "", {"id", "first_name", "last_name"});
    }
    v.out["consent"] = v.record["consent"];
    v.out["preferences"] = v.record["preferences"];
  } else if (v.entity.name == "accounts") {
    v.out["contacts"] = v.related_json("contacts", "last_name", 100);
  }
}

}  // namespace gz::modules::customers
