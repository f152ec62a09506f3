// A command's outputs never destroy its inputs or each other, and special files are written in
// place (docs/reliability.md, "The command line"): an output named like an input (by another
// spelling or a link) or two outputs naming one file are refused before anything runs, with
// every file left as it was; a symbolic link's file is replaced and the link kept; a pipe or
// standard output receives the output instead of being replaced by a regular file; a missing
// logo or an output that is a folder is refused before a run, not after it. The tests write
// only inside their own folder (never /dev), so that a regression cannot damage the machine.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "sim/atomic_file.hpp"
#include "test_support.hpp"

namespace salesim {
namespace {

namespace fs = std::filesystem;

struct OutputPaths : test::FolderTest {
  OutputPaths() : FolderTest("outputs") {}
  std::string scenario;  // a copy of the example in the test's folder
  void SetUp() override {
    FolderTest::SetUp();
    scenario = (dir / "nx.yaml").string();
    fs::copy_file(test::example(), scenario);
  }
  // Runs salesim in the test's folder; the exit code, the output in *out.
  int run(const std::string& args, std::string* out = nullptr) const {
    return test::shell("cd " + dir.string() + " && " + salesim(args), out);
  }
  std::string text(const std::string& name) const { return test::read_file((dir / name).string()); }
  void write(const std::string& name, const std::string& s) const {
    std::ofstream(dir / name) << s;
  }
};

TEST_F(OutputPaths, AnOutputThatIsAnInputIsRefusedAndTheInputKept) {
  const std::string original = text("nx.yaml");
  fs::create_symlink("nx.yaml", dir / "link.yaml");
  fs::create_directories(dir / "sub");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run nx.yaml --paths 20 --json nx.yaml", "--json nx.yaml"},
      {"run nx.yaml --paths 20 -o nx.yaml", "-o nx.yaml"},
      {"run nx.yaml --paths 20 --xlsx ./sub/../nx.yaml", "--xlsx ./sub/../nx.yaml"},
      {"run link.yaml --paths 20 --json nx.yaml", "--json nx.yaml"},
      {"run nx.yaml --paths 20 --report link.yaml", "--report link.yaml"},
      {"sweep nx.yaml --plan baseline --vary prospecting.target_hours=4,8 -o out.h5 --csv "
       "nx.yaml --paths 20",
       "--csv nx.yaml"},
      {"sensitivity nx.yaml --plan targeted-effectiveness --paths 20 --json nx.yaml",
       "--json nx.yaml"},
      {"goalseek nx.yaml --plan push-activity --lever prospecting.target_hours=4..20 --target "
       "'p_goal>=0.5' --paths 20 --json nx.yaml",
       "--json nx.yaml"},
      {"bench nx.yaml --paths 20 --repeats 1 --json nx.yaml", "--json nx.yaml"},
  };
  for (const auto& [args, named] : cases) {
    std::string out;
    EXPECT_EQ(run(args, &out), 2) << args << "\n" << out;
    EXPECT_NE(out.find(named + ": that is the scenario file"), std::string::npos) << args << "\n"
                                                                                  << out;
    EXPECT_EQ(text("nx.yaml"), original) << args;
  }
  // The results file of `salesim report`.
  ASSERT_EQ(run("run nx.yaml --paths 20 --quiet -o r.h5"), 0);
  const std::string h5 = text("r.h5");
  std::string out;
  EXPECT_EQ(run("report r.h5 -o r.h5", &out), 2) << out;
  EXPECT_NE(out.find("-o r.h5: that is the results file"), std::string::npos) << out;
  EXPECT_EQ(text("r.h5"), h5);
}

// The CRM commands: the export and the mapping beside it are inputs too.
TEST_F(OutputPaths, ACrmExportAndItsMappingAreNeverOverwritten) {
  const std::string data = test::source_dir() + "/data/crm-maven/";
  fs::copy_file(data + "sales_pipeline_asof_2017-06-30.csv", dir / "base.csv");
  fs::copy_file(data + "mapping.yaml", dir / "mapping.yaml");
  const std::string csv = text("base.csv"), mapping = text("mapping.yaml");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"import base.csv -o base.csv", "-o base.csv: that is the export"},
      {"calibrate base.csv --as-of 2017-06-30 --quiet -o ./base.csv",
       "-o ./base.csv: that is the export"},
      {"calibrate base.csv --as-of 2017-06-30 --quiet -o c.yaml --report mapping.yaml",
       "--report mapping.yaml: that is the mapping beside the export"},
      {"forecast base.csv --as-of 2017-06-30 --json base.csv", "--json base.csv: that is"},
      {"backtest base.csv --cutoffs 2017-03-31 -o out.csv --json out.csv",
       "-o and --json both name out.csv"},
  };
  for (const auto& [args, says] : cases) {
    std::string out;
    EXPECT_EQ(run(args, &out), 2) << args << "\n" << out;
    EXPECT_NE(out.find(says), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(text("base.csv"), csv) << args;
    EXPECT_EQ(text("mapping.yaml"), mapping) << args;
  }
}

