// Import runs as background jobs (docs/import.md, docs/jobs.md): a run started by the wizard is
// an "import_run" job of the queue, visible in GET /api/v1/jobs with its run id, progress and
// result, while the run routes answer as before. Saved mappings obey one set of rules whoever
// saves them: `gazelle import --save-mapping` refuses a name another mapping has.
#include <thread>

#include "api_fixture.h"
#include "store/database.h"

using namespace gzt;

class ImportJobsApi : public ApiTest {
 protected:
  json upload(const std::string& csv, const std::string& who) {
    Response up = raw("POST", "/api/v1/imports/uploads?entity=contacts&file_name=f.csv", as(who), csv);
    EXPECT_EQ(up.status, 201) << up.dump();
    return up.j;
  }
  json wait_run(int64_t id, const std::string& who) {
    json run;
    for (int i = 0; i < 400; ++i) {
      run = get("/api/v1/imports/runs/" + std::to_string(id), as(who)).j;
      if (run.value("status", "") != "running" && run.value("status", "") != "queued") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return run;
  }
};

TEST_F(ImportJobsApi, ImportRunIsAJobInTheQueue) {
  std::string mark = unique("Lot");
  std::string csv = "Nom;Ref\n";
  for (int i = 0; i < 25; ++i) csv += mark + std::to_string(i) + ";" + mark + "-" + std::to_string(i) + "\n";
  json up = upload(csv, "sales_a");
  json body = {{"upload", up["upload"]}, {"entity", "contacts"},
               {"mapping", {{"columns", {{"Nom", "last_name"}, {"Ref", "external_id"}}}}}};
  Response started = post("/api/v1/imports/runs", as("sales_a"), body);
  ASSERT_EQ(started.status, 202) << started.dump();
  int64_t run_id = started.j["id"];
  EXPECT_TRUE(started.j["status"] == "queued" || started.j["status"] == "running") << started.dump();
  json run = wait_run(run_id, "sales_a");
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["created"], 25);
  EXPECT_EQ(run["percent"], 100.0);

  // The queue shows the job that imported it (admins), with the run id, its result and progress.
  // The run is done before its job is marked done (the worker writes the job's result last):
  // wait for the job's row too.
  Response jobs;
  json job;
  for (int i = 0; i < 200; ++i) {
    jobs = get("/api/v1/jobs?limit=500", as("admin"));
    ASSERT_EQ(jobs.status, 200) << jobs.dump();
    for (const auto& j : jobs.j["data"])
      if (j["kind"] == "import_run" && j["payload"]["run_id"] == run_id) job = j;
    if (job.is_object() && job["status"] == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(job.is_object()) << "no import_run job for run " << run_id << ": " << jobs.dump();
  EXPECT_EQ(job["status"], "done") << job.dump();
  EXPECT_EQ(job["created_by"], uid("sales_a"));
  EXPECT_EQ(job["result"]["run_id"], run_id);
  EXPECT_EQ(job["result"]["status"], "done");
  EXPECT_EQ(job["result"]["created"], 25);
  EXPECT_EQ(job["progress"]["percent"], 100.0);
  EXPECT_FALSE(job["payload"].contains("check_duplicates"));
  // Its creator may follow it too; another user may not.
  int64_t job_id = job["id"];
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(job_id), as("sales_a")).status, 200);
  EXPECT_EQ(get("/api/v1/jobs/" + std::to_string(job_id), as("sales_b")).status, 404);
}

TEST_F(ImportJobsApi, CliRefusesAMappingNameAnotherMappingHas) {
  std::string name = unique("carte");
  json mapping = {{"columns", {{"Nom", "last_name"}}}};
  Response saved = post("/api/v1/import-mappings", as("sales_a"), {{"name", name}, {"entity", "contacts"}, {"mapping", mapping}});
  ASSERT_EQ(saved.status, 201) << saved.dump();
  std::string path = "/api/v1/import-mappings/" + saved.j["id"].dump();

  setenv("GAZELLE_LANG", "en", 1);  // the CLI's messages below are English (French unless the locale says English)
  fs::path dir = fs::temp_directory_path() / ("gz-mapcli-" + unique("d"));
  fs::create_directories(dir);
  std::string file = (dir / "people.csv").string();
  {
    std::ofstream out(file);
    out << "Surname,Mail\n" << name << ",x@" << name << ".fr\n";
  }
  // Another mapping under the same name: refused (exit code non-zero), nothing imported or saved.
  CliResult r = run_gazelle({"import", "contacts", file, "--db", srv().db_location(), "--map", "Surname=last_name",
                             "--map", "Mail=emails", "--save-mapping", name});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("named " + name), std::string::npos) << r.out;
  EXPECT_EQ(get(path, as("admin")).j["mapping"], mapping) << "unchanged";
  EXPECT_TRUE(get("/api/v1/contacts?q=" + enc(name), as("admin")).j["data"].empty()) << "nothing imported";

  // --replace-mapping replaces it (the CLI acts as an admin, whom the owner rule lets through).
  r = run_gazelle({"import", "contacts", file, "--db", srv().db_location(), "--map", "Surname=last_name",
                   "--map", "Mail=emails", "--save-mapping", name, "--replace-mapping"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  json replaced = get(path, as("admin")).j["mapping"];
  EXPECT_EQ(replaced["columns"]["Surname"], "last_name") << replaced.dump();

  // Saving the same mapping again under its name is no conflict (a command run twice).
  r = run_gazelle({"import", "contacts", file, "--db", srv().db_location(), "--map", "Surname=last_name",
                   "--map", "Mail=emails", "--save-mapping", name});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::error_code ec;
  fs::remove_all(dir, ec);
}
