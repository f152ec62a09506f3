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
#include <map>
#include <set>
#include <sstream>

#include "models/format_upgrade.hpp"
#include "sim/atomic_file.hpp"
#include "sim/h5.hpp"
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
// A folder option (--csv, --charts) whose path runs through a file failed after the run with
// the library's words (exit 1); it is bad input before anything runs.
TEST_F(OutputPaths, AFolderUnderAFileIsRefusedBeforeTheRun) {
  write("afile", "x");
  std::string out;
  EXPECT_EQ(run("run nx.yaml --paths 8 --csv afile/sub", &out), 2) << out;
  EXPECT_NE(out.find("--csv afile/sub: " + (dir / "afile").string() + " is a file, not a folder"),
            std::string::npos)
      << out;
  EXPECT_EQ(run("run nx.yaml --paths 8 -o r.h5 --report r.html --charts afile/sub", &out), 2)
      << out;
  EXPECT_NE(out.find("--charts afile/sub"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "r.h5"));
  // A folder where no file can be made (as root, /proc is the one such place) failed after the
  // run with exit 1 and the library's words, the results file already written.
  EXPECT_EQ(run("run nx.yaml --paths 8 -o r.h5 --csv /proc/csvdir", &out), 2) << out;
  EXPECT_NE(out.find("--csv /proc/csvdir: cannot create files in folder /proc"), std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(dir / "r.h5"));
  // A symbolic link to nothing: exists() follows it, so the run went ahead and failed after it.
  fs::create_symlink(dir / "nowhere" / "x", dir / "dangling");
  EXPECT_EQ(run("run nx.yaml --paths 8 -o r.h5 --csv dangling", &out), 2) << out;
  EXPECT_NE(out.find("--csv dangling: is a symbolic link to"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "r.h5"));
}

