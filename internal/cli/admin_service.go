package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

// minAPIKeyLen is the minimum length of an API key read from a file.
const minAPIKeyLen = 16

func runServiceAdd(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "service", "add", "--key K --name N --url URL [--api-key-file F]")
	var svc store.Service
	fs.StringVar(&svc.Key, "key", "", "key of the service, the first segment of its paths: letters, digits, '-' and '_'")
	fs.StringVar(&svc.Name, "name", "", "name of the service shown in the layout")
	fs.StringVar(&svc.URL, "url", "", "http or https URL the proxy calls the service at")
	apiKeyFile := fs.String("api-key-file", "", "file whose first line is the service's API key "+
		"(default: a random key, printed once)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"key", svc.Key}, [2]string{"name", svc.Name}, [2]string{"url", svc.URL}); err != nil {
		return err
	}

	generated := *apiKeyFile == ""
	apiKey, err := serviceAPIKey(*apiKeyFile)
	if err != nil {
		return err
	}
	svc.APIKey = apiKey
	if err := svc.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	if _, err := st.ServiceByKey(ctx, svc.Key); !errors.Is(err, store.ErrNotFound) {
		if err == nil {
			return fmt.Errorf("%w: a service with the key %q already exists", errUsage, svc.Key)
		}
		return err
	}
	if err := st.PutService(ctx, svc); err != nil {
		return err
	}

	fmt.Fprintf(a.stdout, "added service %s (%s) at %s\n", svc.Key, svc.Name, svc.URL)
	if generated {
		fmt.Fprintf(a.stdout, "API key: %s\nIt is shown only now: give it to the service.\n", apiKey)
	}
	return nil
}

// serviceAPIKey returns the first line of file, or a new random key when
// file is empty.
func serviceAPIKey(file string) (string, error) {
	if file == "" {
		return rand.Text() + rand.Text(), nil // 52 base32 characters, 260 bits
	}

	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("%w: reading --api-key-file: %v", errUsage, err)
	}
	defer f.Close()

	key, err := readPasswordLine(f, "--api-key-file "+file)
	if err != nil {
		return "", err
	}
	if len(key) < minAPIKeyLen {
		return "", fmt.Errorf("%w: the API key in %s has %d characters, want at least %d",
			errUsage, file, len(key), minAPIKeyLen)
	}
	return key, nil
}

func runServiceList(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "service", "list", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	services, err := st.ListServices(ctx)
	if err != nil {
		return err
	}

	table := newTable(a.stdout)
	fmt.Fprintln(table, "KEY\tNAME\tURL")
	for _, svc := range services {
		fmt.Fprintf(table, "%s\t%s\t%s\n", svc.Key, svc.Name, svc.URL)
	}
	return table.Flush()
}

func runServiceAddMember(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "service", "add-member", "--service K --user USERNAME [--admin]")
	key := fs.String("service", "", "key of the service")
	username := fs.String("user", "", "username of the account")
	admin := fs.Bool("admin", false, "make the account an administrator of the service (write access)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"service", *key}, [2]string{"user", *username}); err != nil {
		return err
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	svc, user, err := serviceAndUser(ctx, st, *key, *username)
	if err != nil {
		return err
	}

	if err := st.PutServiceMember(ctx, svc.Key, user.PK, *admin); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "user %s is a member of service %s (admin: %s)\n", user.Username, svc.Key, yesNo(*admin))
	return nil
}

func runSubscriptionAdd(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "subscription", "add", "--service K --user USERNAME --label L [--until TIME]")
	key := fs.String("service", "", "key of the service")
	username := fs.String("user", "", "username of the account")
	label := fs.String("label", "", "subscription label, such as a plan name")
	until := fs.String("until", "", "end of the subscription, RFC 3339 such as 2026-12-31T23:59:59Z (default: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"service", *key}, [2]string{"user", *username}, [2]string{"label", *label}); err != nil {
		return err
	}

	var end time.Time
	if *until != "" {
		var err error
		if end, err = time.Parse(time.RFC3339, *until); err != nil {
			return fmt.Errorf("%w: --until %q is not an RFC 3339 time such as 2026-12-31T23:59:59Z", errUsage, *until)
		}
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	svc, user, err := serviceAndUser(ctx, st, *key, *username)
	if err != nil {
		return err
	}

	sub := store.Subscription{ServiceKey: svc.Key, UserPK: user.PK, Label: *label, Until: end}
	if err := st.AddSubscription(ctx, sub); err != nil {
		return err
	}

	ends := "never ends"
	if !end.IsZero() {
		ends = "ends " + end.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(a.stdout, "user %s has subscription %s to service %s (%s)\n", user.Username, *label, svc.Key, ends)
	return nil
}

// serviceAndUser returns the service and the account, with an error that
// names the one that does not exist.
func serviceAndUser(ctx context.Context, st store.Store, key, username string) (store.Service, store.User, error) {
	svc, err := st.ServiceByKey(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return store.Service{}, store.User{}, fmt.Errorf("%w: no service has the key %q", errUsage, key)
	}
	if err != nil {
		return store.Service{}, store.User{}, err
	}

	user, err := userByUsername(ctx, st, username)
	if err != nil {
		return store.Service{}, store.User{}, err
	}
	return svc, user, nil
}
