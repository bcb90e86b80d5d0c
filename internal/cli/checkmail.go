package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/plugit-go/plugit/internal/mail"
)

// checkMailFlags are the flags of check-mail.
type checkMailFlags struct {
	imap         string
	pop3         string
	tls          string
	user         string
	passwordFile string
	folder       string
	from         string
	keyFile      string
	services     string
	timeout      time.Duration
}

func (f *checkMailFlags) register(fs interface {
	StringVar(*string, string, string, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&f.imap, "imap", "", "host:port of the IMAP server of the reply inbox")
	fs.StringVar(&f.pop3, "pop3", "", "host:port of the POP3 server of the reply inbox")
	fs.StringVar(&f.tls, "tls", "tls", "encryption of the mailbox connection: none, starttls or tls")
	fs.StringVar(&f.user, "user", "", "login name of the reply inbox (required)")
	fs.StringVar(&f.passwordFile, "password-file", "",
		"file holding the inbox password on its first line (required)")
	fs.StringVar(&f.folder, "folder", "INBOX", "IMAP folder to read")
	fs.StringVar(&f.from, "from", "",
		"the proxy's sender address, whose tagged forms receive the replies, such as no-reply@example.org (required)")
	fs.StringVar(&f.keyFile, "token-key-file", "",
		"file holding the reply tag key as 64 hexadecimal digits (required)")
	fs.StringVar(&f.services, "services", "", "services to deliver replies to, as key=URL,key=URL (required)")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second,
		"time-out of connecting, of each mailbox command and of each service call")
}

func runCheckMail(ctx context.Context, env *environment, args []string) error {
	const usage = "check-mail --imap|--pop3 HOST:PORT --user U --password-file F " +
		"--from ADDR --token-key-file F --services key=URL,... [flags]"
	fs := newFlagSet("check-mail", usage, env.stderr)
	var f checkMailFlags
	f.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	cfg, err := f.config(env)
	if err != nil {
		return err
	}

	checker, err := mail.NewChecker(cfg)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}

	summary, err := checker.Check(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: %s\n", cfg.Mailbox.Addr, summary)
	return nil
}

// config returns the checker configuration of the flags, reading the
// password and key files.
func (f *checkMailFlags) config(env *environment) (mail.CheckerConfig, error) {
	mailbox, err := f.mailbox()
	if err != nil {
		return mail.CheckerConfig{}, err
	}

	if f.from == "" || f.keyFile == "" || f.services == "" {
		return mail.CheckerConfig{}, fmt.Errorf("%w: --from, --token-key-file and --services are required", errUsage)
	}
	keyText, err := os.ReadFile(f.keyFile)
	if err != nil {
		return mail.CheckerConfig{}, fmt.Errorf("%w: reading --token-key-file: %v", errUsage, err)
	}
	key, err := mail.ParseTokenKey(keyText)
	if err != nil {
		return mail.CheckerConfig{}, fmt.Errorf("%w: --token-key-file %s: %v", errUsage, f.keyFile, err)
	}

	services, err := mail.ParseServices(f.services)
	if err != nil {
		return mail.CheckerConfig{}, fmt.Errorf("%w: --services: %v", errUsage, err)
	}
	deliverer, err := mail.NewHTTPDeliverer(services, f.timeout)
	if err != nil {
		return mail.CheckerConfig{}, fmt.Errorf("%w: --services: %v", errUsage, err)
	}

	return mail.CheckerConfig{
		Mailbox:   mailbox,
		Address:   f.from,
		TokenKey:  key,
		Deliverer: deliverer,
		Logger:    env.logger,
	}, nil
}

// mailbox returns the mailbox configuration of the flags.
func (f *checkMailFlags) mailbox() (mail.MailboxConfig, error) {
	cfg := mail.MailboxConfig{
		Protocol: mail.ProtocolIMAP,
		Addr:     f.imap,
		User:     f.user,
		Folder:   f.folder,
		Timeout:  f.timeout,
	}
	switch {
	case f.imap != "" && f.pop3 != "":
		return cfg, fmt.Errorf("%w: give --imap or --pop3, not both", errUsage)
	case f.pop3 != "":
		cfg.Protocol, cfg.Addr = mail.ProtocolPOP3, f.pop3
	case f.imap == "":
		return cfg, fmt.Errorf("%w: --imap or --pop3 is required", errUsage)
	}

	mode, err := mail.ParseTLSMode(f.tls)
	if err != nil {
		return cfg, fmt.Errorf("%w: --tls: %v", errUsage, err)
	}
	cfg.TLS = mode

	if f.user == "" || f.passwordFile == "" {
		return cfg, fmt.Errorf("%w: --user and --password-file are required", errUsage)
	}
	password, err := os.ReadFile(f.passwordFile)
	if err != nil {
		return cfg, fmt.Errorf("%w: reading --password-file: %v", errUsage, err)
	}
	cfg.Password, _, _ = strings.Cut(string(password), "\n")
	cfg.Password = strings.TrimSuffix(cfg.Password, "\r")
	return cfg, nil
}
