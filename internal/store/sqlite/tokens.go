package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/plugit-go/plugit/internal/store"
)

// AddSubscription stores a subscription, replacing the end time of the same
// label.
func (d *DB) AddSubscription(ctx context.Context, sub store.Subscription) error {
	if err := sub.Validate(); err != nil {
		return fmt.Errorf("sqlite: adding subscription: %w", err)
	}

	_, err := d.db.ExecContext(ctx, `INSERT INTO subscriptions (service_key, user_pk, label, until) VALUES (?, ?, ?, ?)
		ON CONFLICT (service_key, user_pk, label) DO UPDATE SET until = excluded.until`,
		sub.ServiceKey, sub.UserPK, sub.Label, nullTime(sub.Until))
	if err != nil {
		return fmt.Errorf("sqlite: adding subscription %q of user %d to service %q: %w",
			sub.Label, sub.UserPK, sub.ServiceKey, mapError(err))
	}
	return nil
}

// ActiveSubscriptionLabels returns the labels of the user's subscriptions
// to the service that have not ended at now, sorted.
func (d *DB) ActiveSubscriptionLabels(ctx context.Context, serviceKey string, userPK int64,
	now time.Time) ([]string, error) {
	scan := func(row scanner) (string, error) {
		var label string
		err := row.Scan(&label)
		return label, err
	}

	labels, err := queryList(ctx, d.db, scan, `SELECT label FROM subscriptions
		WHERE service_key = ? AND user_pk = ? AND (until IS NULL OR until > ?)
		ORDER BY label`, serviceKey, userPK, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing subscriptions of user %d to service %q: %w", userPK, serviceKey, err)
	}
	return labels, nil
}

// CreateResetToken stores the SHA-256 of a password reset token.
func (d *DB) CreateResetToken(ctx context.Context, userPK int64, token string, expiresAt time.Time) error {
	_, err := d.db.ExecContext(ctx, "INSERT INTO password_reset_tokens (token_hash, user_pk, expires_at) VALUES (?, ?, ?)",
		store.TokenHash(token), userPK, formatTime(expiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: creating password reset token of user %d: %w", userPK, mapError(err))
	}
	return nil
}

// ConsumeResetToken returns the user of a live reset token and deletes
// every reset token of that user, along with every expired token.
func (d *DB) ConsumeResetToken(ctx context.Context, token string, now time.Time) (int64, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: consuming password reset token: %w", err)
	}
	defer tx.Rollback()

	var userPK int64
	var expiresAt string
	err = tx.QueryRowContext(ctx, "DELETE FROM password_reset_tokens WHERE token_hash = ? RETURNING user_pk, expires_at",
		store.TokenHash(token)).Scan(&userPK, &expiresAt)
	if err != nil {
		return 0, fmt.Errorf("sqlite: consuming password reset token: %w", mapError(err))
	}

	// A used token ends the user's other tokens, and expired tokens of
	// every user go as well.
	live := expiresAt > formatTime(now)
	_, err = tx.ExecContext(ctx, "DELETE FROM password_reset_tokens WHERE expires_at <= ? OR (? AND user_pk = ?)",
		formatTime(now), live, userPK)
	if err != nil {
		return 0, fmt.Errorf("sqlite: deleting password reset tokens: %w", err)
	}

	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: consuming password reset token: %w", err)
	}

	if !live {
		return 0, fmt.Errorf("sqlite: consuming password reset token: token expired at %s: %w", expiresAt, store.ErrNotFound)
	}
	return userPK, nil
}
