package platform

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/plugit-go/plugit/internal/accounts"
	"github.com/plugit-go/plugit/internal/config"
	"github.com/plugit-go/plugit/internal/mail"
	"github.com/plugit-go/plugit/internal/store"
	"github.com/plugit-go/plugit/proxy"
)

// newSender returns the SMTP sender of the configuration, or nil when mail
// is off.
func newSender(m config.Mail) (*mail.Sender, error) {
	if m.SMTPHost == "" {
		return nil, nil
	}
	cfg := mail.Config{
		Host: m.SMTPHost, Port: m.SMTPPort, TLS: mail.TLSMode(m.SMTPTLS),
		User: m.SMTPUser, Password: m.SMTPPassword, From: m.From,
	}
	if m.TokenKey != "" {
		key, err := mail.ParseTokenKey([]byte(m.TokenKey))
		if err != nil {
			return nil, fmt.Errorf("platform: mail.token_key: %w", err)
		}
		cfg.TokenKey = key
	}
	sender, err := mail.NewSender(cfg)
	if err != nil {
		return nil, fmt.Errorf("platform: configuring mail: %w", err)
	}
	return sender, nil
}

// apiMailer sends the API's mails through the SMTP sender.
type apiMailer struct {
	sender *mail.Sender
}

var _ proxy.Mailer = apiMailer{}

// Send sends a service's mail; replies with a response id come back to the
// service through the inbox checker.
func (a apiMailer) Send(ctx context.Context, serviceKey string, m proxy.MailMessage) error {
	msg := mail.Message{
		Sender: m.Sender, To: m.Dests, Subject: m.Subject,
		ResponseID: m.ResponseID, ServiceKey: serviceKey,
	}
	if m.HTML {
		msg.HTML = m.Message
	} else {
		msg.Text = m.Message
	}
	err := a.sender.Send(ctx, msg)
	if errors.Is(err, mail.ErrNotConfigured) {
		return fmt.Errorf("%w: %w", proxy.ErrMailNotConfigured, err)
	}
	return err
}

// resetMailer mails password reset links.
type resetMailer struct {
	sender       *mail.Sender
	platformName string
}

var _ accounts.Mailer = resetMailer{}

// SendPasswordReset mails the user the link that resets the password.
func (r resetMailer) SendPasswordReset(ctx context.Context, user store.User, link string) error {
	return r.sender.Send(ctx, mail.Message{
		To:      []string{user.Email},
		Subject: r.platformName + ": reset your password",
		Text: "Hello " + user.Username + ",\n\nOpen this link within an hour to choose a new password:\n\n" +
			link + "\n\nIf you did not ask for it, ignore this mail: your password stays as it is.\n",
	})
}

// serviceDeliverer posts mail replies to the current services' mail calls,
// following configuration reloads.
type serviceDeliverer struct {
	current atomic.Pointer[mail.HTTPDeliverer]
}

func (d *serviceDeliverer) update(services []config.Service) error {
	urls := make(map[string]string, len(services))
	for _, s := range services {
		urls[s.Key] = s.URL
	}
	next, err := mail.NewHTTPDeliverer(urls, 0)
	if err != nil {
		return fmt.Errorf("platform: mail delivery: %w", err)
	}
	d.current.Store(next)
	return nil
}

// Deliver posts one reply to its service.
func (d *serviceDeliverer) Deliver(ctx context.Context, serviceKey, responseID, message string) error {
	return d.current.Load().Deliver(ctx, serviceKey, responseID, message)
}

// newChecker returns the inbox checker of the configuration, or nil when
// no inbox is set.
func newChecker(f *config.File, deliverer *serviceDeliverer, pl *Platform) (*mail.Checker, error) {
	in := f.Mail.Inbox
	if in.Protocol == "" {
		return nil, nil
	}
	key, err := mail.ParseTokenKey([]byte(f.Mail.TokenKey))
	if err != nil {
		return nil, fmt.Errorf("platform: mail.token_key: %w", err)
	}
	checker, err := mail.NewChecker(mail.CheckerConfig{
		Mailbox: mail.MailboxConfig{
			Protocol: mail.MailboxProtocol(in.Protocol), Addr: in.Addr, TLS: mail.TLSMode(in.TLS),
			User: in.User, Password: in.Password, Folder: in.Folder,
		},
		Address:   f.Mail.From,
		TokenKey:  key,
		Deliverer: deliverer,
		Logger:    pl.logger,
	})
	if err != nil {
		return nil, fmt.Errorf("platform: configuring the inbox checker: %w", err)
	}
	return checker, nil
}

// RunMailChecker reads the inbox at the configured interval until ctx
// ends; it returns at once when no inbox is configured.
func (pl *Platform) RunMailChecker(ctx context.Context) error {
	if pl.checker == nil {
		return nil
	}
	return pl.checker.Run(ctx, pl.checkInterval)
}

// CheckMail reads the inbox once and delivers the replies; it returns an
// empty summary when no inbox is configured.
func (pl *Platform) CheckMail(ctx context.Context) (mail.Summary, error) {
	if pl.checker == nil {
		return mail.Summary{}, nil
	}
	return pl.checker.Check(ctx)
}