TEST_F(OutputPaths, ACrmExportAndItsMappingAreNeverOverwritten) {
  const std::string data = test::source_dir() + "/data/crm-maven/";
  fs::copy_file(data + "sales_pipeline_asof_2017-06-30.csv", dir / "base.csv");
  fs::copy_file(data + "mapping.yaml", dir / "mapping.yaml");
  fs::copy_file(data + "products.csv", dir / "products.csv");
  fs::copy_file(data + "sales_teams.csv", dir / "sales_teams.csv");
  const std::string csv = text("base.csv"), mapping = text("mapping.yaml"),
                    prices = text("products.csv"), teams = text("sales_teams.csv");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"import base.csv -o base.csv", "-o base.csv: that is the export"},
      {"calibrate base.csv --as-of 2017-06-30 --quiet -o ./base.csv",
       "-o ./base.csv: that is the export"},
      {"calibrate base.csv --as-of 2017-06-30 --quiet -o c.yaml --report mapping.yaml",
       "--report mapping.yaml: that is the mapping beside the export"},
      {"forecast base.csv --as-of 2017-06-30 --json base.csv", "--json base.csv: that is"},
      {"backtest base.csv --cutoffs 2017-03-31 -o out.csv --json out.csv",
       "-o and --json both name out.csv"},
      // The org chart and the price list the mapping names (they were overwritten).
      {"forecast base.csv --as-of 2017-06-30 --paths 10 --json products.csv",
       "--json products.csv: that is price_list in "},
      {"import base.csv -o ./sales_teams.csv", "-o ./sales_teams.csv: that is org_chart in "},
  };
  for (const auto& [args, says] : cases) {
    std::string out;
    EXPECT_EQ(run(args, &out), 2) << args << "\n" << out;
    EXPECT_NE(out.find(says), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(text("base.csv"), csv) << args;
    EXPECT_EQ(text("mapping.yaml"), mapping) << args;
    EXPECT_EQ(text("products.csv"), prices) << args;
    EXPECT_EQ(text("sales_teams.csv"), teams) << args;
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

// --csv DIR writes DIR/summary.csv: --json DIR/summary.csv was replaced by it, exit 0.
TEST_F(OutputPaths, TheCsvFoldersTableAndAnotherOutputOfItsNameAreRefused) {
  fs::create_directories(dir / "t");
  write("t/summary.csv", "kept");
  std::string out;
  EXPECT_EQ(run("run nx.yaml --paths 20 --csv t --json t/summary.csv", &out), 2) << out;
  EXPECT_NE(out.find("--csv t writes t/summary.csv, which --json also names"), std::string::npos)
      << out;
  EXPECT_EQ(text("t/summary.csv"), "kept");
  EXPECT_EQ(run("run nx.yaml --paths 20 --csv t/ --xlsx ./t/summary.csv", &out), 2) << out;
  EXPECT_NE(out.find("which --xlsx also names"), std::string::npos) << out;
  EXPECT_EQ(text("t/summary.csv"), "kept");
}

// --quiet prints nothing on stdout with --report and --pdf too (the report's line was printed);
// a PDF that cannot be made is still said on stderr (no Chromium here: exit 1).
TEST_F(OutputPaths, QuietRunsWriteTheReportWithoutAWord) {
  std::string out;
  EXPECT_EQ(run("run nx.yaml --paths 20 --quiet --report r.html", &out), 0) << out;
  EXPECT_EQ(out, "");
  EXPECT_TRUE(fs::exists(dir / "r.html"));
  EXPECT_EQ(test::shell("cd " + dir.string() + " && { SALESIM_CHROMIUM=/nonexistent/chromium " +
                            salesim("run nx.yaml --paths 20 --quiet --report q.html --pdf q.pdf "
                                    "2>/dev/null; }"),
                        &out),
            1)
      << out;
  EXPECT_EQ(out, "");
  EXPECT_TRUE(fs::exists(dir / "q.html"));
  EXPECT_EQ(test::shell("cd " + dir.string() + " && SALESIM_CHROMIUM=/nonexistent/chromium " +
                            salesim("run nx.yaml --paths 20 --quiet --report q.html --pdf q.pdf"),
                        &out),
            1)
      << out;
  EXPECT_NE(out.find("--pdf needs headless Chromium"), std::string::npos) << out;
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

// A results file to standard output is written in place: the folder of /proc/self/fd (where
// no file can be made) is not the folder that matters; redirected to a file, that file gets the
// results. Written as the run goes (--streaming --trajectories), it is refused for its real
// reason, not for that folder's or a free space of 0 bytes.
TEST_F(OutputPaths, AResultsFileToStandardOutputIsWrittenInPlace) {
  const std::string in_dir = "cd " + dir.string() + " && { ";
  std::string out;
  ASSERT_EQ(test::shell(in_dir + salesim("run nx.yaml --paths 20 --quiet -o /proc/self/fd/1") +
                            " > r.h5; }",
                        &out),
            0)
      << out;
  EXPECT_EQ(sim::h5::File::open_read((dir / "r.h5").string()).attr_int("paths"), 20);
  // Standard output a pipe: the exit code is echoed into the pipe (sh has no PIPESTATUS).
  test::shell(in_dir +
                  salesim("run nx.yaml --paths 20 --quiet --streaming --trajectories -o "
                          "/proc/self/fd/1") +
                  " 2>&1; echo rc=$?; } | cat",
              &out);
  EXPECT_NE(out.find("rc=2"), std::string::npos) << out;
  EXPECT_NE(out.find("-o must name a file (not a pipe or a device)"), std::string::npos) << out;
  EXPECT_EQ(out.find("not writable"), std::string::npos) << out;
  EXPECT_EQ(out.find("free in"), std::string::npos) << out;
}

// batch: every file's results go to a folder of their own inside OUTDIR. A stem of "." or ".."
// (the files "..yaml" and "...yaml") wrote into OUTDIR itself or its parent; a stem
// "batch.csv" made OUTDIR/batch.csv a folder, so the table could not be written; a folder name
// made unique with "-2" could be another file's stem (z/q-x-2.yaml), so two files wrote one
// folder and the first one's results were lost; a long folder and file name, joined, passed
// the longest file name and failed after the run.
struct BatchNames : OutputPaths {
  // rm walks a tree a folder at a time; fs::remove_all would meet a path past the system's limit.
  void TearDown() override {
    test::shell("rm -rf '" + dir.string() + "'");
    OutputPaths::TearDown();
  }
};

TEST_F(BatchNames, EveryFileGetsAFolderOfItsOwnInsideOutdir) {
  const std::string longer(200, 'd'), stem(200, 'x');
  const std::vector<std::string> files = {"in/..yaml",
                                          "in/...yaml",
                                          "in/batch.csv.yaml",
                                          "in/p/q/x.yaml",
                                          "in/r/q/x.yaml",
                                          "in/t/q/x.yaml",
                                          "in/z/q-x-2.yaml",
                                          "in/" + longer + "/" + stem + ".yaml",
                                          "in/a/" + stem + ".yaml"};
  for (const auto& f : files) {
    fs::create_directories((dir / f).parent_path());
    fs::copy_file(dir / "nx.yaml", dir / f);
  }
  fs::create_directories(dir / "top");
  std::string out;
  ASSERT_EQ(run("batch in -o top/out --paths 4 --quiet", &out), 0) << out;
  // Nothing beside OUTDIR, and the table is a file.
  std::vector<std::string> beside;
  for (const auto& e : fs::directory_iterator(dir / "top")) beside.push_back(e.path().string());
  EXPECT_EQ(beside, std::vector<std::string>{(dir / "top" / "out").string()});
  ASSERT_TRUE(fs::is_regular_file(dir / "top/out/batch.csv"));
  // One folder per file, each holding that file's results.
  std::istringstream csv(text("top/out/batch.csv"));
  std::string line;
  std::getline(csv, line);
  std::map<std::string, std::string> folder_of;
  while (std::getline(csv, line)) {
    const std::string file = line.substr(0, line.find(','));
    const std::string rest = line.substr(file.size() + 1);
    folder_of[file] = rest.substr(0, rest.find(','));
  }
  ASSERT_EQ(folder_of.size(), files.size()) << text("top/out/batch.csv");
  std::set<std::string> folders;
  for (const auto& [file, folder] : folder_of) {
    folders.insert(folder);
    EXPECT_NE(folder, ".");
    EXPECT_NE(folder, "..");
    EXPECT_LE(folder.size(), 255u);
    const std::string summary = text("top/out/" + folder + "/summary.json");
    EXPECT_NE(summary.find("\"file\": \"" + file + "\""), std::string::npos)
        << file << " in " << folder;
  }
  EXPECT_EQ(folders.size(), files.size());
}

// A file deeper than the longest path the system takes (4096 bytes) stopped the whole batch
// with a library message ("filesystem error: status: File name too long", exit 1, no
// batch.csv); now that file fails on its own and the others run.
TEST_F(BatchNames, AFileBeyondTheLongestPathFailsAloneAndTheOthersRun) {
  fs::create_directories(dir / "in");
  fs::copy_file(dir / "nx.yaml", dir / "in" / "nx.yaml");
  // Made one folder at a time by bash, whose cd takes each step alone (dash's cd would not).
  write("deep.sh",
        "for i in $(seq 1 18); do n=$(printf '%0250d' $i); mkdir $n && cd $n || exit 1; done\n"
        "cp '" +
            (dir / "nx.yaml").string() + "' deep.yaml\n");
  ASSERT_EQ(test::shell("cd '" + (dir / "in").string() + "' && bash ../deep.sh"), 0);
  std::string out;
  EXPECT_EQ(run("batch in -o out --paths 4", &out), 1) << out.substr(0, 400);
  EXPECT_EQ(out.find("filesystem error"), std::string::npos) << out.substr(0, 400);
  EXPECT_NE(out.find("deep.yaml: cannot open the file"), std::string::npos) << out.substr(0, 400);
  EXPECT_NE(text("out/batch.csv").find("in/nx.yaml,nx,NexaCorp FY25,baseline,ok"),
            std::string::npos);
}

// --xlsx may name a file in OUTDIR before batch has made it (it was refused: "folder does not
// exist"), and no file's results folder takes the workbook's name.
TEST_F(BatchNames, TheWorkbookMayGoIntoTheFolderTheBatchMakes) {
  std::string out;
  ASSERT_EQ(run("batch nx.yaml -o fresh --paths 4 --quiet --xlsx fresh/batch.xlsx", &out), 0)
      << out;
  EXPECT_TRUE(fs::is_regular_file(dir / "fresh/batch.xlsx"));
  ASSERT_EQ(run("batch nx.yaml -o other/ --paths 4 --quiet --xlsx other/nx", &out), 0) << out;
  EXPECT_TRUE(fs::is_regular_file(dir / "other/nx"));
  EXPECT_EQ(run("batch nx.yaml -o third --paths 4 --quiet --xlsx nowhere/b.xlsx", &out), 2);
  EXPECT_NE(out.find("nowhere"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir / "third"));  // refused before OUTDIR is made
}

// salesim upgrade on files it refused or converted wrongly: the `salesim:` line after an event
// week that grows a digit (9 -> 10; it was edited at its old offset: "cannot convert ...
// perhaps a YAML alias"), a byte-order mark (every offset was 3 bytes early), and a week with
// an anchor, a tag or a plus sign. Each converted text reads as format 2 with the weeks one
// later, which upgrade_scenario_text itself proves against the original model.
struct UpgradeHostile : OutputPaths {};

const char* kFormat1Tail = R"(name: up
simulation: {horizon_weeks: 20, paths: 10}
team: {reps: 5, managers: 1}
hiring:
  - {week: WEEK, count: 1}   # kept
plans:
  - name: base
  - name: later
    from_week: 9
)";

std::string format1(const std::string& week, bool version_last) {
  std::string tail = kFormat1Tail;
  tail.replace(tail.find("WEEK"), 4, week);
  return version_last ? tail + "salesim: 1\n" : "salesim: 1\n" + tail;
}

TEST_F(UpgradeHostile, ConvertsWhereverTheVersionIsAndHoweverTheWeekIsWritten) {
  const std::vector<std::pair<std::string, std::string>> weeks = {{"9", "week: 10,"},
                                                                  {"&w 9", "week: &w 10,"},
                                                                  {"!!int 9", "week: !!int 10,"},
                                                                  {"+9", "week: +10,"},
                                                                  {"'9'", "week: '10',"}};
  for (const auto& [week, want] : weeks)
    for (bool last : {false, true})
      for (const std::string bom : {"", "\xEF\xBB\xBF"}) {
        const std::string text = bom + format1(week, last);
        std::string up;
        try {
          up = upgrade_scenario_text(text, "old.yaml");
        } catch (const ScenarioError& e) {
          ADD_FAILURE() << week << (last ? " last" : "") << (bom.empty() ? "" : " bom") << ": "
                        << e.what();
          continue;
        }
        EXPECT_NE(up.find(want), std::string::npos) << up;
        EXPECT_NE(up.find("from_week: 10\n"), std::string::npos) << up;
        EXPECT_NE(up.find("salesim: 2\n"), std::string::npos) << up;
        EXPECT_EQ(up.rfind(bom, 0), 0u);
        EXPECT_EQ(load_scenario_text(up, "new.yaml").format, 2);
      }
}

// Weeks the loader reads as whole numbers but whose digits are not the number (1e1 is 10) were
// refused as "a bug in salesim upgrade": they are asked to be written as whole numbers.
TEST_F(UpgradeHostile, AWeekWrittenAsAnExponentOrDecimalIsAskedToBeWrittenWhole) {
  for (const std::string week : {"1e1", "1.0e1", "\"1e1\"", "10.0"}) try {
      upgrade_scenario_text(format1(week, false), "old.yaml");
      ADD_FAILURE() << "converted " << week;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("old.yaml: hiring[0].week: cannot convert this week in "
                                           "place (not a plain whole number in the text"),
                std::string::npos)
          << week << ": " << e.what();
    }
}

// A week shared through an alias (an item reused by a plan, a scalar anchor reused as another
// event week) was refused; every use is an event week, so it is converted once, at its anchor.
// An anchor whose alias also gives another value (`count: *w`) is refused, naming the key.
TEST_F(UpgradeHostile, AWeekSharedThroughAnAliasIsConvertedOnce) {
  const std::string head =
      "salesim: 1\nname: a\nsimulation: {horizon_weeks: 20, paths: 10}\n"
      "team: {reps: 5, managers: 1}\n";
  const std::string item = head +
                           "hiring:\n  - &h {week: 0, count: 1}   # shared\nplans:\n  - name: b\n"
                           "  - name: c\n    hiring: [*h, {week: 19, count: 2}]\n";
  const std::string up = upgrade_scenario_text(item, "old.yaml");
  EXPECT_NE(up.find("&h {week: 1, count: 1}   # shared"), std::string::npos) << up;
  EXPECT_NE(up.find("[*h, {week: 20, count: 2}]"), std::string::npos) << up;
  const std::string scalar =
      head +
      "hiring: [{week: &w 3, count: 1}]\n"
      "plans: [{name: b}, {name: c, hiring: [{week: *w, count: 2}], from_week: *w}]\n";
  EXPECT_NE(upgrade_scenario_text(scalar, "old.yaml").find("week: &w 4,"), std::string::npos);
  try {
    upgrade_scenario_text(head + "hiring: [{week: &w 3, count: *w}]\nplans: [{name: b}]\n",
                          "old.yaml");
    ADD_FAILURE() << "converted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("old.yaml: hiring[0].count would change from 3 to 4, "
                                         "which is not an event week (hiring[0].week shares its "
                                         "value through the anchor &w)"),
              std::string::npos)
        << e.what();
  }
  // A checkpoint's week anchored and reused as an event week moved with it, 13 to 14, and the
  // results changed: the model's fingerprint has no checkpoints, the tree check has.
  for (const std::string& plans :
       {std::string("hiring: [{week: *q, count: 1}]\nplans: [{name: b}]\n"),
        std::string("plans: [{name: b}, {name: c, from_week: *q}]\n")})
    try {
      upgrade_scenario_text(head +
                                "goal: {revenue: 1000000, checkpoints: [{week: &q 13, revenue: "
                                "10000}]}\n" +
                                plans,
                            "old.yaml");
      ADD_FAILURE() << "converted: " << plans;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find(
                    "old.yaml: goal.checkpoints[0].week would change from 13 to 14, which is not "
                    "an event week"),
                std::string::npos)
          << e.what();
    }
}

