package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/cli"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/internal/store/sqlite"
)

// admin runs "plugit admin --store DB ARGS" with stdin as standard input.
type admin struct {
	t  *testing.T
	db string
}

func newAdmin(t *testing.T) *admin {
	t.Setenv("PLUGIT_ADMIN_PASSWORD", "") // set for the test, then unset below
	os.Unsetenv("PLUGIT_ADMIN_PASSWORD")
	t.Setenv("PLUGIT_STORE", "")
	os.Unsetenv("PLUGIT_STORE")
	return &admin{t: t, db: filepath.Join(t.TempDir(), "plugit.db")}
}

type result struct {
	code           int
	stdout, stderr string
}

func (a *admin) run(stdin string, args ...string) result {
	a.t.Helper()
	return runMainWithStdin(a.t, stdin, append([]string{"admin", "--store", a.db}, args...)...)
}

// mustRun runs the command and fails the test unless it exits 0.
func (a *admin) mustRun(stdin string, args ...string) string {
	a.t.Helper()

	r := a.run(stdin, args...)
	if r.code != 0 {
		a.t.Fatalf("plugit admin %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// open opens the command's database, to check what it stored.
func (a *admin) open() store.Store {
	a.t.Helper()

	st, err := sqlite.Open(a.t.Context(), a.db)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { st.Close() })
	return st
}

func runMainWithStdin(t *testing.T, stdin string, args ...string) result {
	t.Helper()

	in := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(in, []byte(stdin), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()

	var stdout, stderr bytes.Buffer
	code := cli.Main(args, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func checkLogin(t *testing.T, st store.Store, username, password string) store.User {
	t.Helper()

	svc := accounts.New(st, accounts.Config{})
	u, err := svc.Authenticate(t.Context(), username, password, "")
	if err != nil {
		t.Fatalf("login as %s: %v", username, err)
	}
	return u
}

func TestAdminUserCreate(t *testing.T) {
	a := newAdmin(t)

	out := a.mustRun("stdin passphrase\n", "user", "create", "--username", "alice", "--email", "alice@example.org",
		"--first-name", "Alice", "--platform-admin")
	if !regexp.MustCompile(`^created user alice \(pk 1, uuid [0-9a-f-]{36}, platform admin: yes\)\n$`).MatchString(out) {
		t.Errorf("output %q does not report the new user", out)
	}

	passwordFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(passwordFile, []byte("file passphrase\r\nsecond line ignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.mustRun("", "user", "create", "--username", "bob", "--email", "bob@example.org", "--password-file", passwordFile)

	t.Setenv("PLUGIT_ADMIN_PASSWORD", "environment passphrase")
	a.mustRun("ignored stdin passphrase\n", "user", "create", "--username", "carol", "--email", "carol@example.org")

	st := a.open()
	if u := checkLogin(t, st, "alice", "stdin passphrase"); !u.IsPlatformAdmin || u.FirstName != "Alice" {
		t.Errorf("alice = %+v, want a platform administrator named Alice", u)
	}
	if u := checkLogin(t, st, "bob", "file passphrase"); u.IsPlatformAdmin {
		t.Error("bob is a platform administrator")
	}
	checkLogin(t, st, "carol", "environment passphrase")

	list := a.mustRun("", "user", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "PK") {
		t.Fatalf("user list has %d lines, want a header and 3 users:\n%s", len(lines), list)
	}
	for i, want := range []string{"alice", "bob", "carol"} {
		if fields := strings.Fields(lines[i+1]); len(fields) < 2 || fields[1] != want {
			t.Errorf("line %d of user list = %q, want user %s", i+1, lines[i+1], want)
		}
	}
	if strings.Contains(list, "$argon2id$") {
		t.Error("user list shows password hashes")
	}
}

func TestAdminUserCreateRejects(t *testing.T) {
	a := newAdmin(t)
	a.mustRun("first passphrase\n", "user", "create", "--username", "alice", "--email", "alice@example.org")

	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"missing username", "long passphrase\n", []string{"--email", "x@example.org"}, "missing --username"},
		{"missing email", "long passphrase\n", []string{"--username", "bob"}, "missing --email"},
		{"no password", "", []string{"--username", "bob", "--email", "bob@example.org"}, "no password in standard input"},
		{
			"short password",
			"short\n",
			[]string{"--username", "bob", "--email", "bob@example.org"},
			"invalid password: must have at least 10",
		},
		{
			"invalid username",
			"long passphrase\n",
			[]string{"--username", "b!", "--email", "bob@example.org"},
			"invalid username",
		},
		{"invalid email", "long passphrase\n", []string{"--username", "bob", "--email", "bob@"}, "invalid email"},
		{
			"taken username",
			"long passphrase\n",
			[]string{"--username", "Alice", "--email", "bob@example.org"},
			"username is already taken",
		},
		{
			"taken email",
			"long passphrase\n",
			[]string{"--username", "bob", "--email", "alice@example.org"},
			"e-mail address is already in use",
		},
		{
			"missing password file",
			"",
			[]string{"--username", "bob", "--email", "bob@example.org", "--password-file", "/nonexistent/pw"},
			"reading --password-file",
		},
		{
			"extra argument",
			"long passphrase\n",
			[]string{"--username", "bob", "--email", "bob@example.org", "extra"},
			`unexpected argument "extra"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.run(tt.stdin, append([]string{"user", "create"}, tt.args...)...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (usage error)", r.code)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", r.stderr, tt.want)
			}
		})
	}

	users, err := a.open().ListUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 {
		t.Errorf("%d users after the rejected commands, want only alice", len(users))
	}
}

func TestAdminOrgas(t *testing.T) {
	a := newAdmin(t)
	a.mustRun("long passphrase\n", "user", "create", "--username", "alice", "--email", "alice@example.org")

	out := a.mustRun("", "orga", "create", "--name", "European Broadcasting Union", "--codops", "EBU")
	if out != "created organisation European Broadcasting Union (pk 1, codops EBU)\n" {
		t.Errorf("orga create printed %q", out)
	}
	a.mustRun("", "orga", "create", "--name", "RTS", "--codops", "RTS")
	a.mustRun("", "orga", "add-member", "--orga", "1", "--user", "alice", "--owner")
	a.mustRun("", "orga", "add-member", "--orga", "2", "--user", "alice")

	orgas, err := a.open().ListUserOrgas(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgas) != 2 || !orgas[0].IsOwner || orgas[1].IsOwner || orgas[0].Orga.Codops != "EBU" {
		t.Errorf("alice's organisations = %+v, want owner of EBU and member of RTS", orgas)
	}

	list := a.mustRun("", "orga", "list")
	if !strings.Contains(list, "European Broadcasting Union") || !strings.Contains(list, "RTS") {
		t.Errorf("orga list does not show both organisations:\n%s", list)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"orga", "create", "--codops", "X"}, "missing --name"},
		{[]string{"orga", "add-member", "--orga", "9", "--user", "alice"}, "no organisation has the PK 9"},
		{[]string{"orga", "add-member", "--orga", "1", "--user", "nobody"}, `no account has the username "nobody"`},
		{[]string{"orga", "add-member", "--user", "alice"}, "missing --orga"},
		{[]string{"orga", "add-member", "--orga", "one", "--user", "alice"}, `invalid value "one"`},
	} {
		r := a.run("", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

var apiKeyLine = regexp.MustCompile(`(?m)^API key: ([A-Z2-7]{52})$`)

func TestAdminServices(t *testing.T) {
	a := newAdmin(t)
	a.mustRun("long passphrase\n", "user", "create", "--username", "alice", "--email", "alice@example.org")

	out := a.mustRun("", "service", "add", "--key", "polls", "--name", "Polls", "--url", "http://127.0.0.1:5000/")
	match := apiKeyLine.FindStringSubmatch(out)
	if match == nil {
		t.Fatalf("service add printed no generated API key:\n%s", out)
	}

	keyFile := filepath.Join(t.TempDir(), "api-key")
	if err := os.WriteFile(keyFile, []byte("a-key-of-my-own-choosing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out = a.mustRun("", "service", "add", "--key", "wiki", "--name", "Wiki", "--url", "https://wiki.example.org",
		"--api-key-file", keyFile)
	if strings.Contains(out, "a-key-of-my-own-choosing") || strings.Contains(out, "API key") {
		t.Errorf("service add printed a key read from a file:\n%s", out)
	}

	a.mustRun("", "service", "add-member", "--service", "polls", "--user", "alice", "--admin")

	st := a.open()
	polls, err := st.ServiceByKey(t.Context(), "polls")
	if err != nil {
		t.Fatal(err)
	}
	if polls.APIKey != match[1] || polls.Name != "Polls" || polls.URL != "http://127.0.0.1:5000/" {
		t.Errorf("stored service %+v, want Polls with the printed API key", polls)
	}
	wiki, err := st.ServiceByKey(t.Context(), "wiki")
	if err != nil {
		t.Fatal(err)
	}
	if wiki.APIKey != "a-key-of-my-own-choosing" {
		t.Errorf("wiki's API key = %q, want the file's", wiki.APIKey)
	}
	if isAdmin, err := st.ServiceMembership(t.Context(), "polls", 1); err != nil || !isAdmin {
		t.Errorf("alice's membership of polls: admin %t, %v; want admin", isAdmin, err)
	}

	list := a.mustRun("", "service", "list")
	if !strings.Contains(list, "polls") || !strings.Contains(list, "wiki") || strings.Contains(list, match[1]) {
		t.Errorf("service list must show both services and no API key:\n%s", list)
	}
}

func TestAdminServiceRejects(t *testing.T) {
	a := newAdmin(t)
	a.mustRun("", "service", "add", "--key", "polls", "--name", "Polls", "--url", "http://127.0.0.1:5000/")
	shortKey := filepath.Join(t.TempDir(), "short")
	if err := os.WriteFile(shortKey, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{
			[]string{"service", "add", "--key", "polls", "--name", "P", "--url", "http://127.0.0.1:1/"},
			`key "polls" already exists`,
		},
		{
			[]string{"service", "add", "--key", "a/b", "--name", "P", "--url", "http://127.0.0.1:1/"},
			"may contain only letters",
		},
		{
			[]string{"service", "add", "--key", "x", "--name", "P", "--url", "127.0.0.1:1"},
			"not an absolute http or https URL",
		},
		{
			[]string{"service", "add", "--key", "x", "--name", "P", "--url", "http://127.0.0.1:1/", "--api-key-file", shortKey},
			"want at least 16",
		},
		{[]string{"service", "add", "--name", "P", "--url", "http://127.0.0.1:1/"}, "missing --key"},
		{[]string{"service", "add-member", "--service", "nope", "--user", "alice"}, `no service has the key "nope"`},
		{[]string{"service", "add-member", "--service", "polls", "--user", "nobody"}, `no account has the username "nobody"`},
	} {
		r := a.run("", tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}

	services, err := a.open().ListServices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(services) != 1 || services[0].Name != "Polls" {
		t.Errorf("services after the rejected commands: %+v, want Polls unchanged", services)
	}
}

func TestAdminSubscriptions(t *testing.T) {
	a := newAdmin(t)
	a.mustRun("long passphrase\n", "user", "create", "--username", "alice", "--email", "alice@example.org")
	a.mustRun("", "service", "add", "--key", "polls", "--name", "Polls", "--url", "http://127.0.0.1:5000/")

	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	out := a.mustRun("", "subscription", "add", "--service", "polls", "--user", "alice", "--label", "gold")
	if !strings.Contains(out, "never ends") {
		t.Errorf("subscription add printed %q, want it to say it never ends", out)
	}
	out = a.mustRun("", "subscription", "add", "--service", "polls", "--user", "alice", "--label", "beta",
		"--until", future)
	if !strings.Contains(out, "ends "+future) {
		t.Errorf("subscription add printed %q, want the end time", out)
	}
	a.mustRun("", "subscription", "add", "--service", "polls", "--user", "alice", "--label", "trial", "--until", past)

	labels, err := a.open().ActiveSubscriptionLabels(t.Context(), "polls", 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(labels, ",") != "beta,gold" {
		t.Errorf("active labels = %q, want [beta gold]", labels)
	}

	r := a.run("", "subscription", "add", "--service", "polls", "--user", "alice", "--label", "x", "--until", "tomorrow")
	if r.code != 2 || !strings.Contains(r.stderr, `--until "tomorrow" is not an RFC 3339 time`) {
		t.Errorf("bad --until: exit %d, stderr %q", r.code, r.stderr)
	}
	r = a.run("", "subscription", "add", "--service", "polls", "--user", "alice")
	if r.code != 2 || !strings.Contains(r.stderr, "missing --label") {
		t.Errorf("missing --label: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestAdminStoreFromEnvironment(t *testing.T) {
	newAdmin(t)
	db := filepath.Join(t.TempDir(), "from-env.db")
	t.Setenv("PLUGIT_STORE", "sqlite:"+db)

	r := runMainWithStdin(t, "", "admin", "orga", "create", "--name", "EBU", "--codops", "EBU")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.OrgaByPK(t.Context(), 1); err != nil {
		t.Errorf("organisation not in PLUGIT_STORE's database: %v", err)
	}
}

func TestAdminUsage(t *testing.T) {
	a := newAdmin(t)

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "missing GROUP ACTION"},
		{[]string{"user"}, 2, "missing GROUP ACTION"},
		{[]string{"user", "delete"}, 2, `unknown action "user delete"`},
		{[]string{"-h"}, 0, "subscription add"},
		{[]string{"service", "add", "-h"}, 0, "-api-key-file"},
	} {
		r := a.run("", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, r.code, r.stderr, tt.code, tt.want)
		}
	}

	// Help and usage errors do not create the database.
	if _, err := os.Stat(a.db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("database exists after usage errors only: %v", err)
	}
}

func TestAdminStoreOpenError(t *testing.T) {
	a := newAdmin(t)
	a.db = filepath.Join(t.TempDir(), "missing-folder", "plugit.db")

	r := a.run("", "user", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "missing-folder") {
		t.Errorf("store in a missing folder: exit %d, stderr %q; want 1 and the path", r.code, r.stderr)
	}
}
