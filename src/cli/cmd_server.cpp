// gazelle serve | migrate | backup
#include <csignal>
#include <iostream>

#include "core/message.h"
#include "cli/cli.h"
#include "kernel/module.h"
#include "modules/demo/demo.h"
#include "domain/import_runs.h"
#include "domain/jobs.h"
#include "http/server.h"
#include "cli/wiring.h"
#include "store/migrations.h"

namespace gz::cli {

namespace {
http::HttpServer* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}
}  // namespace

void add_server_commands(CLI::App& app, CliContext& ctx, std::function<void()>& action) {
  auto* serve = app.add_subcommand("serve", "Start the HTTP server (API and web interface)");
  add_db_option(serve, ctx);
  static http::ServerOptions opts;
  static bool demo_if_new = false;
  static int job_workers = 1;
  static int max_body_mb = 16;
  static std::vector<std::string> trusted_proxies;
  serve->add_option("--host", opts.host, "Address to listen on")->capture_default_str();
  serve->add_option("--port", opts.port, "Port to listen on (0 = any free port, printed at start)")->capture_default_str();
  serve->add_option("--threads", opts.threads, "Worker threads running requests (connections need none)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  serve->add_option("--io-threads", opts.io_threads, "Threads doing the network I/O")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve->add_flag("--handlers-on-io", opts.handlers_on_io,
                  "Run requests on --threads network threads rather than handing them to a worker pool");
  serve->add_option("--max-body-mb", max_body_mb, "Largest request body in MiB, decoded (above: 413)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve->add_option("--header-timeout", opts.header_timeout_s, "Seconds for a request's whole header block")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--body-timeout", opts.body_timeout_s,
                    "Seconds for a request body, plus its size at 64 KiB/s")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--idle-timeout", opts.idle_timeout_s, "Seconds a keep-alive connection may wait for a request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--max-client-connections", opts.max_client_connections,
                    "Open connections per client address (0 = no cap; raise it behind a proxy on this machine)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  serve->add_option("--max-connections", opts.max_connections, "Open connections in all")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  serve->add_option("--web-dir", opts.web_dir, "Built web interface to serve (default: <exe dir>/../web/dist)");
  serve->add_flag("--demo-if-new", demo_if_new,
                  "When the database has no user yet, fill it with the demo company and print the demo login");
  serve->add_option("--workers", job_workers, "Background job workers in this process (0 = none: run `gazelle worker`)")
      ->capture_default_str()
      ->check(CLI::Range(0, 64));
  serve->add_option("--trusted-proxy", trusted_proxies,
                    "Address of a reverse proxy whose X-Real-IP header gives the client's address (repeatable; "
                    "none by default: the header is ignored)");
  serve->callback([&ctx, &action] {
    action = [&ctx] {
      opts.max_body_bytes = size_t(max_body_mb) * 1024 * 1024;
      auto db = ctx.open_database();
      http::Services services(*db);
      services.trusted_proxies = trusted_proxies;
      wire_services(services);
      if (demo_if_new && !services.auth.has_users()) {
        const std::string lang = locale_language();  // what `make run` prints, in the user's language
        std::cout << tr("Creating the demo company in {db} …", {{"db", ctx.db_location}}).render(lang) << std::endl;
        auto login = domain::generate_demo(*db, domain::DemoOptions{}, nullptr);
        std::cout << tr("Demo data ready. Log in as {email} with password {password}",
                        {{"email", login.email}, {"password", login.password}}).render(lang)
                  << std::endl;
        std::cout << Message("Every role has a demo user with the same password, listed in docs/demo.md.").render(lang)
                  << std::endl;
      }
      // Import runs left running by a server that died are marked so (resumable); a run whose
      // heartbeat is fresh may belong to another live server and is left alone.
      if (int64_t n = domain::mark_interrupted_runs(*db))
        std::cerr << "Marked " << n << " import run" << (n > 1 ? "s" : "") << " interrupted (resumable)" << std::endl;
      http::HttpServer server(services, opts);
      int port = server.bind();
      g_server = &server;
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      std::cout << "Gazelle listening on http://" << opts.host << ":" << port << " (database " << ctx.db_location << ")"
                << std::endl;
      domain::WorkerPoolOptions jobs;
      jobs.workers = job_workers;
      jobs.log = &std::cerr;
      domain::WorkerPool workers(*db, jobs);  // started here, stopped (running jobs finished) on leaving
      std::vector<std::shared_ptr<void>> running;  // what modules run while serving (the analytics' reload)
      for (const kernel::Module* m : kernel::modules())
        if (m->while_serving) running.push_back(m->while_serving(*db));
      server.serve();
      g_server = nullptr;
      workers.stop();
    };
  });

  auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_db_option(migrate, ctx);
  migrate->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = store::Database::open(ctx.db_location);
      auto applied = store::apply_migrations(*db);
      if (applied.empty()) std::cout << "Schema is up to date." << std::endl;
      for (const auto& m : applied) std::cout << "applied " << m << std::endl;
    };
  });

  auto* backup = app.add_subcommand("backup", "Copy the whole database to FILE while it is in use (SQLite online backup)");
  add_db_option(backup, ctx);
  static std::string backup_file;
  backup->add_option("FILE", backup_file, "Backup file to write")->required();
  backup->callback([&ctx, &action] {
    action = [&ctx] {
      auto db = ctx.open_database();
      db->backup_to(backup_file);
      std::cout << "Backup written to " << backup_file << std::endl;
    };
  });
}

}  // namespace gz::cli
