package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"carnet/internal/auth"
	"carnet/internal/config"
	"carnet/internal/db"
	"carnet/internal/demo"
	"carnet/internal/rights"
	"carnet/internal/testdb"
)

// databaseURL returns the URL of a fresh, empty database of dialect dia
// (not migrated: the commands do it), removed after t.
func databaseURL(t *testing.T, dia string) string {
	t.Helper()
	if dia == dialect.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "c.db")
	}
	return testdb.PostgresSchemaURL(t) // a schema of its own, not migrated
}

// forEachDatabase runs fn on a fresh database URL of each dialect under
// test.
func forEachDatabase(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Helper()
	for _, dia := range testdb.Dialects() {
		t.Run(dia, func(t *testing.T) { fn(t, databaseURL(t, dia)) })
	}
}

// carnet runs the command line and returns what it printed.
func carnet(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

// openDB opens (without migrating) the database the commands used.
func openDB(t *testing.T, dbURL string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

var tokenLine = regexp.MustCompile(`^CARNET_TOKEN=(carnet_[A-Za-z0-9_-]+)$`)

// tokenOf returns the token of init's output, which must print exactly
// one CARNET_TOKEN line.
func tokenOf(t *testing.T, out string) string {
	t.Helper()
	var tokens []string
	for _, line := range strings.Split(out, "\n") {
		if m := tokenLine.FindStringSubmatch(line); m != nil {
			tokens = append(tokens, m[1])
		}
	}
	if len(tokens) != 1 {
		t.Fatalf("init printed %d CARNET_TOKEN=carnet_… lines, want 1:\n%s", len(tokens), out)
	}
	return tokens[0]
}

// initOrganisation runs carnet init and returns the token it printed.
func initOrganisation(t *testing.T, dbURL, org, email string) string {
	t.Helper()
	out, err := carnet(t, "init", "--database", dbURL, "--org", org, "--admin-email", email)
	if err != nil {
		t.Fatalf("carnet init --org %q: %v\n%s", org, err, out)
	}
	return tokenOf(t, out)
}

// organisationNames lists the organisations of the database, sorted.
func organisationNames(t *testing.T, d *db.DB) []string {
	t.Helper()
	orgs, err := d.Client.Organisation.Query().All(auth.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range orgs {
		names = append(names, o.Name)
	}
	slices.Sort(names)
	return names
}

func TestInitPrintsATokenThatAuthenticatesWithEveryRight(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		token := initOrganisation(t, dbURL, "Maison Dupond", "admin@dupond.example")

		d := openDB(t, dbURL)
		ctx := context.Background()
		v, err := auth.Authenticate(ctx, d.Client, token)
		if err != nil {
			t.Fatalf("the printed token does not authenticate: %v", err)
		}
		got := make([]int, 0, len(v.Rights))
		for r := range v.Rights {
			got = append(got, int(r))
		}
		slices.Sort(got)
		if want := rights.AllCodes(); !slices.Equal(got, want) {
			t.Errorf("the administrator holds rights %v, want every right %v", got, want)
		}
		org, err := d.Client.Organisation.Get(auth.System(ctx), v.OrgID)
		if err != nil || org.Name != "Maison Dupond" {
			t.Errorf("the token's organisation = %v (%v), want Maison Dupond", org, err)
		}
		if _, err := auth.Authenticate(ctx, d.Client, token+"x"); err == nil {
			t.Error("a token that was not printed authenticates")
		}
	})
}

func TestInitTwiceCreatesTwoOrganisationsWithTheirOwnTokens(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		tokenA := initOrganisation(t, dbURL, "Alpha", "admin@alpha.example")
		tokenB := initOrganisation(t, dbURL, "Bêta", "admin@beta.example")
		if tokenA == tokenB {
			t.Fatal("both organisations got the same token")
		}
		d := openDB(t, dbURL)
		if got := organisationNames(t, d); !slices.Equal(got, []string{"Alpha", "Bêta"}) {
			t.Fatalf("organisations = %q, want Alpha and Bêta", got)
		}
		ctx := context.Background()
		va, errA := auth.Authenticate(ctx, d.Client, tokenA)
		vb, errB := auth.Authenticate(ctx, d.Client, tokenB)
		if errA != nil || errB != nil {
			t.Fatalf("tokens do not authenticate: %v, %v", errA, errB)
		}
		if va.OrgID == vb.OrgID || va.UserID == vb.UserID {
			t.Errorf("both tokens are of organisation %d / user %d and %d / %d, want different ones", va.OrgID, va.UserID, vb.OrgID, vb.UserID)
		}
	})
}

