#include "heat/cli/command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "heat/core/escape.h"
#include "heat/core/text.h"
#include "heat/core/version.h"

namespace heat::cli {
namespace {

constexpr const char* kDefaultConfig = "/etc/heat/heat.yaml";

// The tree of words built from the table.
struct Node {
  CLI::App* app = nullptr;
  std::map<std::string, Node> children;
  Runner runner;  // set on leaves
  const Command* command = nullptr;
};

std::vector<std::string> Words(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(path);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void Build(Node& root, const std::vector<Command>& table) {
  for (const auto& c : table) {
    Node* n = &root;
    for (const auto& w : Words(c.path)) {
      Node& child = n->children[w];
      if (child.app == nullptr) {
        child.app = n->app->add_subcommand(w, "");
        child.app->fallthrough();
      }
      n = &child;
    }
    n->app->description(c.summary + (c.reqs.empty() ? "" : " [" + c.reqs + "]"));
    n->command = &c;
    n->runner = c.build(*n->app);
  }
  // Groups describe themselves by their children.
  std::function<void(Node&)> describe = [&](Node& n) {
    for (auto& [w, child] : n.children) {
      if (child.command == nullptr) {
        std::string names;
        for (auto& [cw, _] : child.children) names += (names.empty() ? "" : ", ") + cw;
        child.app->description(names);
        child.app->require_subcommand(0, 1);
      }
      describe(child);
    }
  };
  describe(root);
}

bool TakesValue(const std::string& arg) {
  return arg == "--format" || arg == "-f" || arg == "--config" || arg == "-c";
}

// Walks the words of argv down the tree; on a word that names no command,
// returns a usage error with suggestions. Returns the deepest node reached.
Result<Node*> Walk(Node& root, const std::string& program, const std::vector<std::string>& args) {
  Node* n = &root;
  std::string path = program;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (!a.empty() && a[0] == '-') {
      if (TakesValue(a)) ++i;
      continue;
    }
    if (n->runner || n->children.empty()) break;  // a leaf: the rest are its arguments
    auto it = n->children.find(a);
    if (it == n->children.end()) {
      std::vector<std::string> names;
      for (auto& [w, _] : n->children) names.push_back(w);
      auto s = Suggest(a, names);
      std::string msg = "'" + a + "' is not a " + path + " command.";
      if (!s.empty()) msg += " Did you mean '" + (path == program ? "" : path.substr(program.size() + 1) + " ") + s.front() + "'?";
      msg += " See '" + path + " --help'.";
      return Status::Usage(msg);
    }
    n = &it->second;
    path += " " + a;
  }
  return n;
}

Node* Deepest(Node& root) {
  Node* n = &root;
  for (;;) {
    Node* next = nullptr;
    for (auto& [w, child] : n->children)
      if (child.app->parsed()) next = &child;
    if (next == nullptr) return n;
    n = next;
  }
}

}  // namespace

const Config& Context::config() {
  if (!config_) config_ = Config::Defaults();
  return *config_;
}

Status Context::LoadConfig(bool explicit_path) {
  std::string path = config_path;
  if (path.empty()) {
    const char* env = std::getenv("HEAT_CONFIG");
    path = env ? env : kDefaultConfig;
    explicit_path = env != nullptr;
  }
  std::error_code ec;  // no exceptions: an unreadable path is "absent"
  if (!explicit_path && !std::filesystem::exists(path, ec)) {
    config_ = Config::Defaults();
    return Status::Ok();
  }
  HEAT_ASSIGN(Config c, Config::Load(path));
  config_ = std::move(c);
  return Status::Ok();
}

Result<db::Conn*> Context::Db() {
  if (!db_) {
    HEAT_ASSIGN(db::Conn c, db::Conn::Open(config().str("db.conninfo"), program_));
    // Times are shown in the company's zone, whatever the server's is.
    HEAT_TRY(c.Setup("SELECT set_config('TimeZone', $1, false)", {config().str("site.timezone")}));
    db_ = std::make_unique<db::Conn>(std::move(c));
  } else if (!db_->Alive()) {
    HEAT_TRY(db_->Reset());  // gone since the last use (a restart, a failover): the same object, connected again
  }
  return db_.get();
}

int Run(const std::string& program, const std::string& about, const std::vector<Command>& table,
        int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app(about, program);
  app.require_subcommand(0, 1);
  std::string format = "table";
  Context ctx(program, out, err);
  bool check_config = false;
  app.add_option("-f,--format", format, "output: table, csv or json")->capture_default_str();
  app.add_option("-c,--config", ctx.config_path, "configuration file (default /etc/heat/heat.yaml, or $HEAT_CONFIG)");
  app.add_flag("--check-config", check_config, "validate the configuration file and exit");
  app.set_version_flag("--version", std::string(program) + " " + Version());

  Node root;
  root.app = &app;
  Build(root, table);
  std::vector<std::string> args(argv + 1, argv + argc);

  // `help WORDS...` is the same as `WORDS... --help`.
  if (!args.empty() && args[0] == "help") {
    std::vector<std::string> words(args.begin() + 1, args.end());
    auto walked = Walk(root, program, words);
    if (!walked.ok()) { err << program << ": " << walked.status().message() << "\n"; return 2; }
    out << (*walked)->app->help();
    return 0;
  }
  auto walked = Walk(root, program, args);
  if (!walked.ok()) { err << program << ": " << walked.status().message() << "\n"; return 2; }
  // Names and values typed by people go to the database and later to
  // other people's terminals: a control character in one is refused here
  // (SYS-1), for every command of both tools.
  for (size_t i = 0; i < args.size(); ++i)
    if (size_t at = FirstControl(args[i]); at != std::string::npos) {
      err << program << ": argument " << i + 1 << " holds a control character at byte " << at
          << " (" << EscapeControl(args[i]) << "); names and values may not contain any\n";
      return 2;
    }

  try {
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app.parse(rev);
  } catch (const CLI::CallForHelp&) {
    out << Deepest(root)->app->help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << program << " " << Version() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << program << ": " << e.what() << "\n";
    err << "See '" << program << " help" << "' for the commands.\n";
    return 2;
  }
  Status st = ctx.LoadConfig(!ctx.config_path.empty());
  if (!st.ok()) { err << program << ": " << st.message() << "\n"; return st.exit_code(); }
  if (check_config) {
    out << (ctx.config_path.empty() ? "configuration" : ctx.config_path) << ": ok\n";
    return 0;
  }
  Node* n = Deepest(root);
  auto f = ParseFormat(format);
  if (f.ok()) {
    ctx.format = *f;
  } else if (n->command && std::ranges::count(n->command->more_formats, format)) {
    ctx.other_format = format;
  } else {
    err << program << ": --format: " << f.status().message() << "\n";
    return 2;
  }

  if (!n->runner) {
    (n == &root ? out : err) << n->app->help();
    return n == &root ? 0 : 2;
  }
  st = n->runner(ctx);
  if (!st.ok()) {
    // An empty message: the command has said all there is (e.g. "nothing
    // found"); only the exit code remains.
    if (!st.message().empty()) err << program << ": " << st.message() << "\n";
    return st.exit_code();
  }
  return 0;
}

}  // namespace heat::cli
