package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/plugit-go/plugit/internal/accounts"
)

func runUserCreate(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "user", "create", "--username U --email E [--password-file F] [--platform-admin]")
	var account accounts.NewAccount
	fs.StringVar(&account.Username, "username", "", "username: 3 to 32 letters, digits, '.', '_' or '-'")
	fs.StringVar(&account.Email, "email", "", "e-mail address")
	fs.StringVar(&account.FirstName, "first-name", "", "first name")
	fs.StringVar(&account.LastName, "last-name", "", "last name")
	fs.BoolVar(&account.IsPlatformAdmin, "platform-admin", false, "make the account a platform administrator")
	passwordFile := fs.String("password-file", "", "file whose first line is the password "+
		"(default: PLUGIT_ADMIN_PASSWORD, else a line on standard input)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required([2]string{"username", account.Username}, [2]string{"email", account.Email}); err != nil {
		return err
	}

	password, err := readAdminPassword(*passwordFile)
	if err != nil {
		return err
	}
	account.Password = password

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	svc := accounts.New(st, accounts.Config{Logger: a.logger})
	u, err := svc.CreateAccount(ctx, account)
	rejected := errors.Is(err, accounts.ErrInvalid) || errors.Is(err, accounts.ErrUsernameTaken) ||
		errors.Is(err, accounts.ErrEmailTaken)
	if rejected {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err != nil {
		return err
	}

	fmt.Fprintf(a.stdout, "created user %s (pk %d, uuid %s, platform admin: %s)\n",
		u.Username, u.PK, u.UUID, yesNo(u.IsPlatformAdmin))
	return nil
}

// readAdminPassword returns the password from the file, else from
// PLUGIT_ADMIN_PASSWORD, else from the first line of standard input, which
// must not be a terminal: the password would show as it is typed.
func readAdminPassword(file string) (string, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("%w: reading --password-file: %v", errUsage, err)
		}
		defer f.Close()
		return readPasswordLine(f, "--password-file "+file)
	}

	if password, ok := os.LookupEnv("PLUGIT_ADMIN_PASSWORD"); ok {
		return password, nil
	}

	if info, err := os.Stdin.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
		return "", fmt.Errorf("%w: standard input is a terminal; give the password with --password-file, "+
			"PLUGIT_ADMIN_PASSWORD or a pipe", errUsage)
	}
	return readPasswordLine(os.Stdin, "standard input")
}

// readPasswordLine returns the first line of r without its line ending.
func readPasswordLine(r io.Reader, source string) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, accounts.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from %s: %w", source, err)
	}

	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", fmt.Errorf("%w: no password in %s; give it with --password-file, PLUGIT_ADMIN_PASSWORD "+
			"or a line on standard input", errUsage, source)
	}
	return line, nil
}

func runUserList(ctx context.Context, a *adminEnv, args []string) error {
	fs := newActionFlags(a, "user", "list", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	st, err := a.open(ctx)
	if err != nil {
		return err
	}

	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}

	table := newTable(a.stdout)
	fmt.Fprintln(table, "PK\tUSERNAME\tEMAIL\tNAME\tPLATFORM ADMIN\tACTIVE\tUUID")
	for _, u := range users {
		name := strings.TrimSpace(u.FirstName + " " + u.LastName)
		fmt.Fprintf(table, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.PK, u.Username, u.Email, name,
			yesNo(u.IsPlatformAdmin), yesNo(u.IsActive), u.UUID)
	}
	return table.Flush()
}