func TestInitRefusesBadArgumentsAndCreatesNothing(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"bad e-mail", []string{"--org", "Alpha", "--admin-email", "not-an-email"}, "not-an-email"},
		{"e-mail with a display name", []string{"--org", "Alpha", "--admin-email", "Admin <admin@alpha.example>"}, "e-mail"},
		{"no --org", []string{"--admin-email", "admin@alpha.example"}, "--org"},
		{"blank --org", []string{"--org", "   ", "--admin-email", "admin@alpha.example"}, "name"},
		{"no --admin-email", []string{"--org", "Alpha"}, "--admin-email"},
		{"unknown flag", []string{"--org", "Alpha", "--admin-email", "admin@alpha.example", "--colour", "red"}, "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachDatabase(t, func(t *testing.T, dbURL string) {
				out, err := carnet(t, append([]string{"init", "--database", dbURL}, c.args...)...)
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want an error mentioning %q", err, c.wantErr)
				}
				if strings.Contains(out, "CARNET_TOKEN=") {
					t.Errorf("a failed init printed a token:\n%s", out)
				}
				if _, err := carnet(t, "migrate", "--database", dbURL); err != nil {
					t.Fatal(err)
				}
				if got := organisationNames(t, openDB(t, dbURL)); len(got) != 0 {
					t.Errorf("a failed init created organisations %q", got)
				}
			})
		})
	}
}

func TestMigratePrintsMigrationsAppliedAndIsIdempotent(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		for i := 1; i <= 2; i++ {
			out, err := carnet(t, "migrate", "--database", dbURL)
			if err != nil {
				t.Fatalf("migrate #%d: %v", i, err)
			}
			if out != "migrations applied\n" {
				t.Fatalf("migrate #%d printed %q, want %q", i, out, "migrations applied\n")
			}
		}
		// The schema is there: an organisation can be created and read.
		initOrganisation(t, dbURL, "Alpha", "admin@alpha.example")
		if out, err := carnet(t, "migrate", "--database", dbURL); err != nil || out != "migrations applied\n" {
			t.Fatalf("migrate on a used database: %q, %v", out, err)
		}
		if got := organisationNames(t, openDB(t, dbURL)); !slices.Equal(got, []string{"Alpha"}) {
			t.Errorf("organisations after re-migrating = %q, want Alpha kept", got)
		}
	})
}

func TestMigrateRefusesAnUnknownDatabaseURL(t *testing.T) {
	_, err := carnet(t, "migrate", "--database", "mysql://localhost/carnet")
	if err == nil || !strings.Contains(err.Error(), "sqlite:") {
		t.Fatalf("err = %v, want an error naming the supported URLs", err)
	}
}

// writeCSV writes a CSV file and returns its path.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clients.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportClientsPrintsCountsThenOneLinePerRejectedLine(t *testing.T) {
	const csv = "code;name;siret;postalCode;city;closed\n" +
		"C0001;Boulangerie Lefèvre;73282932000074;75011;Paris;non\n" +
		"C0002;Mauvais SIRET;73282932000075;75011;Paris;non\n" +
		"C0003;Quincaillerie Martin;;69001;Lyon;oui\n"
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		initOrganisation(t, dbURL, "Alpha", "admin@alpha.example")
		file := writeCSV(t, csv)

		for _, want := range []string{"created 2, updated 0, rejected 1", "created 0, updated 2, rejected 1"} {
			out, err := carnet(t, "import", "clients", "--database", dbURL, file)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) != 2 {
				t.Fatalf("import printed %d lines, want the counts and one rejected line:\n%s", len(lines), out)
			}
			if lines[0] != want {
				t.Errorf("first line %q, want %q", lines[0], want)
			}
			if !strings.HasPrefix(lines[1], "line 3: ") || !strings.Contains(lines[1], "siret") {
				t.Errorf("rejected line %q, want \"line 3: …siret…\"", lines[1])
			}
		}
	})
}

