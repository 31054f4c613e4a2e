// The composition root: the modules of Gazelle, dependencies first. The catalogue, the record
// routes, the job handlers and schedules, the CLI and the served catalogue are built from this
// list (kernel/module.h); adding a capability is adding its folder and a line here.
#include "modules/activity/module.h"
#include "modules/analytics/module.h"
#include "modules/customers/module.h"
#include "modules/demo/module.h"
#include "modules/duplicates/module.h"
#include "modules/email/module.h"
#include "modules/jobs/module.h"
#include "modules/lookup/module.h"
#include "modules/orders/module.h"
#include "modules/sales/module.h"
#include "modules/service/module.h"
#include "modules/settings/module.h"
#include "modules/transfer/module.h"
#include "modules/users/module.h"

namespace gz::modules {

std::vector<const kernel::Module*> composition() {
  return {
      &users::module(),
      &settings::module(),  // the company settings: its time zone is read by activity
      &customers::module(),
      &activity::module(),
      &email::module(),  // mailboxes, the timeline's e-mails, sending (docs/email.md)
      &orders::module(),
      &analytics::module(),  // before sales, which reports the analytics' macro-processes
      &sales::module(),
      &lookup::module(),  // caller look-up by phone (docs/cti.md)
      &service::module(),  // service desk: cases, service levels, queue, calls (docs/service.md)
      &jobs::module(),
      &duplicates::module(),
      &transfer::module(),
      &demo::module(),
  };
}

}  // namespace gz::modules
