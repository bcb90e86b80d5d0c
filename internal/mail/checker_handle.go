package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// deliver hands a reply to its service and deletes it once accepted.
func (c *Checker) deliver(ctx context.Context, mailbox Mailbox, entry MailboxEntry, mail *inboundMail,
	r reply) (outcome, error) {
	err := c.cfg.Deliverer.Deliver(ctx, r.serviceKey, r.responseID, r.text)
	if errors.Is(err, ErrUnknownService) {
		return c.reject(entry, mail, err), nil
	}
	if err != nil {
		c.logKept(entry, "mail: reply not delivered, kept for the next check",
			"service", r.serviceKey, "response_id", r.responseID, "error", err)
		return outcomeFailed, nil
	}

	if err := mailbox.Delete(ctx, entry); err != nil {
		c.logger.Error("mail: reply delivered but not deleted: it will be delivered again",
			"mailbox_id", entry.ID, "service", r.serviceKey, "response_id", r.responseID, "error", err)
		return outcomeDelivered, err
	}

	c.logger.Info("mail: reply delivered",
		"mailbox_id", entry.ID, "service", r.serviceKey, "response_id", r.responseID)
	return outcomeDelivered, nil
}

// deleteAutoReply deletes an automatic reply, logging what it was.
func (c *Checker) deleteAutoReply(ctx context.Context, mailbox Mailbox, entry MailboxEntry,
	mail *inboundMail, reason string) (outcome, error) {
	if err := mailbox.Delete(ctx, entry); err != nil {
		return outcomeNone, err
	}

	c.logger.Info("mail: automatic reply deleted", "mailbox_id", entry.ID, "reason", reason,
		"message_id", mail.headerText("Message-Id"), "from", mail.headerText("From"),
		"subject", mail.headerText("Subject"))
	return outcomeAutoReply, nil
}

// reject logs why a message stays in the inbox. mail is nil when the
// message could not be read.
func (c *Checker) reject(entry MailboxEntry, mail *inboundMail, reason error) outcome {
	attrs := []any{"size", entry.Size, "error", reason}
	if mail != nil {
		attrs = append(attrs, "message_id", mail.headerText("Message-Id"),
			"from", mail.headerText("From"), "subject", mail.headerText("Subject"))
	}
	c.logKept(entry, "mail: message left in the inbox", attrs...)
	return outcomeRejected
}

// logKept logs a message that stays in the inbox: as a warning the first
// time, and at debug level while the following checks find it again.
func (c *Checker) logKept(entry MailboxEntry, msg string, attrs ...any) {
	level := slog.LevelWarn
	if entry.ID != "" && c.kept[entry.ID] {
		level = slog.LevelDebug
	}
	c.logger.Log(context.Background(), level, msg, append([]any{"mailbox_id", entry.ID}, attrs...)...)
}

// Run checks the inbox at once and then every interval until ctx ends,
// logging each summary and error. It returns ctx's error.
func (c *Checker) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("mail: invalid check interval %s: use a positive duration", interval)
	}

	ticker := time.NewTicker(interval)
	defer ticker.Stop()

	for {
		c.runOnce(ctx)

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

func (c *Checker) runOnce(ctx context.Context) {
	summary, err := c.Check(ctx)
	if err != nil {
		c.logger.Error("mail: checking replies failed", "mailbox", c.cfg.Mailbox.Addr, "error", err)
		return
	}
	if summary.Messages > 0 {
		c.logger.Info("mail: replies checked", "mailbox", c.cfg.Mailbox.Addr,
			"messages", summary.Messages, "delivered", summary.Delivered,
			"auto_replies", summary.AutoReplies, "rejected", summary.Rejected, "failed", summary.Failed)
	}
}