func TestImportClientsNeedsOrgWhenTheDatabaseHoldsSeveral(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		initOrganisation(t, dbURL, "Alpha", "admin@alpha.example")
		initOrganisation(t, dbURL, "Bêta", "admin@beta.example")
		file := writeCSV(t, "code,name\nC1,Un\n")

		if _, err := carnet(t, "import", "clients", "--database", dbURL, file); err == nil || !strings.Contains(err.Error(), "--org") {
			t.Fatalf("err = %v, want an error asking for --org", err)
		}
		if _, err := carnet(t, "import", "clients", "--database", dbURL, "--org", "Gamma", file); err == nil || !strings.Contains(err.Error(), "Gamma") {
			t.Fatalf("err = %v, want an error naming the unknown organisation Gamma", err)
		}
		out, err := carnet(t, "import", "clients", "--database", dbURL, "--org", "Bêta", file)
		if err != nil || out != "created 1, updated 0, rejected 0\n" {
			t.Fatalf("import --org Bêta = %q, %v; want %q", out, err, "created 1, updated 0, rejected 0\n")
		}
	})
}

func TestImportClientsRefusesBadArguments(t *testing.T) {
	dbURL := databaseURL(t, dialect.SQLite)
	initOrganisation(t, dbURL, "Alpha", "admin@alpha.example")
	file := writeCSV(t, "code,name\nC1,Un\n")
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no sub-command", []string{"import"}, "usage"},
		{"unknown sub-command", []string{"import", "prospects", "--database", dbURL, file}, "usage"},
		{"no file", []string{"import", "clients", "--database", dbURL}, "usage"},
		{"two files", []string{"import", "clients", "--database", dbURL, file, file}, "usage"},
		{"missing file", []string{"import", "clients", "--database", dbURL, filepath.Join(t.TempDir(), "absent.csv")}, "absent.csv"},
		{"bad header", []string{"import", "clients", "--database", dbURL, writeCSV(t, "code,colour\nC1,rouge\n")}, "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := carnet(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want an error mentioning %q", err, c.wantErr)
			}
			if strings.Contains(out, "created") {
				t.Errorf("a refused import printed counts: %q", out)
			}
		})
	}
}

func TestUnknownOrMissingCommandFailsWithTheUsage(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown command", []string{"frobnicate"}, `"frobnicate"`},
		{"no command", nil, "missing command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := carnet(t, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want an error mentioning %s", err, c.wantErr)
			}
			if !strings.HasPrefix(out, "usage: carnet") {
				t.Errorf("output %q, want the usage", out)
			}
		})
	}
}

func TestHelpPrintsTheUsageWithoutError(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		out, err := carnet(t, arg)
		if err != nil || !strings.HasPrefix(out, "usage: carnet") || !strings.Contains(out, "import clients") {
			t.Errorf("carnet %s = %q, %v; want the usage and no error", arg, out, err)
		}
	}
}

func TestVersionPrintsCarnetDev(t *testing.T) {
	out, err := carnet(t, "version")
	if err != nil || out != "carnet dev\n" {
		t.Fatalf("carnet version = %q, %v; want %q", out, err, "carnet dev\n")
	}
}

// TestDemoLoadsOnlyIntoAnEmptyDatabase covers what serve --demo relies
// on (serve itself blocks): tokens for the demo users, then ErrNotEmpty.
func TestDemoLoadsOnlyIntoAnEmptyDatabase(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, dbURL string) {
		if out, err := carnet(t, "migrate", "--database", dbURL); err != nil {
			t.Fatalf("migrate: %v\n%s", err, out)
		}
		d := openDB(t, dbURL)
		ctx := context.Background()
		tokens, err := demo.Load(ctx, d.Client, nil)
		if err != nil {
			t.Fatalf("demo.Load on an empty database: %v", err)
		}
		if len(tokens) < 6 {
			t.Fatalf("demo.Load returned %d tokens, want one per demo user and the other organisation's", len(tokens))
		}
		orgs := map[int]bool{}
		for _, tok := range tokens {
			v, err := auth.Authenticate(ctx, d.Client, tok.Token)
			if err != nil {
				t.Fatalf("demo token of %s does not authenticate: %v", tok.Who, err)
			}
			orgs[v.OrgID] = true
		}
		if len(orgs) != 2 {
			t.Errorf("demo tokens belong to %d organisations, want 2", len(orgs))
		}
		if _, err := demo.Load(ctx, d.Client, nil); !errors.Is(err, demo.ErrNotEmpty) {
			t.Errorf("second demo.Load: err = %v, want ErrNotEmpty", err)
		}
		if got := organisationNames(t, d); len(got) != 2 {
			t.Errorf("organisations after a refused second load = %q, want the 2 demo ones", got)
		}
	})
}