// To standard output on a full disk it said "converted" and exited 0 with nothing written.
TEST_F(UpgradeHostile, AFailedWriteToStandardOutputIsAnError) {
  write("old.yaml", format1("3", false));
  std::string out;
  EXPECT_EQ(
      test::shell("cd " + dir.string() + " && { " + salesim("upgrade old.yaml") + " > /dev/full; }",
                  &out),
      1)
      << out;
  EXPECT_NE(out.find("standard output failed: the disk is full"), std::string::npos) << out;
  EXPECT_EQ(out.find("converted from format"), std::string::npos) << out;
  // A pipe whose reader has gone killed it silently (SIGPIPE, 141): exit 1, saying so. The
  // read end is closed before salesim starts, so the write always fails.
  const std::string py =
      "import os, subprocess, sys; r, w = os.pipe(); os.close(r); "
      "p = subprocess.run([sys.argv[1], 'upgrade', sys.argv[2]], stdout=w, stderr=subprocess.PIPE, "
      "text=True); print(p.returncode); print(p.stderr)";
  EXPECT_EQ(test::shell(std::string(SALESIM_PYTHON) + " -c \"" + py + "\" " + test::binary() + " " +
                            (dir / "old.yaml").string(),
                        &out),
            0)
      << out;
  EXPECT_EQ(out.rfind("1\n", 0), 0u) << out;
  EXPECT_NE(out.find("standard output failed: "), std::string::npos) << out;
}

