package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// DefaultMaxMessageBytes is the default size limit of a reply.
const DefaultMaxMessageBytes = 10 << 20

// CheckerConfig configures a [Checker].
type CheckerConfig struct {
	// Mailbox is the inbox that receives the replies. Required.
	Mailbox MailboxConfig

	// Address is the proxy's sender address, the Config.From of the
	// [Sender], whose tagged forms the replies are sent to. Required.
	Address string

	// TokenKey is the key of the reply tags, the Config.TokenKey of the
	// [Sender]. Required.
	TokenKey []byte

	// Deliverer hands each reply to its service. Required.
	Deliverer Deliverer

	// MaxMessageBytes is the size limit of a reply; a larger one is left
	// in the inbox. Default: 10 MiB.
	MaxMessageBytes int64

	// Logger receives a line per reply that is not delivered and per
	// error. Default: slog.Default().
	Logger *slog.Logger
}

// Summary counts what one check did with the messages of the inbox.
type Summary struct {
	// Messages is the number of messages in the inbox.
	Messages int
	// Delivered replies were accepted by their service and deleted.
	Delivered int
	// AutoReplies were automatic mail (vacation notices, bounces) and
	// were deleted.
	AutoReplies int
	// Rejected messages cannot be delivered as they are (no valid tag, no
	// text part, unknown service, too large) and stay in the inbox.
	Rejected int
	// Failed replies were not accepted by their service, which may be
	// down; they stay in the inbox for the next check.
	Failed int
}

// String returns the summary as one line for people.
func (s Summary) String() string {
	return fmt.Sprintf("%d messages: %d delivered, %d automatic replies deleted, "+
		"%d rejected (left in the inbox), %d failed (kept for the next check)",
		s.Messages, s.Delivered, s.AutoReplies, s.Rejected, s.Failed)
}

// Checker reads the inbox of replies and delivers each reply to the
// service whose mail it answers. A message leaves the inbox only when its
// service accepted it or when it is an automatic reply; everything else
// stays, with a log line.
type Checker struct {
	cfg     CheckerConfig
	address replyAddress
	tokens  *TokenCodec
	logger  *slog.Logger

	mu sync.Mutex
	// kept holds the IDs of the messages that the previous check left in
	// the inbox, so that each is logged as a warning once and then at
	// debug level while it stays.
	kept map[string]bool
}

// NewChecker returns a checker for cfg.
func NewChecker(cfg CheckerConfig) (*Checker, error) {
	if cfg.Deliverer == nil {
		return nil, errors.New("mail: missing deliverer for the checker")
	}

	address, err := parseReplyAddress(cfg.Address)
	if err != nil {
		return nil, err
	}

	tokens, err := NewTokenCodec(cfg.TokenKey)
	if err != nil {
		return nil, err
	}

	cfg.Mailbox = cfg.Mailbox.withDefaults()
	if err := cfg.Mailbox.validate(); err != nil {
		return nil, err
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	return &Checker{cfg: cfg, address: address, tokens: tokens, logger: cfg.Logger}, nil
}

// Check reads the inbox once and handles every message in it. On an error
// of the mailbox session it stops and returns what it did so far; messages
// not handled yet stay for the next check. Checks do not overlap.
func (c *Checker) Check(ctx context.Context) (Summary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	mailbox, err := DialMailbox(ctx, c.cfg.Mailbox)
	if err != nil {
		return Summary{}, err
	}

	summary, err := c.checkMailbox(ctx, mailbox)
	if closeErr := mailbox.Close(); closeErr != nil {
		closeErr = fmt.Errorf("mail: deleted messages may come back and be delivered again: %w", closeErr)
		err = errors.Join(err, closeErr)
	}
	return summary, err
}

func (c *Checker) checkMailbox(ctx context.Context, mailbox Mailbox) (Summary, error) {
	entries, err := mailbox.List(ctx)
	if err != nil {
		return Summary{}, err
	}

	summary := Summary{Messages: len(entries)}
	kept := make(map[string]bool)
	for _, entry := range entries {
		outcome, err := c.handle(ctx, mailbox, entry)
		summary.add(outcome)
		if err != nil {
			return summary, err
		}

		if (outcome == outcomeRejected || outcome == outcomeFailed) && entry.ID != "" {
			kept[entry.ID] = true
		}
	}

	c.kept = kept
	return summary, nil
}

// outcome is the result of handling one message.
type outcome int

const (
	// outcomeNone is the outcome of a message whose handling failed
	// because of the mailbox session.
	outcomeNone outcome = iota
	outcomeDelivered
	outcomeAutoReply
	outcomeRejected
	outcomeFailed
)

func (s *Summary) add(o outcome) {
	switch o {
	case outcomeDelivered:
		s.Delivered++
	case outcomeAutoReply:
		s.AutoReplies++
	case outcomeRejected:
		s.Rejected++
	case outcomeFailed:
		s.Failed++
	}
}

// handle delivers or deletes one message. It returns an error only when
// the mailbox session failed.
func (c *Checker) handle(ctx context.Context, mailbox Mailbox, entry MailboxEntry) (outcome, error) {
	raw, err := mailbox.Fetch(ctx, entry, c.cfg.MaxMessageBytes)
	if errors.Is(err, ErrMessageTooLarge) {
		return c.reject(entry, nil, err), nil
	}
	if err != nil {
		return outcomeNone, err
	}

	mail, err := parseInbound(raw)
	if err != nil {
		return c.reject(entry, nil, err), nil
	}

	if reason := autoReplyReason(mail.entity.Header); reason != "" {
		return c.deleteAutoReply(ctx, mailbox, entry, mail, reason)
	}

	reply, err := c.readReply(mail)
	if err != nil {
		return c.reject(entry, mail, err), nil
	}

	return c.deliver(ctx, mailbox, entry, mail, reply)
}

// reply is a reply ready to be delivered.
type reply struct {
	serviceKey string
	responseID string
	text       string
}

// readReply decodes the first valid tag of mail and reads its text.
func (c *Checker) readReply(mail *inboundMail) (reply, error) {
	tags := mail.tags(c.address)
	if len(tags) == 0 {
		return reply{}, fmt.Errorf("mail: no reply tag for %s in %s", c.address, strings.Join(recipientHeaders, ", "))
	}

	var r reply
	var err error
	for _, tag := range tags {
		r.serviceKey, r.responseID, err = c.tokens.Decode(tag)
		if err == nil {
			break
		}
	}
	if err != nil {
		return reply{}, err
	}

	text, err := mail.firstTextPart(c.cfg.MaxMessageBytes)
	if err != nil {
		return reply{}, err
	}
	if strings.TrimSpace(text) == "" {
		return reply{}, errors.New("mail: text part of the reply is empty")
	}

	r.text = text
	return r, nil
}