// TestBenchLoadRunsOnTheDatabaseOfItsFlags: bench load reads --database
// and --org, sends its mix and prints the table; bad flags are refused.
func TestBenchLoadRunsOnTheDatabaseOfItsFlags(t *testing.T) {
	dbURL := databaseURL(t, dialect.SQLite)
	if out, err := carnet(t, "migrate", "--database", dbURL); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if _, err := demo.Load(context.Background(), openDB(t, dbURL).Client, nil); err != nil {
		t.Fatal(err)
	}
	out, err := carnet(t, "bench", "load", "--database", dbURL, "--org", "Maison Carnet Démo",
		"--rate", "20", "--duration", "500ms", "--mix", "createProspect=0, search=10")
	if err != nil {
		t.Fatalf("bench load: %v\n%s", err, out)
	}
	for _, want := range []string{"20 req/s", "search", "openRecord", "errors: none"} {
		if !strings.Contains(out, want) {
			t.Errorf("output without %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "createProspect") {
		t.Errorf("createProspect=0 left in the mix:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--mix", "search"}, "op=weight"},
		{[]string{"--mix", "nope=1"}, "unknown operation"},
		{[]string{"--url", "http://127.0.0.1:1", "--token", ""}, "--token"},
	} {
		args := append([]string{"bench", "load", "--database", dbURL, "--org", "Maison Carnet Démo", "--duration", "100ms"}, c.args...)
		if _, err := carnet(t, args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}

func TestRunSetsTheGCPercentOfGOGCOrCarnetsDefault(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	dbURL := databaseURL(t, dialect.SQLite)
	for _, c := range []struct {
		gogc string
		want int
	}{
		{"", config.DefaultGCPercent},
		{"50", 50}, // what the runtime read at start: kept
		{"off", -1},
	} {
		t.Setenv("GOGC", c.gogc)
		if out, err := carnet(t, "migrate", "--database", dbURL); err != nil {
			t.Fatalf("GOGC=%q: migrate: %v\n%s", c.gogc, err, out)
		}
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q: GC percent %d, want %d", c.gogc, got, c.want)
		}
	}
	t.Setenv("GOGC", "lots")
	if _, err := carnet(t, "migrate", "--database", dbURL); err == nil || !strings.Contains(err.Error(), "GOGC") {
		t.Errorf("GOGC=lots: err = %v, want an error naming GOGC", err)
	}
}

func TestTheDefaultDatabaseIsTheDatabasePackages(t *testing.T) {
	if got := config.Defaults().DatabaseURL; got != db.DefaultURL {
		t.Errorf("config's default database %q, db's %q", got, db.DefaultURL)
	}
}

func TestABadVariableStopsTheCommandWithItsName(t *testing.T) {
	dbURL := databaseURL(t, dialect.SQLite)
	t.Setenv("DATABASE_URL", "mysql://localhost/carnet")
	_, err := carnet(t, "migrate")
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "sqlite:PATH") {
		t.Fatalf("err = %v, want an error naming DATABASE_URL and its form", err)
	}
	if out, err := carnet(t, "migrate", "--database", dbURL); err != nil {
		t.Fatalf("the flag does not override the bad variable: %v\n%s", err, out)
	}
	// serve stops before it opens anything.
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("CARNET_MAX_UPLOAD_BYTES", "12X")
	_, err = carnet(t, "serve", "--addr", "127.0.0.1:0")
	if want := `CARNET_MAX_UPLOAD_BYTES: "12X" is not a size`; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	// A variable a command does not read is not checked by it.
	if out, err := carnet(t, "migrate"); err != nil {
		t.Fatalf("migrate with a bad CARNET_MAX_UPLOAD_BYTES: %v\n%s", err, out)
	}
}

func TestHelpOfEachCommandExitsZeroWithItsFlagsAndVariables(t *testing.T) {
	cases := []struct {
		args     []string
		want     []string
		dontWant []string
	}{
		{[]string{"serve"}, []string{
			"usage: carnet serve", "-demo", "-addr", "-database", "-data-dir", "-env", "-blob-url", "-max-upload-bytes",
			"CARNET_ADDR", "DATABASE_URL", "CARNET_DATA_DIR", "CARNET_ENV", "CARNET_BLOB_URL", "CARNET_MAX_UPLOAD_BYTES",
			"CARNET_SIRENE_BASE_URL", "CARNET_SIRENE_API_KEY", "CARNET_CORS_ORIGINS", "CARNET_AUTH_CACHE_TTL",
			"CARNET_RATE_LIMIT", "CARNET_RATE_BURST", "GOGC", "GOMEMLIMIT", "OTEL_EXPORTER_OTLP_ENDPOINT",
		}, []string{"-org", "CARNET_TOKEN"}},
		{[]string{"migrate"}, []string{"usage: carnet migrate", "-database", "DATABASE_URL", "GOGC"}, []string{"-addr", "CARNET_RATE_LIMIT", "-demo"}},
		{[]string{"init"}, []string{"-org", "-admin-email", "-database", "DATABASE_URL"}, []string{"-addr", "CARNET_CORS_ORIGINS"}},
		{[]string{"import", "clients"}, []string{"usage: carnet import clients", "FILE.csv", "-org", "DATABASE_URL"}, []string{"-addr"}},
		{[]string{"gen"}, []string{"-third-parties", "-seed", "DATABASE_URL"}, []string{"-addr"}},
		{[]string{"bench", "search"}, []string{"-concurrency", "-cpuprofile", "DATABASE_URL", "CARNET_AUTH_CACHE_TTL"}, []string{"-addr", "CARNET_TOKEN"}},
		{[]string{"bench", "load"}, []string{"-rate", "-mix", "-url", "-token", "CARNET_TOKEN", "CARNET_AUTH_CACHE_TTL"}, []string{"-addr", "-concurrency"}},
		{[]string{"version"}, []string{"usage: carnet version"}, []string{"DATABASE_URL"}},
	}
	for _, c := range cases {
		for _, h := range []string{"--help", "-h"} {
			t.Run(strings.Join(c.args, " ")+" "+h, func(t *testing.T) {
				t.Setenv("CARNET_MAX_UPLOAD_BYTES", "12X") // help is not a start: no check
				out, err := carnet(t, append(slices.Clone(c.args), h)...)
				if err != nil {
					t.Fatalf("err = %v, want none (exit 0)", err)
				}
				for _, w := range c.want {
					if !strings.Contains(out, w) {
						t.Errorf("help without %q:\n%s", w, out)
					}
				}
				for _, w := range c.dontWant {
					if strings.Contains(out, w) {
						t.Errorf("help with %q, which the command does not read:\n%s", w, out)
					}
				}
			})
		}
	}
}

// configurationTable returns the documentation's configuration table:
// the Markdown table holding the row of CARNET_ADDR, in the README or,
// should it move, in docs/.
func configurationTable(t *testing.T) string {
	t.Helper()
	files, _ := filepath.Glob("../../docs/*.md")
	for _, name := range append([]string{"../../README.md"}, files...) {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, after, ok := strings.Cut(string(text), "\n| `CARNET_ADDR`")
		if !ok {
			continue
		}
		before, _, _ := strings.Cut(string(text), "\n| `CARNET_ADDR`")
		head := before[strings.LastIndex(before, "\n\n")+2:]
		rows, _, _ := strings.Cut(after, "\n\n")
		return head + "\n| `CARNET_ADDR`" + rows
	}
	t.Fatal("no configuration table (a row of CARNET_ADDR) in README.md nor docs/")
	return ""
}

func TestEveryVariableOfTheREADMEIsInTheHelpOfACommand(t *testing.T) {
	table := configurationTable(t)
	var help strings.Builder
	for _, c := range commands {
		out, err := carnet(t, append(strings.Fields(c.name), "--help")...)
		if err != nil {
			t.Fatalf("%s --help: %v", c.name, err)
		}
		help.WriteString(out)
	}
	variable := regexp.MustCompile("`((?:CARNET|DATABASE|GO)[A-Z_]*|OTEL_EXPORTER_OTLP_ENDPOINT)`")
	flagName := regexp.MustCompile("`(--[a-z-]+)`")
	checked := 0
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range append(variable.FindAllStringSubmatch(line, -1), flagName.FindAllStringSubmatch(line, -1)...) {
			checked++
			name := strings.TrimPrefix(m[1], "-") // Go's flag help shows -addr
			if !strings.Contains(help.String(), name) {
				t.Errorf("%s (README) is in no command's help", m[1])
			}
		}
	}
	if checked < 20 {
		t.Errorf("found %d variables and flags in the configuration table, want its 15 variables and 6 flags:\n%s", checked, table)
	}
}