// batch: its batch.csv, its workbook and a file's results are outputs; the files it runs are
// inputs, whichever way they were named.
TEST_F(OutputPaths, ABatchNeverOverwritesTheScenariosItRuns) {
  const std::string original = text("nx.yaml");
  fs::create_directories(dir / "out" / "nx");
  fs::copy_file(dir / "nx.yaml", dir / "out" / "batch.csv");
  fs::copy_file(dir / "nx.yaml", dir / "out" / "nx" / "summary.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"batch nx.yaml -o out --paths 20 --xlsx nx.yaml", "--xlsx nx.yaml: that is the scenario"},
      {"batch out/batch.csv -o out --paths 20",
       "-o (its batch.csv) out/batch.csv: that is the scenario file (out/batch.csv)"},
      {"batch out/nx/summary.json nx.yaml -o out --paths 20",
       "-o (the results of nx.yaml) out/nx/summary.json: that is the scenario file "
       "(out/nx/summary.json)"},
  };
  for (const auto& [args, says] : cases) {
    std::string out;
    EXPECT_EQ(run(args, &out), 2) << args << "\n" << out;
    EXPECT_NE(out.find(says), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(text("nx.yaml"), original) << args;
    EXPECT_EQ(text("out/batch.csv"), original) << args;
    EXPECT_EQ(text("out/nx/summary.json"), original) << args;
  }
}

TEST_F(OutputPaths, TwoOutputsNamingOneFileAreRefusedBeforeTheRun) {
  write("same.out", "kept");
  std::string out;
  EXPECT_EQ(run("run nx.yaml --paths 20 -o same.out --json same.out", &out), 2) << out;
  EXPECT_NE(out.find("-o and --json both name same.out"), std::string::npos) << out;
  EXPECT_EQ(text("same.out"), "kept");
  // sweep's CSV defaults to -o with .csv: with -o out.csv both are the same file.
  EXPECT_EQ(run("sweep nx.yaml --plan baseline --vary prospecting.target_hours=4,8 -o out.csv "
                "--paths 20",
                &out),
            2)
      << out;
  EXPECT_NE(out.find("-o and the CSV table (-o with .csv, as --csv is not given) both name"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "out.csv"));
  EXPECT_EQ(run("run nx.yaml --paths 20 --plans baseline,baseline", &out), 2) << out;
  EXPECT_NE(out.find("--plans: plan 'baseline' is named twice"), std::string::npos) << out;
}

TEST_F(OutputPaths, BadReportOptionsAreRefusedBeforeAnyOutputIsWritten) {
  write("jj.json", "good");
  write("notes.txt", "notes");
  fs::create_directories(dir / "folder");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run nx.yaml --paths 20 --json jj.json --report x.html --logo nothere.png",
       "--logo nothere.png: cannot read the file"},
      {"run nx.yaml --paths 20 --json jj.json --report x.html --logo notes.txt",
       "--logo notes.txt: not an image"},
      {"run nx.yaml --paths 20 --json jj.json --report x.html --charts notes.txt",
       "--charts notes.txt: is a file; expected a folder"},
      {"run nx.yaml --paths 20 --json jj.json --xlsx folder", "--xlsx folder: is a folder"},
      {"run nx.yaml --paths 20 --json jj.json --report folder", "--report folder: is a folder"},
  };
  for (const auto& [args, says] : cases) {
    std::string out;
    EXPECT_EQ(run(args, &out), 2) << args << "\n" << out;
    EXPECT_NE(out.find(says), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(text("jj.json"), "good") << args;
    EXPECT_FALSE(fs::exists(dir / "x.html")) << args;
  }
}

TEST_F(OutputPaths, ALinkedFileIsReplacedAndTheLinkKept) {
  write("target.json", "old");
  fs::create_symlink("target.json", dir / "link.json");
  ASSERT_EQ(run("run nx.yaml --paths 20 --quiet --json link.json"), 0);
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(fs::read_symlink(dir / "link.json"), "target.json");
  EXPECT_NE(text("target.json").find("\"scenario\""), std::string::npos);
}

TEST_F(OutputPaths, APipeAndStandardOutputReceiveTheOutputInPlace) {
  const fs::path fifo = dir / "ff.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The reader is bounded in time: if the pipe were replaced, nothing would ever write to it.
  ASSERT_EQ(test::shell("cd " + dir.string() + " && { (" +
                        salesim("run nx.yaml --paths 20 --quiet --json ff.json") +
                        "; echo $? > rc.txt) & timeout 120 cat ff.json > got.json; wait; }"),
            0);
  EXPECT_EQ(text("rc.txt"), "0\n");
  EXPECT_TRUE(fs::is_fifo(fifo));  // still the pipe, not a regular file
  const std::string got = text("got.json");
  EXPECT_NE(got.find("\"scenario\""), std::string::npos) << got.substr(0, 200);

  // Standard output by a link of the test's own to /proc/self/fd/1, as /dev/stdout is (a
  // regression must not replace the system's /dev/stdout).
  fs::create_symlink("/proc/self/fd/1", dir / "stdout.json");
  std::string out;
  ASSERT_EQ(run("run nx.yaml --paths 20 --quiet --json stdout.json", &out), 0);
  EXPECT_NE(out.find("\"scenario\""), std::string::npos) << out.substr(0, 200);
  EXPECT_TRUE(fs::is_symlink(dir / "stdout.json"));
}

// The library's own guard, behind the command-line checks: a protected input is never written.
TEST_F(OutputPaths, WriteAtomicallyNeverReplacesAProtectedInput) {
  write("in.txt", "input");
  fs::create_hard_link(dir / "in.txt", dir / "hard.txt");
  sim::protect_input(dir / "in.txt");
  EXPECT_THROW(sim::write_text_atomically(dir / "in.txt", "x"), sim::WriteError);
  EXPECT_THROW(sim::write_text_atomically(dir / "hard.txt", "x"), sim::WriteError);
  EXPECT_THROW(sim::write_text_atomically(dir / "." / "in.txt", "x"), sim::WriteError);
  EXPECT_EQ(text("in.txt"), "input");
  sim::write_text_atomically(dir / "other.txt", "y");
  EXPECT_EQ(text("other.txt"), "y");
}

}  // namespace
}  // namespace salesim