// A folder as -o was exit 1 after converting ("cannot write sub: Is a directory"), and a folder
// as FILE was "expected a YAML map at the top level".
TEST_F(UpgradeHostile, FoldersAreRefusedAsBadInput) {
  write("old.yaml", format1("3", false));
  fs::create_directories(dir / "sub");
  std::string out;
  EXPECT_EQ(run("upgrade old.yaml -o sub", &out), 2) << out;
  EXPECT_NE(out.find("-o sub: is a folder"), std::string::npos) << out;
  EXPECT_EQ(run("upgrade sub", &out), 2) << out;
  EXPECT_NE(out.find("sub: is a folder; give a scenario file"), std::string::npos) << out;
  ASSERT_EQ(run("upgrade old.yaml -o old.yaml", &out), 0) << out;
  EXPECT_EQ(run("upgrade old.yaml -o ./old.yaml", &out), 0) << out;
  EXPECT_NE(out.find("already format 2, nothing to change\n"), std::string::npos) << out;
}

// upgrade in place made a private (0600) scenario readable by everyone: the replacing file took
// the umask's mode. A replaced file keeps its permission bits; a new one gets the umask's.
TEST_F(UpgradeHostile, AFileReplacedInPlaceKeepsItsPermissions) {
  write("old.yaml", format1("3", false));
  fs::permissions(dir / "old.yaml", fs::perms::owner_read | fs::perms::owner_write);
  std::string out;
  const auto upgrade = [&](const std::string& args) {
    return test::shell("cd " + dir.string() + " && umask 022 && " + salesim("upgrade " + args),
                       &out);
  };
  ASSERT_EQ(upgrade("old.yaml -o old.yaml"), 0) << out;
  EXPECT_NE(text("old.yaml").find("salesim: 2"), std::string::npos);
  EXPECT_EQ(fs::status(dir / "old.yaml").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  write("other.yaml", format1("3", false));
  ASSERT_EQ(upgrade("other.yaml -o new.yaml"), 0) << out;
  EXPECT_EQ(fs::status(dir / "new.yaml").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
}

// validate --explain on pipelines at the edges of their ranges: nothing is won ("weeks to close
// nan"), a stage worked opportunities never leave (exit_rate 0 read as one week there, "weeks to
// resolution 2"), and cells too wide for their column ("0.0247053*0.0444695*").
struct ValidateExplain : OutputPaths {};

TEST_F(ValidateExplain, EdgePipelinesAreSaidInWordsAndColumnsStayApart) {
  const std::string head =
      "salesim: 2\nname: edge\nsimulation: {horizon_weeks: 10, paths: 10}\n"
      "team: {reps: 5, managers: 1}\nplans: [{name: base}]\npipeline:\n  stages:\n";
  write("none.yaml", head + "    - {name: a, exit_rate: 0.5, conversion: {floor: 0, top: 0}}\n");
  write("stuck.yaml", head +
                          "    - {name: a, exit_rate: 0.5, conversion: {floor: 0.5, top: 0.5}}\n"
                          "    - {name: b, exit_rate: 0, conversion: {floor: 0.5, top: 0.5}}\n");
  write("wide.yaml", head + "    - {name: " + std::string(64, 'n') +
                         ", exit_rate: 0.0123456, conversion: {floor: 0.0247053, top: "
                         "0.0444695}}\n");
  std::string out;
  ASSERT_EQ(run("validate --explain none.yaml", &out), 0) << out;
  EXPECT_EQ(out.find("nan"), std::string::npos) << out;
  EXPECT_NE(out.find("weeks to close (won deals) none"), std::string::npos) << out;
  ASSERT_EQ(run("validate --explain stuck.yaml", &out), 0) << out;
  EXPECT_NE(out.find("weeks to resolution        unbounded   (those in stage 'b' stay there)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("never leave it: its exit_rate is 0"), std::string::npos) << out;
  ASSERT_EQ(run("validate --explain wide.yaml", &out), 0) << out;
  EXPECT_NE(out.find(std::string(64, 'n') + " "), std::string::npos) << out;
  EXPECT_NE(out.find(" 0.0123456  0.0247053  0.0444695 "), std::string::npos) << out;
  // An exit rate so small that 1 - exit_rate is 1 in doubles: the chain took the stage for one
  // nothing leaves (win rate 5e-18, a week to close, resolution never).
  write("tiny.yaml",
        head + "    - {name: a, exit_rate: 1e-17, conversion: {floor: 0.5, top: 0.5}}\n");
  ASSERT_EQ(run("validate --explain tiny.yaml", &out), 0) << out;
  EXPECT_NE(out.find("win rate                   0.5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("weeks to close (won deals) 1e+17\n"), std::string::npos) << out;
  EXPECT_NE(out.find("weeks to resolution        1e+17   (won or lost)"), std::string::npos) << out;
  // And beside a stage of ordinary rates (a pivoting LU then took 1e-17 for zero: win rate 0,
  // resolution in 0 weeks).
  write("tiny2.yaml",
        head + "    - {name: a, exit_rate: 1e-17, conversion: {floor: 0.5, top: 0.5}}\n" +
            "    - {name: b, exit_rate: 0.5, conversion: {floor: 0.5, top: 0.5}}\n");
  ASSERT_EQ(run("validate --explain tiny2.yaml", &out), 0) << out;
  EXPECT_NE(out.find("win rate                   0.25\n"), std::string::npos) << out;
  EXPECT_NE(out.find("weeks to resolution        1e+17   (won or lost)"), std::string::npos) << out;
  // --reference checks no file: a file given with it was ignored with exit 0, as if valid.
  write("broken.yaml", "salesim: 2\nname: x\nplans: 3\n");
  EXPECT_EQ(run("validate --reference broken.yaml", &out), 2) << out;
  EXPECT_NE(out.find("checks no file; run `salesim validate broken.yaml` on its own"),
            std::string::npos)
      << out;
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
