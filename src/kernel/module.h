// A module: one capability of Gazelle in one folder (src/modules/<name>/), declaring in one
// place its entities (kernel/catalogue.h: fields, labels, access, traits, hooks), the roles it
// adds, the rights of each role on its entities, its routes, CLI subcommands, job kinds and
// periodic schedules, its own migrations and the modules it depends on. The composition root
// (src/modules/composition.cpp) lists the modules; the server, the worker, the CLI and the tests
// are wired from that list (kernel::modules()), so that adding a capability is adding a folder
// and a line there. docs/architecture.md, "Modules", walks through an example.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/catalogue.h"

namespace CLI {
class App;
}
namespace gz::http {
class Api;
struct Services;
}  // namespace gz::http
namespace gz::cli {
struct CliContext;
}
namespace gz::domain {
class JobHandlers;
struct View360;
}  // namespace gz::domain
namespace gz::store {
class Database;
}

namespace gz::kernel {

// A migration of a module's own tables, applied after the core ones (migrations/) and recorded
// per module in module_migrations. backend: "sqlite" or "postgresql".
struct Migration {
  std::string backend;
  int version = 0;
  std::string name;
  std::string sql;
};

// A job the module wants run every period_seconds, queued once per period however many
// processes schedule it (domain/jobs.h, Scheduler).
struct Schedule {
  std::string kind;
  int64_t period_seconds = 0;
  nlohmann::json payload = nlohmann::json::object();
};

// Fields a module adds to an entity another module declares (Odoo's _inherit): the sales module
// gives contacts and accounts their source (campaign, form, referring customer). The module's own
// migrations add the columns; the fields go before the common trailing ones (owner, version…).
struct FieldExtension {
  std::string entity;
  std::vector<Field> fields;
};

struct Module {
  std::string name;                  // "customers"
  Label label;                       // "Clients"
  std::vector<std::string> depends;  // modules whose entities or services it uses
  std::vector<Entity> entities;      // Entity::module is filled in by the catalogue
  std::vector<FieldExtension> extends;  // fields added to other modules' entities
  std::vector<Role> roles;           // roles it adds (the service desk: agent, supervisor…)
  std::vector<Right> rights;         // rights of roles on entities (its own or its dependencies')
  std::vector<Migration> migrations;
  // Extra routes beyond the generic record routes every entity gets (http/routes.cpp).
  std::function<void(http::Api&, http::Services&)> routes;
  // CLI subcommands; `action` is set by the chosen subcommand's callback (cli/cli.h).
  std::function<void(CLI::App&, cli::CliContext&, std::function<void()>& action)> commands;
  // What it adds to the 360° view of a customer record (domain/customer_view.h): in the view's
  // read transaction, then (view360_after) outside it, for what runs its own transactions.
  std::function<void(domain::View360&)> view360;
  std::function<void(store::Database&, const Entity&, int64_t id, nlohmann::json& out)> view360_after;
  // Job kinds it handles (domain/jobs.h), in every process that runs jobs (gazelle serve, worker).
  std::function<void(domain::JobHandlers&)> jobs;
  std::vector<Schedule> schedules;
  // Started by `gazelle serve` once the database is open and held until the server stops (the
  // analytics' background reload); nullptr = nothing to run.
  std::function<std::shared_ptr<void>(store::Database&)> while_serving;
  // The French of its messages, by English template (core/message.h): what its tr("…") say.
  std::vector<std::pair<std::string, std::string>> messages_fr;
};

// The modules of the composition root, dependencies before dependents; then those a test adds.
const std::vector<const Module*>& modules();
const Module* find_module(std::string_view name);

// Adds a module to the ones the composition root lists, for a test binary that links a module
// of its own (tests/modules/sample): a static ExtraModule object in that binary registers it
// before main(), hence before the catalogue is first read.
struct ExtraModule {
  explicit ExtraModule(const Module& m);
};

}  // namespace gz::kernel
