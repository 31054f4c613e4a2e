// The customers module's own routes: the 360° views of a contact and of an account.
#include "http/api.h"
#include "modules/customers/module.h"

namespace gz::modules::customers {

void add_routes(http::Api& api, http::Services& s) {
  for (const char* name : {"contacts", "accounts"}) {
    const domain::Entity* ep = &domain::entity(name);
    api.add({"GET", "/api/v1/" + ep->name + "/{id}/360",
             "360° view: the " + ep->singular + ", related records, history, orders, value", ep->name, true, "", "view360",
             [&s, ep](http::RequestContext& ctx) {
               auto view = ep->name == "contacts" ? s.views.contact_360(ctx.actor, ctx.id_param())
                                                  : s.views.account_360(ctx.actor, ctx.id_param());
               if (!view)
                 throw Problem(ProblemKind::NotFound,
                               ep->singular + " " + ctx.path_param(0) + " does not exist or is not visible to you");
               http::send_json(ctx.res, 200, *view);
             }});
  }
}

}  // namespace gz::modules::customers
