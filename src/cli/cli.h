// The command line: `gazelle <command> …`. Each command parses its options with CLI11 and calls
// domain services; none writes SQL. Commands are registered from one file each (cmd_*.cpp).
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "store/database.h"

namespace gz::cli {

// Options every command shares, and the database they open.
struct CliContext {
  std::string db_location = "./data/gazelle.db";
  // Opens the database and applies pending migrations.
  std::unique_ptr<store::Database> open_database() const;
};

void add_db_option(CLI::App* cmd, CliContext& ctx);

void add_server_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action);   // serve, migrate, backup
void add_user_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action);     // user, token
void add_demo_command(CLI::App& app, CliContext& ctx, std::function<void()>& action);      // demo (modules/demo)
void add_transfer_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action); // import, export
void add_job_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action);      // worker, jobs
void add_migrate_data_command(CLI::App& app, CliContext& ctx, std::function<void()>& action); // migrate-data
// analytics summary|rfm|profitability|concentration|cohorts|tiers|share-of-wallet|demand|…; returns
// the `analytics` command so that more subcommands (clv) attach to it.
CLI::App* add_analytics_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action);
// analytics clv — lifetime-value models (cmd_analytics_clv.cpp), under the `analytics` command.
void add_clv_command(CLI::App* analytics, CliContext& ctx, std::function<void()>& action);
void add_merge_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action);    // merge, purge
void add_duplicate_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action); // duplicates scan

int run(int argc, char** argv);

// True when standard error is a terminal (progress is shown only then).
bool interactive();

}  // namespace gz::cli
