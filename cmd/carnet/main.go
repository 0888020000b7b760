// Command carnet is Carnet's server and administration tool.
//
//	carnet serve [--demo]         start the GraphQL server (migrates first)
//	carnet migrate                apply the database migrations
//	carnet init --org NAME --admin-email EMAIL
//	carnet import clients FILE.csv
//	carnet gen --third-parties N [--org NAME]
//	carnet bench search [--org NAME]
//	carnet bench load [--org NAME] [--rate R] [--duration D] [--url URL --token T]
//	carnet version
//
// Each sub-command reads the settings of internal/config it needs, from
// its flags and the environment; "carnet SUB --help" lists them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"carnet/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// runFunc runs a sub-command with its configuration and the arguments
// left after its flags.
type runFunc func(ctx context.Context, cfg config.Config, args []string, out io.Writer) error

// command is a sub-command.
type command struct {
	name     string // as typed: "serve", "bench load"
	synopsis string // what follows the name in the usage
	summary  string
	// settings are the configuration it reads (flags and variables).
	settings []*config.Setting
	// flags registers its own flags on fs and returns the function that
	// runs it once fs is parsed.
	flags func(fs *flag.FlagSet) runFunc
}

// Settings of the sub-commands that only work on the database.
var databaseSettings = []*config.Setting{config.DatabaseURL, config.GOGC, config.GOMEMLIMIT}

// commands are the sub-commands, in the order help lists them.
var commands = []command{
	{
		name: "serve", synopsis: "[--demo]", summary: "start the GraphQL server (migrates first)",
		settings: []*config.Setting{
			config.Addr, config.MetricsAddr, config.DatabaseURL, config.DataDir, config.Env, config.BlobURL, config.MaxUploadBytes,
			config.SireneBaseURL, config.SireneAPIKey, config.CORSOrigins, config.CORSHeaders, config.GraphiQL, config.AuthCacheTTL,
			config.RateLimit, config.RateBurst, config.MaxInflight, config.QueueWait, config.RequestTimeout, config.UploadTimeout,
			config.GOGC, config.GOMEMLIMIT, config.OTel,
		},
		flags: serveFlags,
	},
	{name: "migrate", summary: "apply the database migrations", settings: databaseSettings, flags: migrateFlags},
	{
		name: "init", synopsis: "--org NAME --admin-email EMAIL", summary: "create an organisation and its administrator",
		settings: databaseSettings, flags: initFlags,
	},
	{
		name: "import clients", synopsis: "[--org NAME] FILE.csv", summary: "import clients (back-office integration)",
		settings: databaseSettings, flags: importFlags,
	},
	{
		name: "gen", synopsis: "--third-parties N [--org NAME] [--seed S]", summary: "fill a database with realistic generated data",
		settings: databaseSettings, flags: genFlags,
	},
	{
		name: "bench search", synopsis: "[--org NAME] [--concurrency C] [--duration D]",
		summary:  "search benchmark: end to end and direct, p50/p95/p99",
		settings: []*config.Setting{config.DatabaseURL, config.AuthCacheTTL, config.GOGC, config.GOMEMLIMIT},
		flags:    benchSearchFlags,
	},
	{
		name: "bench load", synopsis: "[--org NAME | --url URL --token T] [--rate R] [--duration D] [--mix op=w,…]",
		summary: "load benchmark: a realistic mix at a fixed rate",
		settings: []*config.Setting{config.DatabaseURL, config.AuthCacheTTL, config.MaxInflight, config.QueueWait, config.RequestTimeout,
			config.Token, config.GOGC, config.GOMEMLIMIT},
		flags: benchLoadFlags,
	},
	{name: "version", summary: "print the version", flags: versionFlags},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "carnet:", err)
		os.Exit(1)
	}
}

// run runs the sub-command of args.
func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		writeUsage(out, commands)
		return errors.New("missing command")
	}
	if isHelp(args[0]) || args[0] == "help" {
		writeUsage(out, commands)
		return nil
	}
	cmd, rest, err := find(args)
	if err != nil {
		writeUsage(out, commands)
		return err
	}
	if cmd == nil { // a group ("bench", "import") without a known member
		group := withPrefix(args[0])
		if len(rest) > 0 && isHelp(rest[0]) {
			writeUsage(out, group)
			return nil
		}
		var lines []string
		for _, c := range group {
			lines = append(lines, "carnet "+c.name+" "+c.synopsis)
		}
		return errors.New("usage: " + strings.Join(lines, "\n       "))
	}
	return cmd.run(ctx, rest, out)
}

// run parses the flags and the configuration of c from args, then runs it.
func (c *command) run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("carnet "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help is written to out
	binding := config.Bind(fs, c.settings...)
	runCmd := c.flags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(out, fs)
			return nil
		}
		return err
	}
	cfg, err := binding.Load(os.Getenv)
	if err != nil {
		return err
	}
	if slices.Contains(c.settings, config.GOGC) {
		debug.SetGCPercent(cfg.GCPercent)
	}
	return runCmd(ctx, cfg, fs.Args(), out)
}

// find returns the command named by the first words of args and the
// arguments after its name; a nil command with no error when args name
// a group only.
func find(args []string) (*command, []string, error) {
	for i := range commands {
		words := strings.Fields(commands[i].name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return &commands[i], args[len(words):], nil
		}
	}
	if len(withPrefix(args[0])) > 0 {
		return nil, args[1:], nil
	}
	return nil, nil, fmt.Errorf("unknown command %q", args[0])
}

// withPrefix returns the commands whose name starts with the word group.
func withPrefix(group string) []command {
	var out []command
	for _, c := range commands {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c)
		}
	}
	return out
}

func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// writeUsage lists cmds.
func writeUsage(w io.Writer, cmds []command) {
	fmt.Fprint(w, "usage: carnet <command> [flags]\n\ncommands:\n")
	for _, c := range cmds {
		line := strings.TrimSpace(c.name + " " + c.synopsis)
		if len([]rune(line)) > 38 {
			fmt.Fprintf(w, "  %s\n  %-38s  %s\n", line, "", c.summary)
		} else {
			fmt.Fprintf(w, "  %-38s  %s\n", line, c.summary)
		}
	}
	fmt.Fprint(w, "\n\"carnet <command> --help\" lists the flags and environment variables of a command.\n")
}

// writeHelp writes the usage of c: its flags, then the variables it reads.
func (c *command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: carnet %s\n\n%s.\n", strings.TrimSpace(c.name+" [flags] "+c.synopsis), c.summary)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nflags:\n")
		config.WriteFlags(w, fs)
	}
	if len(c.settings) > 0 {
		fmt.Fprint(w, "\nenvironment (a flag wins over its variable; an empty variable is unset):\n")
		config.WriteEnvironment(w, c.settings)
	}
}
