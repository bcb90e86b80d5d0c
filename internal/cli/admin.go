package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/plugit-go/plugit/internal/store"
	_ "github.com/plugit-go/plugit/internal/store/postgres" // registers the postgres:// store
	_ "github.com/plugit-go/plugit/internal/store/sqlite"   // registers the SQLite store
)

// adminAction is one "plugit admin GROUP ACTION" command.
type adminAction struct {
	group, name string
	summary     string
	run         func(ctx context.Context, a *adminEnv, args []string) error
}

var adminActions = []adminAction{
	{"user", "create", "create an account, password from --password-file, PLUGIT_ADMIN_PASSWORD or standard input",
		runUserCreate},
	{"user", "list", "list the accounts", runUserList},
	{"orga", "create", "create an organisation", runOrgaCreate},
	{"orga", "list", "list the organisations", runOrgaList},
	{"orga", "add-member", "add an account to an organisation, or change its owner flag", runOrgaAddMember},
	{"service", "add", "add a hosted service and print its API key once", runServiceAdd},
	{"service", "list", "list the hosted services", runServiceList},
	{"service", "add-member", "add an account to a service's members, or change its admin flag", runServiceAddMember},
	{"subscription", "add", "give an account a subscription label for a service", runSubscriptionAdd},
}

// adminEnv is the environment of an admin action: the command's streams
// and the store, opened on first use.
type adminEnv struct {
	*environment
	dsn   string
	store store.Store
}

// open opens the store the first time it is called.
func (a *adminEnv) open(ctx context.Context) (store.Store, error) {
	if a.store != nil {
		return a.store, nil
	}

	st, err := store.Open(ctx, a.dsn)
	if err != nil {
		return nil, err
	}
	a.store = st
	return st, nil
}

func runAdmin(ctx context.Context, env *environment, args []string) error {
	fs := newFlagSet("admin", "admin [--store DSN] GROUP ACTION [flags]", env.stderr)
	printFlags := fs.Usage
	fs.Usage = func() {
		printFlags()
		printAdminActions(env.stderr)
	}

	// The action's own flags follow GROUP ACTION, so parseFlags, which
	// rejects arguments, cannot read these: PLUGIT_STORE is read here.
	defaultDSN := "plugit.db"
	if v, ok := os.LookupEnv("PLUGIT_STORE"); ok {
		defaultDSN = v
	}
	dsn := fs.String("store", defaultDSN,
		"account store: a postgres:// URL, or the path of an SQLite file created on first use")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	action, err := findAdminAction(fs.Args())
	if err != nil {
		return err
	}

	a := &adminEnv{environment: env, dsn: *dsn}
	defer func() {
		if a.store != nil {
			a.store.Close()
		}
	}()
	return action.run(ctx, a, fs.Args()[2:])
}

func findAdminAction(args []string) (adminAction, error) {
	if len(args) < 2 {
		return adminAction{}, fmt.Errorf("%w: missing GROUP ACTION, such as user create; plugit admin -h lists them",
			errUsage)
	}

	for _, action := range adminActions {
		if action.group == args[0] && action.name == args[1] {
			return action, nil
		}
	}
	return adminAction{}, fmt.Errorf("%w: unknown action %q; plugit admin -h lists the actions",
		errUsage, args[0]+" "+args[1])
}

func printAdminActions(w io.Writer) {
	fmt.Fprintln(w, "\nActions (plugit admin GROUP ACTION -h lists the flags of one):")
	for _, action := range adminActions {
		fmt.Fprintf(w, "  %-24s %s\n", action.group+" "+action.name, action.summary)
	}
}

// newActionFlags returns the flag set of an admin action.
func newActionFlags(a *adminEnv, group, name, usage string) *flag.FlagSet {
	return newFlagSet("admin "+group+" "+name, "admin [--store DSN] "+group+" "+name+" "+usage, a.stderr)
}

// required returns a usage error naming the first flag whose value is
// empty.
func required(flags ...[2]string) error {
	for _, f := range flags {
		if strings.TrimSpace(f[1]) == "" {
			return fmt.Errorf("%w: missing --%s", errUsage, f[0])
		}
	}
	return nil
}

// userByUsername returns the account with the username, with an error
// that names it when there is none.
func userByUsername(ctx context.Context, st store.Store, username string) (store.User, error) {
	u, err := st.UserByUsername(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("%w: no account has the username %q", errUsage, username)
	}
	return u, err
}

// newTable returns a writer that aligns tab-separated columns.
func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
